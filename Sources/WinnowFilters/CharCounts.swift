#if canImport(Glibc)
import Glibc
#endif

/// A per-character counting table, zeroed again after each use so it costs nothing per
/// document: BMP characters in a small table (counts fit 16 bits: R11/R12 see at most 10,000
/// characters, and `distinct` only marks), the rest in a dictionary.
struct CharCounts {
    private var table = [UInt16](repeating: 0, count: 0x10000)
    private var beyondBMP: [UInt32: Int] = [:]
    private var distinctBuffer = [UInt32](repeating: 0, count: 0x10000)

    /// c · log(c) for the counts R12 sees (texts of at most 10,000 characters).
    private let countLogCount: [Double] = (0...10_000).map { $0 == 0 ? 0 : Double($0) * log(Double($0)) }

    /// Runs `body`, which counts characters (at most 65,535) with `tally.add`; the table is
    /// zeroed again afterwards, whatever `body` returns.
    mutating func tallying<R>(_ body: (inout Tally) -> R) -> R {
        let r = table.withUnsafeMutableBufferPointer { t in
            distinctBuffer.withUnsafeMutableBufferPointer { d in
                countLogCount.withUnsafeBufferPointer { clc in
                    var tally = Tally(table: t, distinct: d, countLogCount: clc)
                    let r = body(&tally)
                    for i in 0..<tally.distinctCount where d[i] < 0x10000 { t[Int(d[i])] = 0 }
                    return r
                }
            }
        }
        return r
    }

    struct Tally {
        let table: UnsafeMutableBufferPointer<UInt16>
        let distinct: UnsafeMutableBufferPointer<UInt32>
        let countLogCount: UnsafeBufferPointer<Double>
        private(set) var distinctCount = 0, total = 0
        private var beyondBMP: [UInt32: Int] = [:]

        init(table: UnsafeMutableBufferPointer<UInt16>, distinct: UnsafeMutableBufferPointer<UInt32>, countLogCount: UnsafeBufferPointer<Double>) {
            self.table = table; self.distinct = distinct; self.countLogCount = countLogCount
        }

        @inline(__always) mutating func add(_ c: UInt32) {
            precondition(total < 0xFFFF, "counts are 16-bit")
            total += 1
            if c < 0x10000 {
                if table[Int(c)] == 0 { distinct[distinctCount] = c; distinctCount += 1 }
                table[Int(c)] &+= 1
            } else {
                if beyondBMP[c] == nil { distinct[distinctCount] = c; distinctCount += 1 }
                beyondBMP[c, default: 0] += 1
            }
        }

        @inline(__always) func count(_ c: UInt32) -> Int { c < 0x10000 ? Int(table[Int(c)]) : beyondBMP[c]! }

        /// The natural-log entropy of the counted characters, −Σ p·log p: as log T − Σ c·log c / T
        /// from a table of c·log c, and again term by term, in the order of first occurrence as
        /// Python sums it, when that lands within 1e-9 of R12's threshold, where rounding could
        /// decide.
        func entropy(exactNear threshold: Double = 3) -> Double {
            let t = Double(total)
            var entropy = 0.0
            let fast = total < countLogCount.count
            if fast {
                var sum = 0.0
                for i in 0..<distinctCount { sum += countLogCount[count(distinct[i])] }
                entropy = log(t) - sum / t
            }
            if !fast || abs(entropy - threshold) < 1e-9 {
                entropy = 0
                for i in 0..<distinctCount {
                    let p = Double(count(distinct[i])) / t
                    entropy -= p * log(p)
                }
            }
            return entropy
        }
    }

    /// Distinct characters of `s` (at most 65,535 characters) and their entropy (R11, R12).
    mutating func distinctAndEntropy(_ s: [UInt32], exactNear threshold: Double = 3) -> (Int, Double) {
        tallying { tally in
            for c in s { tally.add(c) }
            return (tally.distinctCount, tally.entropy(exactNear: threshold))
        }
    }

    /// Distinct characters of `s`.
    mutating func distinct(_ s: [UInt32]) -> Int {
        var n = 0
        table.withUnsafeMutableBufferPointer { t in
            for c in s {
                if c < 0x10000 {
                    if t[Int(c)] == 0 { t[Int(c)] = 1; n += 1 }
                } else if beyondBMP.updateValue(1, forKey: c) == nil {
                    n += 1
                }
            }
            for c in s where c < 0x10000 { t[Int(c)] = 0 }
        }
        beyondBMP.removeAll(keepingCapacity: true)
        return n
    }
}
