#if canImport(Glibc)
import Glibc
#endif

/// Mean cross-entropy over positions whose target is not negative (torch's ignore_index), plus
/// the optional z-loss coeff · mean(logsumexp²) (PaLM). Sums in double.
struct CrossEntropyResult {
    var loss: Double          // cross-entropy + z-loss: what is optimised
    var crossEntropy: Double
    var counted: Int
}

/// Rows are split over `threads`; per-row terms are summed afterwards in row order, so the
/// result does not depend on the thread count.
func crossEntropyForward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, lse: UnsafeMutablePointer<Float>,
                         rows: Int, vocab: Int, zLoss: Double, threads: Int = 1) -> CrossEntropyResult {
    let rowLoss = UnsafeMutablePointer<Double>.allocate(capacity: max(rows, 1))
    defer { rowLoss.deallocate() }
    nonisolated(unsafe) let (logits, targets, lse, rl) = (logits, targets, lse, rowLoss)
    parallelChunks(rows, threads: threads) { lo, hi in
        for r in lo..<hi {
            let t = Int(targets[r])
            guard t >= 0 else { lse[r] = 0; continue }
            let row = logits + r * vocab
            var m = -Float.infinity
            for i in 0..<vocab where row[i] > m { m = row[i] }
            let l = Double(m) + log(expShiftedSumDouble(row, vocab, shift: m))
            lse[r] = Float(l)
            rl[r] = l - Double(row[t])
        }
    }
    var ce = 0.0, z = 0.0, n = 0
    for r in 0..<rows where targets[r] >= 0 {
        ce += rowLoss[r]; z += Double(lse[r]) * Double(lse[r]); n += 1
    }
    guard n > 0 else { return CrossEntropyResult(loss: 0, crossEntropy: 0, counted: 0) }
    let ceMean = ce / Double(n)
    return CrossEntropyResult(loss: ceMean + zLoss * z / Double(n), crossEntropy: ceMean, counted: n)
}

/// dlogits = scale · ∂loss/∂logits (overwrites).
func crossEntropyBackward(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, lse: UnsafePointer<Float>,
                          dlogits: UnsafeMutablePointer<Float>, rows: Int, vocab: Int, counted: Int, zLoss: Double, scale: Float,
                          threads: Int = 1) {
    let inv = counted > 0 ? scale / Float(counted) : 0
    nonisolated(unsafe) let (logits, targets, lse, dlogits) = (logits, targets, lse, dlogits)
    parallelChunks(rows, threads: threads) { lo, hi in
      for r in lo..<hi {
        let t = Int(targets[r])
        let row = logits + r * vocab, d = dlogits + r * vocab
        guard t >= 0, counted > 0 else { d.update(repeating: 0, count: vocab); continue }
        let l = lse[r]
        // ∂(z·lse²)/∂logit = 2·z·lse·softmax.
        let k = inv * (1 + Float(2 * zLoss) * l)
        var i = 0
        while i + 8 <= vocab { store8(k * exp8(load8(row + i) - l), d + i); i += 8 }
        while i < vocab { d[i] = k * exp8(Float8(repeating: row[i] - l))[0]; i += 1 }
        d[t] -= inv
      }
    }
}
