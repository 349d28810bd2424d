/// The coder interval of one equal-info window, with its exact position on [0, 1).
///
/// The 16-bit state (low, high) is the coder's (`CoderInterval`); each renormalisation step
/// doubles the scale, so after `shifts` steps one state unit is 2^−(16 + shifts) and state value
/// x sits at (base + x) · 2^−(16 + shifts): E1 (x → 2x) makes base 2·base, E2 (x → 2(x − ½))
/// 2·base + 2^16, E3 (x → 2(x − ¼)) 2·base + 2^15. Positions are compared on the window's own
/// grid of b-bit values in units of 2^−(b + 16): value V is 2^16 · V there, the b-bit cell of V
/// covers [2^16·V, 2^16·(V + 1)), and state value x is (base + x) · 2^(b − shifts). A window only
/// holds intervals that contain a whole cell (width ≥ 2^−b), so shifts ≤ b and, with b ≤ 40,
/// everything fits a UInt64.
struct WindowInterval {
    var state = CoderInterval()
    var shifts = 0
    var base: UInt64 = 0
    let bits: Int

    init(bits: Int) { self.bits = bits }

    static let cell: UInt64 = 1 << 16

    /// Position of state value x (or x = high + 1 for an exclusive end) on the window grid.
    @inline(__always)
    func absolute(_ x: UInt32) -> UInt64 { (base + UInt64(x)) << UInt64(bits - shifts) }

    /// Does [lo, hi] (state values at the current scale) contain a whole b-bit cell?
    @inline(__always)
    func holdsCell(_ lo: UInt32, _ hi: UInt32) -> Bool {
        let a = absolute(lo), e = absolute(hi + 1)
        let g = (a + Self.cell - 1) & ~(Self.cell - 1)
        return g + Self.cell <= e
    }

    /// Moves into the sub-interval [lo, hi] and renormalises.
    @inline(__always)
    mutating func enter(_ lo: UInt32, _ hi: UInt32) {
        var low = lo, high = hi
        while true {
            if high < CoderInterval.half {
                base = base << 1
            } else if low >= CoderInterval.half {
                base = base << 1 + 0x10000; low -= CoderInterval.half; high -= CoderInterval.half
            } else if low >= CoderInterval.quarter && high < 3 * CoderInterval.quarter {
                base = base << 1 + 0x8000; low -= CoderInterval.quarter; high -= CoderInterval.quarter
            } else {
                break
            }
            low <<= 1; high = high << 1 | 1; shifts += 1
        }
        state.low = low; state.high = high
    }

    /// The lowest b-bit value whose cell lies inside this interval and on which the decoder
    /// stops here: its cell crosses a boundary between two children (the decoder cannot
    /// descend into either), or it falls in the terminator child (symbol 255). nil if none.
    func stoppingValue(_ cdf: UnsafePointer<UInt32>) -> UInt64? {
        let lo = absolute(state.low), end = absolute(state.high + 1)
        let r = UInt64(state.high - state.low + 1)
        let mask = ~(Self.cell - 1)
        for s in 1..<QuantizedCDF.symbols {
            let beta = absolute(state.low + UInt32(truncatingIfNeeded: (r * UInt64(cdf[s])) >> 14))
            let g = beta & mask
            if g != beta && g >= lo && g + Self.cell <= end { return g >> 16 }
        }
        let t = absolute(state.low + UInt32(truncatingIfNeeded: (r * UInt64(cdf[QuantizedCDF.symbols - 1])) >> 14))
        let g = (t + Self.cell - 1) & mask
        return g + Self.cell <= end ? g >> 16 : nil
    }

    /// The lowest b-bit value whose cell lies inside this interval (for a window that stops at
    /// the byte cap, where the decoder stops whatever the value).
    func anyValue() -> UInt64? {
        let lo = absolute(state.low), end = absolute(state.high + 1)
        let g = (lo + Self.cell - 1) & ~(Self.cell - 1)
        return g + Self.cell <= end ? g >> 16 : nil
    }

    /// Decoder: the child holding value v, and whether the decoder goes into it (its whole
    /// cell lies inside the child and the child is not the terminator).
    @inline(__always)
    func descend(_ v: UInt64, _ cdf: UnsafePointer<UInt32>) -> (symbol: Int, low: UInt32, high: UInt32, enters: Bool) {
        let pos = v << 16
        let x = UInt32(truncatingIfNeeded: (pos >> UInt64(bits - shifts)) - base)
        let s = state.symbol(at: x, cdf)
        let c = state.child(cdf, s)
        let enters = s != QuantizedCDF.symbols - 1 && pos + Self.cell <= absolute(c.high + 1)
        return (s, c.low, c.high, enters)
    }
}
