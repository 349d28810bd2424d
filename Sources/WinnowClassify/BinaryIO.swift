import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// A model file problem: what is wrong and where, never a crash.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Little-endian reads over a whole file in memory, bounds-checked.
struct BinaryReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    init(path: String) throws {
        self.path = path
        guard let b = readFileBytes(path) else { throw ModelError(path, "cannot open: \(String(cString: strerror(errno)))") }
        bytes = b
    }

    var remaining: Int { bytes.count - offset }

    mutating func need(_ n: Int, _ what: String) throws {
        guard n >= 0, remaining >= n else {
            throw ModelError(path, "file ends at byte \(bytes.count) while reading \(what) (a truncated or damaged model?)")
        }
    }

    mutating func raw<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        try need(MemoryLayout<T>.size, what)
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + MemoryLayout<T>.size])) }
        }
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func int32(_ what: String) throws -> Int32 { try raw(Int32.self, what) }
    mutating func int64(_ what: String) throws -> Int64 { try raw(Int64.self, what) }
    mutating func uint8(_ what: String) throws -> UInt8 { try raw(UInt8.self, what) }
    mutating func bool(_ what: String) throws -> Bool { try uint8(what) != 0 }

    mutating func double(_ what: String) throws -> Double { Double(bitPattern: UInt64(bitPattern: try int64(what))) }

    mutating func floats(_ count: Int, _ what: String) throws -> [Float] {
        try need(count &* 4, what)
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + count * 4])) }
        }
        offset += count * 4
        return out
    }

    /// Floats that must all be finite (weights): a NaN or infinity is damage.
    mutating func finiteFloats(_ count: Int, _ what: String) throws -> [Float] {
        let start = offset
        let v = try floats(count, what)
        // A branch-free pass (vectorised): any exponent of all ones is NaN or infinity.
        var bad: UInt32 = 0
        v.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: UInt32.self) { u in for x in u { bad |= (~x & 0x7F80_0000) == 0 ? 1 : 0 } }
        }
        if bad != 0, let i = v.firstIndex(where: { !$0.isFinite }) {
            throw ModelError(path, "\(what): value \(i) (byte \(start + 4 * i)) is \(v[i]), not a finite number")
        }
        return v
    }

    mutating func byteArray(_ count: Int, _ what: String) throws -> [UInt8] {
        try need(count, what)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A NUL-terminated string (fastText's dictionary entries).
    mutating func cString(_ what: String) throws -> [UInt8] {
        guard let end = bytes[offset...].firstIndex(of: 0) else {
            throw ModelError(path, "unterminated string while reading \(what)")
        }
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }
}

/// Little-endian writes streamed to a temporary file, renamed into place by `commit()`.
final class BinaryWriter {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private let tmp: String
    private var failed = false

    init(path: String) throws {
        self.path = path
        tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else { throw ModelError(path, "cannot write: \(String(cString: strerror(errno)))") }
        file = f
    }

    deinit {
        if !failed { fclose(file); unlink(tmp) }
    }

    func bytes(_ p: UnsafeRawPointer, _ n: Int) { if fwrite(p, 1, n, file) != n { failed = true } }
    func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes($0.baseAddress!, 4) } }
    func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes($0.baseAddress!, 8) } }
    func uint8(_ v: UInt8) { withUnsafeBytes(of: v) { bytes($0.baseAddress!, 1) } }
    func bool(_ v: Bool) { uint8(v ? 1 : 0) }
    func double(_ v: Double) { int64(Int64(bitPattern: v.bitPattern)) }
    func floats(_ p: UnsafePointer<Float>, count: Int) { bytes(UnsafeRawPointer(p), count * 4) }
    func cString(_ v: [UInt8]) { v.withUnsafeBytes { bytes($0.baseAddress!, $0.count) }; uint8(0) }

    func commit() throws {
        let closed = fclose(file)
        defer { failed = true }  // closed: deinit must not close again
        guard !failed, closed == 0, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw ModelError(path, "write failed: \(String(cString: strerror(errno)))")
        }
    }
}
