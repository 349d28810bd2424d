/// LayerNorm and RMSNorm over rows of width `d`, forward and backward. Statistics are summed in
/// Double (rows are short; this keeps the result within float rounding of torch's).

/// y = (x − mean) · rstd · w (+ b); saves mean and rstd per row for the backward pass.
func normForward(rms: Bool, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, w: UnsafePointer<Float>,
                 b: UnsafePointer<Float>?, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                 rows: Int, d: Int, eps: Float) {
    for r in 0..<rows {
        let xr = x + r * d, yr = y + r * d
        var mu: Float = 0
        if !rms {
            var s = 0.0
            for i in 0..<d { s += Double(xr[i]) }
            mu = Float(s / Double(d))
        }
        var v = 0.0
        for i in 0..<d { let c = Double(xr[i] - mu); v += c * c }
        let rs = 1 / (Float(v / Double(d)) + eps).squareRoot()
        mean[r] = mu; rstd[r] = rs
        if let b {
            for i in 0..<d { yr[i] = (xr[i] - mu) * rs * w[i] + b[i] }
        } else {
            for i in 0..<d { yr[i] = (xr[i] - mu) * rs * w[i] }
        }
    }
}

/// dx += ∂L/∂x; dw += Σ dy·x̂; db += Σ dy.
func normBackward(rms: Bool, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                  w: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                  mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Int, d: Int) {
    for r in 0..<rows {
        let xr = x + r * d, dyr = dy + r * d, dxr = dx + r * d
        let mu = mean[r], rs = rstd[r]
        var sumG = 0.0, sumGX = 0.0
        for i in 0..<d {
            let xh = (xr[i] - mu) * rs
            let g = dyr[i] * w[i]
            sumG += Double(g); sumGX += Double(g * xh)
            dw[i] += dyr[i] * xh
            if let db { db[i] += dyr[i] }
        }
        let mG = rms ? 0 : Float(sumG / Double(d)), mGX = Float(sumGX / Double(d))
        for i in 0..<d {
            let xh = (xr[i] - mu) * rs
            dxr[i] += rs * (dyr[i] * w[i] - mG - xh * mGX)
        }
    }
}
