// Plain POSIX file access for token shards: a buffered appender that writes to a temporary name
// and renames on commit, and a positional reader. Errors carry the file name and errno text.

#if canImport(Glibc)
import Glibc
#endif

/// Appends bytes through a 1 MB buffer to `final + ".tmp"`; `commit` renames it into place.
final class ShardFileWriter {
    let finalPath: String
    let tempPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var bytesWritten: UInt64 = 0
    private static let bufferSize = 1 << 20

    init(path: String) throws {
        finalPath = path
        tempPath = path + ".tmp"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TokenShardError(path: tempPath, "cannot create: \(errnoText())") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if fd >= 0 { Glibc.close(fd); unlink(tempPath) } }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize { try writeAll(bytes); return }
        buffer.append(contentsOf: bytes)
        bytesWritten += UInt64(bytes.count)
    }

    func append<T: FixedWidthInteger>(littleEndian value: T) throws {
        try withUnsafeBytes(of: value.littleEndian) { try append($0) }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try pending.withUnsafeBytes { try writeOut($0) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        try writeOut(bytes)
        bytesWritten += UInt64(bytes.count)
    }

    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw TokenShardError(path: tempPath, "write failed: \(errnoText())") }
            off += n
        }
    }

    /// Overwrites bytes at `offset` (after flushing), e.g. a header whose counts are known last.
    func overwrite(at offset: UInt64, _ bytes: [UInt8]) throws {
        try flush()
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        guard n == bytes.count else { throw TokenShardError(path: tempPath, "write failed: \(errnoText())") }
    }

    /// Flushes, syncs and closes; the file keeps its temporary name until `rename`.
    func close() throws {
        try flush()
        guard fd >= 0 else { return }
        guard fsync(fd) == 0 else { throw TokenShardError(path: tempPath, "fsync failed: \(errnoText())") }
        Glibc.close(fd)
        fd = -1
    }

    func rename() throws {
        guard Glibc.rename(tempPath, finalPath) == 0 else {
            throw TokenShardError(path: finalPath, "cannot rename \(tempPath) into place: \(errnoText())")
        }
    }

    func discard() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        unlink(tempPath)
    }
}

/// Positional reads from one file.
final class ShardFileReader {
    let path: String
    let size: UInt64
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TokenShardError(path: path, "cannot open: \(errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { Glibc.close(fd); throw TokenShardError(path: path, "cannot stat: \(errnoText())") }
        size = UInt64(st.st_size)
    }

    deinit { Glibc.close(fd) }

    /// Exactly `count` bytes at `offset`, or an error naming the shortfall.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset + UInt64(count) <= size else {
            throw TokenShardError(path: path, "truncated: needs bytes \(offset)..<\(offset + UInt64(count)) but the file has \(size)")
        }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw TokenShardError(path: path, "read failed at \(offset + UInt64(done)): \(errnoText())") }
            done += n
        }
        return out
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

@inline(__always)
func loadLE<T: FixedWidthInteger>(_ b: [UInt8], _ at: Int, as: T.Type) -> T {
    var v: T = 0
    for k in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: b[at + k]) << (8 * k) }
    return v
}
