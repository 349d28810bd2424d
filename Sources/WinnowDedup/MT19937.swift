/// The Mersenne Twister as numpy's legacy `RandomState(seed)` runs it, and its masked
/// rejection `randint` for uint64 — so MinHash permutations equal datatrove's.
struct MT19937 {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// numpy's `RandomState(seed)` for an integer seed: Knuth's `init_genrand`.
    init(seed: UInt32) {
        mt[0] = seed
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// numpy's `next_uint64` for MT19937: the first draw is the high half.
    mutating func next64() -> UInt64 {
        let hi = UInt64(next32())
        return hi << 32 | UInt64(next32())
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % 624] & 0x7FFF_FFFF)
            var v = mt[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            mt[i] = v
        }
        index = 0
    }

    /// `randint(low, high, dtype=uint64)` (high exclusive) with numpy's legacy masked rejection.
    mutating func randint(_ low: UInt64, _ high: UInt64) -> UInt64 {
        let rng = high - 1 - low
        if rng == 0 { return low }
        if rng <= 0xFFFF_FFFF {
            var mask = UInt32(rng)
            mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
            while true {
                let v = next32() & mask
                if UInt64(v) <= rng { return low + UInt64(v) }
            }
        }
        var mask = rng
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
        while true {
            let v = next64() & mask
            if v <= rng { return low + v }
        }
    }
}
