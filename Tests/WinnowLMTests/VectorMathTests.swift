import XCTest
@testable import WinnowLM
#if canImport(Glibc)
import Glibc
#endif

/// The eight-lane exp/tanh replace libm in the training kernels; they must stay within a few ulp
/// (exp) or 2e-7 absolute (tanh) of libm over the ranges the kernels see, and give exact zeros on
/// underflow (masked attention entries are -inf).
final class VectorMathTests: XCTestCase {
    func testExpMatchesLibmWithinFourUlp() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88.3 {
            let lanes = Float8((0..<8).map { x + Float($0) * 0.001_37 })
            let got = exp8(lanes)
            for j in 0..<8 {
                let want = expf(lanes[j])
                worst = max(worst, abs(got[j] - want) / want.ulp)
            }
            x += 0.0137 * 8
        }
        XCTAssertLessThanOrEqual(worst, 4, "exp8 is \(worst) ulp from expf")
    }

    func testExpUnderflowAndInfinity() {
        let got = exp8(Float8(-.infinity, -100, -87.5, 0, 1, -1, 88, 0.5))
        XCTAssertEqual(got[0], 0)
        XCTAssertEqual(got[1], 0)
        XCTAssertEqual(got[2], 0)
        XCTAssertEqual(got[3], 1)
        XCTAssertEqual(got[4], expf(1), accuracy: 2 * expf(1).ulp)
        XCTAssertFalse(got[6].isInfinite)
    }

    func testTanhMatchesLibm() {
        var worst: Float = 0
        var x: Float = -12
        while x < 12 {
            let lanes = Float8((0..<8).map { x + Float($0) * 0.000_91 })
            let got = tanh8(lanes)
            for j in 0..<8 { worst = max(worst, abs(got[j] - tanhf(lanes[j]))) }
            x += 0.0073
        }
        XCTAssertLessThan(worst, 2e-7, "tanh8 is \(worst) from tanhf")
        XCTAssertEqual(tanh8(Float8(repeating: 0))[0], 0)
        XCTAssertEqual(tanh8(Float8(repeating: 50))[0], 1)
        XCTAssertEqual(tanh8(Float8(repeating: -50))[0], -1)
    }

    func testGeluTailEqualsLanes() {
        // 13 values: one full block and a 5-value tail must get the same arithmetic.
        let xs: [Float] = (0..<13).map { Float($0) * 0.37 - 2.1 }
        var a = [Float](repeating: 0, count: 13), b = [Float](repeating: 0, count: 13)
        geluForward(xs, &a, 13)
        for i in 0..<13 { geluForward([xs[i]], &b[i], 1) }
        XCTAssertEqual(a, b)
    }
}
