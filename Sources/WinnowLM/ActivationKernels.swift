#if canImport(Glibc)
import Glibc
#endif

/// MLP activations, forward and backward, elementwise over `n` values.

private let geluC: Float = 0.797_884_56   // sqrt(2/π)

/// GPT-2's tanh-approximated GELU.
func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let v = x[i]
        y[i] = 0.5 * v * (1 + tanhf(geluC * (v + 0.044715 * v * v * v)))
    }
}

/// dx = dy · gelu'(x) (overwrites dx).
func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let v = x[i]
        let t = tanhf(geluC * (v + 0.044715 * v * v * v))
        let dt = geluC * (1 + 3 * 0.044715 * v * v) * (1 - t * t)
        dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * dt)
    }
}

func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
}

func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
}

/// a = silu(g) · u.
func swigluForward(_ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let s = 1 / (1 + expf(-g[i]))
        a[i] = g[i] * s * u[i]
    }
}

/// dg, du from da (overwrite).
func swigluBackward(_ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ da: UnsafePointer<Float>,
                    _ dg: UnsafeMutablePointer<Float>, _ du: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let s = 1 / (1 + expf(-g[i]))
        du[i] = da[i] * g[i] * s
        dg[i] = da[i] * u[i] * s * (1 + g[i] * (1 - s))
    }
}
