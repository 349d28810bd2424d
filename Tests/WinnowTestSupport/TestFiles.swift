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
