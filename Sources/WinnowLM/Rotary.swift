#if canImport(Glibc)
import Glibc
#endif

/// Rotary position tables (Llama layout: dimension i pairs with i + headDim/2). Angles are
/// computed in double and rounded once, so the parity script can build the same tables.
struct RotaryTable {
    let half: Int
    let cos: [Float]
    let sin: [Float]

    init(positions: Int, headDim: Int, theta: Double) {
        half = headDim / 2
        var c = [Float](repeating: 0, count: positions * half), s = c
        for p in 0..<positions {
            for i in 0..<half {
                let invFreq = 1 / pow(theta, Double(2 * i) / Double(headDim))
                let a = Double(p) * invFreq
                c[p * half + i] = Float(Glibc.cos(a)); s[p * half + i] = Float(Glibc.sin(a))
            }
        }
        cos = c; sin = s
    }

    /// Rotates `heads` heads of one row at position `pos` in place; `inverse` applies the
    /// transpose (the backward pass).
    func apply(_ row: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, pos: Int, inverse: Bool) {
        cos.withUnsafeBufferPointer { cb in
            sin.withUnsafeBufferPointer { sb in
                let c = cb.baseAddress! + pos * half, s = sb.baseAddress! + pos * half
                for h in 0..<heads {
                    let x = row + h * headDim
                    for i in 0..<half {
                        let a = x[i], b = x[i + half]
                        let si = inverse ? -s[i] : s[i]
                        x[i] = a * c[i] - b * si
                        x[i + half] = b * c[i] + a * si
                    }
                }
            }
        }
    }
}
