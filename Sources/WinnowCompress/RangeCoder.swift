/// The arithmetic (range) coder of EIW §3.3: precision 14 — symbol counts sum to 2^14 — on
/// integers of precision + 2 = 16 bits (Witten, Neal and Cleary's coder with E1/E2/E3
/// renormalisation). After renormalisation the interval holds more than a quarter of the 16-bit
/// range, i.e. more than 2^14 values, so every symbol with a count ≥ 1 gets a non-empty
/// sub-interval: ⌊r·c/2^14⌋ grows by at least 1 per count when r > 2^14.
public struct CoderInterval: Sendable, Equatable {
    public static let half: UInt32 = 0x8000
    public static let quarter: UInt32 = 0x4000
    public var low: UInt32 = 0
    public var high: UInt32 = 0xFFFF

    public init() {}

    /// Inclusive bounds of symbol s's sub-interval under `cdf` (257 cumulative counts).
    @inline(__always)
    public func child(_ cdf: UnsafePointer<UInt32>, _ s: Int) -> (low: UInt32, high: UInt32) {
        let r = UInt64(high - low + 1)
        return (low + UInt32(truncatingIfNeeded: (r * UInt64(cdf[s])) >> 14),
                low + UInt32(truncatingIfNeeded: (r * UInt64(cdf[s + 1])) >> 14) - 1)
    }

    /// The symbol whose sub-interval holds state value x (low ≤ x ≤ high): the usual
    /// cumulative-count inversion, then checked against the exact bounds.
    @inline(__always)
    public func symbol(at x: UInt32, _ cdf: UnsafePointer<UInt32>) -> Int {
        let r = UInt64(high - low + 1)
        let target = UInt32(((UInt64(x - low) + 1) * UInt64(QuantizedCDF.total) - 1) / r)
        var lo = 0, hi = QuantizedCDF.symbols   // first s with cdf[s + 1] > target
        while lo < hi {
            let m = (lo + hi) >> 1
            if cdf[m + 1] > target { hi = m } else { lo = m + 1 }
        }
        var s = min(lo, QuantizedCDF.symbols - 1)
        while s > 0 && x < child(cdf, s).low { s -= 1 }
        while s < QuantizedCDF.symbols - 1 && x > child(cdf, s).high { s += 1 }
        return s
    }
}

/// Bits, most significant first, packed into bytes.
public struct BitWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var count = 0
    private var acc: UInt8 = 0

    public init() {}

    @inline(__always)
    public mutating func write(_ bit: Bool) {
        acc = acc << 1 | (bit ? 1 : 0)
        count += 1
        if count & 7 == 0 { bytes.append(acc); acc = 0 }
    }

    /// The bytes with the last partial byte padded with zero bits.
    public var paddedBytes: [UInt8] {
        count & 7 == 0 ? bytes : bytes + [acc << UInt8(8 - count & 7)]
    }
}

/// Plain arithmetic coding of a whole sequence (the "AC" and "StaticAC" baselines).
public struct ArithmeticEncoder: Sendable {
    public private(set) var interval = CoderInterval()
    public private(set) var bits = BitWriter()
    private var pending = 0

    public init() {}

    @inline(__always)
    private mutating func emit(_ bit: Bool) {
        bits.write(bit)
        while pending > 0 { bits.write(!bit); pending -= 1 }
    }

    public mutating func encode(_ s: Int, _ cdf: UnsafePointer<UInt32>) {
        let c = interval.child(cdf, s)
        var low = c.low, high = c.high
        while true {
            if high < CoderInterval.half {
                emit(false)
            } else if low >= CoderInterval.half {
                emit(true); low -= CoderInterval.half; high -= CoderInterval.half
            } else if low >= CoderInterval.quarter && high < 3 * CoderInterval.quarter {
                pending += 1; low -= CoderInterval.quarter; high -= CoderInterval.quarter
            } else {
                break
            }
            low <<= 1; high = high << 1 | 1
        }
        interval.low = low; interval.high = high
    }

    /// Two more bits (plus pending ones) select a point inside the final interval whatever
    /// bits follow; returns the whole bit string.
    public mutating func finish() -> BitWriter {
        pending += 1
        emit(interval.low >= CoderInterval.quarter)
        return bits
    }
}

/// Decodes what `ArithmeticEncoder` wrote, reading zeros past the end.
public struct ArithmeticDecoder {
    private var interval = CoderInterval()
    private var code: UInt32 = 0
    private let data: [UInt8]
    private var position = 0

    public init(_ data: [UInt8]) {
        self.data = data
        for _ in 0..<16 { code = code << 1 | nextBit() }
    }

    @inline(__always)
    private mutating func nextBit() -> UInt32 {
        let byte = position >> 3
        let bit: UInt32 = byte < data.count ? UInt32(data[byte] >> UInt8(7 - position & 7)) & 1 : 0
        position += 1
        return bit
    }

    public mutating func decode(_ cdf: UnsafePointer<UInt32>) -> Int {
        let s = interval.symbol(at: code, cdf)
        let c = interval.child(cdf, s)
        var low = c.low, high = c.high
        while true {
            if high < CoderInterval.half {
            } else if low >= CoderInterval.half {
                low -= CoderInterval.half; high -= CoderInterval.half; code -= CoderInterval.half
            } else if low >= CoderInterval.quarter && high < 3 * CoderInterval.quarter {
                low -= CoderInterval.quarter; high -= CoderInterval.quarter; code -= CoderInterval.quarter
            } else {
                break
            }
            low <<= 1; high = high << 1 | 1; code = code << 1 | nextBit()
        }
        interval.low = low; interval.high = high
        return s
    }
}
