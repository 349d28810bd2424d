import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// A safetensors problem, naming the file and what is wrong with it.
public struct SafetensorsError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

public enum SafetensorsDType: String, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", i32 = "I32", i64 = "I64"
    public var size: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16, .bf16: return 2
        case .i64: return 8
        }
    }
}

/// One tensor's header entry: dtype, shape and byte range inside the data section.
public struct SafetensorsEntry: Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    public let begin: Int
    public let end: Int
    public var count: Int { shape.reduce(1, *) }
}

/// A whole safetensors file in memory: `u64 LE header length`, a JSON header, then the data.
/// Every header claim is checked against the file (dtypes, shapes against byte sizes, offsets
/// in range and not overlapping), so a truncated or corrupt file is an error, never a crash.
public struct SafetensorsFile: Sendable {
    public let path: String
    public let entries: [SafetensorsEntry]
    public let metadata: [String: String]
    private let bytes: [UInt8]
    private let dataStart: Int

    public init(path: String) throws {
        guard let b = readFileBytes(path) else { throw SafetensorsError(path, "cannot read the file") }
        try self.init(bytes: b, path: path)
    }

    public init(bytes: [UInt8], path: String) throws {
        self.path = path
        self.bytes = bytes
        guard bytes.count >= 8 else { throw SafetensorsError(path, "truncated: \(bytes.count) bytes, shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw SafetensorsError(path, "header length \(n) runs past the end of the file (\(bytes.count) bytes): truncated or not safetensors")
        }
        dataStart = 8 + Int(n)
        let header: JSONValue
        do { header = try JSONParser.parse(Array(bytes[8..<dataStart])) } catch {
            throw SafetensorsError(path, "header is not valid JSON: \(error)")
        }
        guard let obj = header.objectValue else { throw SafetensorsError(path, "header is not a JSON object") }
        let dataSize = bytes.count - dataStart
        var entries: [SafetensorsEntry] = []
        var metadata: [String: String] = [:]
        for (name, v) in obj {
            if name == "__metadata__" {
                guard let m = v.objectValue else { throw SafetensorsError(path, "__metadata__ is not an object") }
                for (k, s) in m {
                    guard let s = s.stringValue else { throw SafetensorsError(path, "__metadata__.\(k) is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let d = v["dtype"]?.stringValue else { throw SafetensorsError(path, "tensor '\(name)': missing dtype") }
            guard let dtype = SafetensorsDType(rawValue: d) else { throw SafetensorsError(path, "tensor '\(name)': unsupported dtype \(d)") }
            guard let shapeV = v["shape"]?.arrayValue else { throw SafetensorsError(path, "tensor '\(name)': missing shape") }
            var shape: [Int] = []
            for s in shapeV {
                guard let x = s.intValue, x >= 0, x < 1 << 40 else { throw SafetensorsError(path, "tensor '\(name)': bad shape \(JSONWriter.string(v))") }
                shape.append(x)
            }
            guard let offs = v["data_offsets"]?.arrayValue, offs.count == 2, let b = offs[0].intValue, let e = offs[1].intValue else {
                throw SafetensorsError(path, "tensor '\(name)': data_offsets must be [begin, end]")
            }
            guard 0 <= b, b <= e, e <= dataSize else {
                throw SafetensorsError(path, "tensor '\(name)': data_offsets [\(b), \(e)] outside the \(dataSize)-byte data section (truncated?)")
            }
            var count = 1
            for s in shape {
                let (p, o) = count.multipliedReportingOverflow(by: s)
                guard !o, p < 1 << 40 else { throw SafetensorsError(path, "tensor '\(name)': shape \(shape) too large") }
                count = p
            }
            guard count * dtype.size == e - b else {
                throw SafetensorsError(path, "tensor '\(name)': shape \(shape) of \(d) needs \(count * dtype.size) bytes, data_offsets give \(e - b)")
            }
            entries.append(SafetensorsEntry(name: name, dtype: dtype, shape: shape, begin: b, end: e))
        }
        let sorted = entries.sorted { $0.begin < $1.begin }
        for i in sorted.indices.dropFirst() where sorted[i].begin < sorted[i - 1].end {
            throw SafetensorsError(path, "tensors '\(sorted[i - 1].name)' and '\(sorted[i].name)' overlap")
        }
        self.entries = entries
        self.metadata = metadata
    }

    public func entry(_ name: String) -> SafetensorsEntry? { entries.first { $0.name == name } }

    public var names: [String] { entries.map(\.name) }

    /// The tensor as Float32 (F16 and BF16 are widened; integers are refused).
    public func floats(_ name: String) throws -> [Float] {
        guard let e = entry(name) else { throw SafetensorsError(path, "no tensor named '\(name)'") }
        guard e.dtype != .i32, e.dtype != .i64 else { throw SafetensorsError(path, "tensor '\(name)' is \(e.dtype.rawValue), expected a float type") }
        let base = dataStart + e.begin
        return bytes.withUnsafeBytes { raw -> [Float] in
            var out = [Float](repeating: 0, count: e.count)
            switch e.dtype {
            case .f32:
                for i in 0..<e.count { out[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self).littleEndian) }
            case .bf16:
                for i in 0..<e.count { out[i] = Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self).littleEndian) << 16) }
            case .f16:
                for i in 0..<e.count { out[i] = halfToFloat(raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self).littleEndian) }
            case .i32, .i64:
                break
            }
            return out
        }
    }

    /// The tensor as Int (I32 or I64).
    public func ints(_ name: String) throws -> [Int] {
        guard let e = entry(name) else { throw SafetensorsError(path, "no tensor named '\(name)'") }
        let base = dataStart + e.begin
        switch e.dtype {
        case .i32:
            return bytes.withUnsafeBytes { raw in (0..<e.count).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * $0, as: Int32.self))) } }
        case .i64:
            return bytes.withUnsafeBytes { raw in (0..<e.count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * $0, as: Int64.self))) } }
        default:
            throw SafetensorsError(path, "tensor '\(name)' is \(e.dtype.rawValue), expected I32 or I64")
        }
    }
}

/// IEEE half → single, including subnormals, infinities and NaN.
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exp = Int((h >> 10) & 0x1F), mant = UInt32(h & 0x3FF)
    if exp == 0 {
        let v = Float(mant) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -v : v
    }
    if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mant << 13)) }
    return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (mant << 13))
}

/// Collects tensors and writes a safetensors file atomically (temporary file, then rename).
public struct SafetensorsWriter {
    private var items: [(name: String, dtype: SafetensorsDType, shape: [Int], data: [UInt8])] = []
    public var metadata: [String: String] = [:]

    public init() {}

    public mutating func add(_ name: String, shape: [Int], floats: UnsafeBufferPointer<Float>) {
        precondition(shape.reduce(1, *) == floats.count, "shape \(shape) does not match \(floats.count) values for \(name)")
        var d = [UInt8](repeating: 0, count: floats.count * 4)
        d.withUnsafeMutableBytes { raw in
            for i in 0..<floats.count { raw.storeBytes(of: floats[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        }
        items.append((name, .f32, shape, d))
    }

    public mutating func add(_ name: String, shape: [Int], floats: [Float]) {
        floats.withUnsafeBufferPointer { add(name, shape: shape, floats: $0) }
    }

    public mutating func add(_ name: String, shape: [Int], ints: [Int]) {
        precondition(shape.reduce(1, *) == ints.count, "shape \(shape) does not match \(ints.count) values for \(name)")
        var d = [UInt8](repeating: 0, count: ints.count * 8)
        d.withUnsafeMutableBytes { raw in
            for i in 0..<ints.count { raw.storeBytes(of: Int64(ints[i]).littleEndian, toByteOffset: 8 * i, as: Int64.self) }
        }
        items.append((name, .i64, shape, d))
    }

    public func serialized() -> [UInt8] {
        var header = JSONObject()
        if !metadata.isEmpty {
            header.append("__metadata__", .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })))
        }
        var offset = 0
        for it in items {
            header.append(it.name, .object(JSONObject([
                ("dtype", .string(it.dtype.rawValue)),
                ("shape", .array(it.shape.map { JSONValue.int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + it.data.count)])),
            ])))
            offset += it.data.count
        }
        var h: [UInt8] = []
        JSONWriter.writeObject(header, to: &h)
        while h.count % 8 != 0 { h.append(0x20) }   // data section starts 8-aligned
        var out: [UInt8] = []
        out.reserveCapacity(8 + h.count + offset)
        let n = UInt64(h.count)
        for i in 0..<8 { out.append(UInt8((n >> (8 * UInt64(i))) & 0xFF)) }
        out += h
        for it in items { out += it.data }
        return out
    }

    public func write(to path: String) throws {
        try writeFileAtomically(path, serialized())
    }
}

/// Writes bytes under a temporary name, syncs, then renames over `path`.
public func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw SafetensorsError(path, "cannot create \(tmp): \(String(cString: strerror(errno)))") }
    var written = 0
    let ok = bytes.withUnsafeBytes { raw -> Bool in
        while written < raw.count {
            let r = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
            if r <= 0 { if errno == EINTR { continue }; return false }
            written += r
        }
        return fsync(fd) == 0
    }
    close(fd)
    guard ok else { unlink(tmp); throw SafetensorsError(path, "cannot write \(tmp): \(String(cString: strerror(errno)))") }
    guard rename(tmp, path) == 0 else { unlink(tmp); throw SafetensorsError(path, "cannot rename \(tmp): \(String(cString: strerror(errno)))") }
}
