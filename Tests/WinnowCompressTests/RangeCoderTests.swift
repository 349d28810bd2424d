import XCTest
import WinnowCore
@testable import WinnowCompress
#if canImport(Glibc)
import Glibc
#endif

/// The precision-14 range coder, CDF quantisation and the fixed-order arithmetic.
final class RangeCoderTests: XCTestCase {
    /// A CDF from arbitrary logits: counts sum to 2^14, every symbol at least 1.
    func testQuantisedCDFsGiveEverySymbolMass() {
        var rng = SplitMix64(seed: 3)
        var logits = [Float](repeating: 0, count: 256), cdf = [UInt32](repeating: 0, count: 257), w = [UInt32](repeating: 0, count: 256)
        for trial in 0..<200 {
            let spread = Float(trial % 10) * 4
            for i in 0..<256 { logits[i] = Float(rng.uniform(-1, 1)) * spread }
            if trial % 7 == 0 { logits[trial % 256] = 80 }   // one symbol takes almost everything
            logits.withUnsafeBufferPointer { l in
                cdf.withUnsafeMutableBufferPointer { c in w.withUnsafeMutableBufferPointer { QuantizedCDF.fromLogits(l.baseAddress!, into: c.baseAddress!, weights: $0.baseAddress!) } }
            }
            XCTAssertEqual(cdf[0], 0)
            XCTAssertEqual(cdf[256], QuantizedCDF.total)
            for s in 0..<256 { XCTAssertGreaterThanOrEqual(cdf[s + 1] - cdf[s], 1, "trial \(trial) symbol \(s)") }
            if trial % 7 == 0 { XCTAssertEqual(cdf[trial % 256 + 1] - cdf[trial % 256], QuantizedCDF.total - 255) }
        }
        let counts = (0..<256).map { UInt64($0 == 32 ? 1_000_000 : $0 % 3) }
        let c = QuantizedCDF.fromCounts(counts)
        XCTAssertEqual(c[256], QuantizedCDF.total)
        XCTAssertTrue((0..<256).allSatisfy { c[$0 + 1] > c[$0] })
        XCTAssertGreaterThan(c[33] - c[32], 16_000)
    }

    /// Random sequences under random and extreme CDFs decode to themselves.
    func testArithmeticCodingRoundTrip() {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<40 {
            var counts = [UInt64](repeating: 0, count: 256)
            for i in 0..<256 { counts[i] = trial % 4 == 0 ? (i == 7 ? 1 << 40 : 0) : UInt64(rng.next() % 1000) }
            let cdf = QuantizedCDF.fromCounts(counts)
            let n = Int(rng.next() % 3000)
            let symbols: [Int] = (0..<n).map { _ in
                // Mostly likely symbols, sometimes any.
                rng.next() % 5 == 0 ? Int(rng.next() % 256) : (trial % 4 == 0 ? 7 : Int(rng.next() % 256))
            }
            let bits: BitWriter = cdf.withUnsafeBufferPointer { c in
                var e = ArithmeticEncoder()
                for s in symbols { e.encode(s, c.baseAddress!) }
                return e.finish()
            }
            var d = ArithmeticDecoder(bits.paddedBytes)
            let back = cdf.withUnsafeBufferPointer { c in (0..<n).map { _ in d.decode(c.baseAddress!) } }
            XCTAssertEqual(back, symbols, "trial \(trial)")
            // The cost is the information content within the coder's 2-bit termination and a
            // small rounding loss.
            let info = cdf.withUnsafeBufferPointer { c in symbols.reduce(0.0) { $0 + 14 - log2(Double(c[$1 + 1] - c[$1])) } }
            XCTAssertLessThanOrEqual(Double(bits.count), info * 1.002 + 3, "trial \(trial)")
        }
    }

    /// Our exp is close to libm's and its bits are pinned (they must never change: the
    /// compressed data depends on them).
    func testFixedOrderExp() {
        var worst: Double = 0
        var x: Float = -86.9
        while x <= 0 {
            let e = Double(FixedOrderMath.exp(x)), r = Glibc.exp(Double(x))
            worst = max(worst, abs(e - r) / r)
            x += 0.0137
        }
        XCTAssertLessThan(worst, 5e-7)
        XCTAssertEqual(FixedOrderMath.exp(0), 1)
        XCTAssertEqual(FixedOrderMath.exp(-100), 0)
        // Both are the correctly rounded values of e^-1 and e^-10.5.
        XCTAssertEqual(FixedOrderMath.exp(-1).bitPattern, 0x3EBC_5AB2, "exp(-1) = \(FixedOrderMath.exp(-1).bitPattern)")
        XCTAssertEqual(FixedOrderMath.exp(-10.5).bitPattern, 0x37E6_FE13, "exp(-10.5) = \(FixedOrderMath.exp(-10.5).bitPattern)")
    }

    /// dot's fixed order: the same value for the same vectors wherever they sit in memory.
    func testDotIsAFunctionOfItsInputs() {
        var rng = SplitMix64(seed: 5)
        for n in [1, 7, 31, 32, 33, 64, 100, 256, 1024] {
            let a = (0..<n).map { _ in Float(rng.uniform(-1, 1)) }, b = (0..<n).map { _ in Float(rng.uniform(-1, 1)) }
            let d1 = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { FixedOrderMath.dot(pa.baseAddress!, $0.baseAddress!, n) } }
            let shifted = [Float(9)] + a, bs = [Float(3), 4] + b
            let d2 = shifted.withUnsafeBufferPointer { pa in bs.withUnsafeBufferPointer { FixedOrderMath.dot(pa.baseAddress! + 1, $0.baseAddress! + 2, n) } }
            XCTAssertEqual(d1.bitPattern, d2.bitPattern)
            let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(Double(d1), exact, accuracy: 1e-4 * Double(n).squareRoot())
        }
    }
}
