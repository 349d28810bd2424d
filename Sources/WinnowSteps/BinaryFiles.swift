import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Writes a step's binary side file (keys, pair lists) under a temporary name, then renames it.
public func writeBinary(_ bytes: [UInt8], to path: String) throws {
    let out = try AtomicOutput(path: path, compression: .none)
    try out.sink.write(bytes)
    try out.commit()
}

/// The whole file, or an error that names it.
public func readBinary(_ path: String) throws -> [UInt8] {
    guard let b = readFileBytes(path) else { throw RunError("\(path): cannot open: \(String(cString: strerror(errno)))") }
    return b
}
