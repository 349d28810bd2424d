import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing the files a test needs.
public enum TestFiles {
    /// Writes `bytes` to `path` (created or truncated).
    public static func write(_ bytes: [UInt8], to path: String) {
        let f = fopen(path, "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// The names in a directory, sorted, without those starting with a dot.
    public static func list(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else { throw MissingTestFile(path: dir) }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if !name.hasPrefix(".") { out.append(name) }
        }
        return out.sorted()
    }

    /// A JSON file, parsed.
    public static func json(_ path: String) throws -> JSONValue {
        guard let bytes = readFileBytes(path) else { throw MissingTestFile(path: path) }
        return try JSONParser.parse(bytes)
    }
}

/// A file a test reads is not there.
public struct MissingTestFile: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "missing test file \(path)" }
}
