/// MLP activations, forward and backward, elementwise over `n` values: eight lanes at a time
/// with the vector exp/tanh of VectorMath.swift, the tail through the same functions, so every
/// element gets the same arithmetic wherever it sits.

private let geluC: Float = 0.797_884_56   // sqrt(2/π)

/// Calls body(offset, lanes) over 0..<n, eight at a time, then the tail with the unused lanes
/// zero-filled; body returns the results for the lanes it was given.
@inline(__always)
private func lanes(_ n: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i + 8 <= n { body(i, 8); i += 8 }
    if i < n { body(i, n - i) }
}

@inline(__always)
private func load(_ p: UnsafePointer<Float>, _ count: Int) -> Float8 {
    if count == 8 { return load8(p) }
    var v = Float8(repeating: 0)
    for j in 0..<count { v[j] = p[j] }
    return v
}

@inline(__always)
private func store(_ v: Float8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 { store8(v, p); return }
    for j in 0..<count { p[j] = v[j] }
}

/// GPT-2's tanh-approximated GELU.
func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    lanes(n) { i, c in
        let v = load(x + i, c)
        let t = tanh8(geluC * (v + 0.044715 * v * v * v))
        store(0.5 * v * (1 + t), y + i, c)
    }
}

/// dx = dy · gelu'(x) (overwrites dx).
func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    lanes(n) { i, c in
        let v = load(x + i, c)
        let t = tanh8(geluC * (v + 0.044715 * v * v * v))
        let dt = geluC * (1 + 3 * 0.044715 * v * v) * (1 - t * t)
        store(load(dy + i, c) * (0.5 * (1 + t) + 0.5 * v * dt), dx + i, c)
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
    lanes(n) { i, c in
        let gv = load(g + i, c)
        let s = 1 / (1 + exp8(-gv))
        store(gv * s * load(u + i, c), a + i, c)
    }
}

/// dg, du from da (overwrite).
func swigluBackward(_ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ da: UnsafePointer<Float>,
                    _ dg: UnsafeMutablePointer<Float>, _ du: UnsafeMutablePointer<Float>, _ n: Int) {
    lanes(n) { i, c in
        let gv = load(g + i, c), dav = load(da + i, c)
        let s = 1 / (1 + exp8(-gv))
        store(dav * gv * s, du + i, c)
        store(dav * load(u + i, c) * s * (1 + gv * (1 - s)), dg + i, c)
    }
}
