import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// A run of decoded bytes handed out by a `ByteSource`. Valid until the source's next call.
public struct SourceChunk {
    public var bytes: UnsafeRawBufferPointer
    /// True when bytes were lost (a corrupt compressed member was skipped) just before this chunk.
    public var gapBefore: Bool
    public init(bytes: UnsafeRawBufferPointer, gapBefore: Bool) { self.bytes = bytes; self.gapBefore = gapBefore }
}

/// A stream of decoded (decompressed) bytes from one input. Damage is skipped, counted in
/// `damage` and signalled by `gapBefore`, so record parsers can drop what straddles a gap.
public protocol ByteSource: AnyObject {
    /// The next chunk, or nil at the end of the input.
    func next() throws -> SourceChunk?
    /// Bytes of the underlying file consumed so far (compressed bytes for compressed inputs).
    var inputBytesRead: Int { get }
    var damage: DamageReport { get }
    /// What was read despite an anomaly (e.g. zstd frames without a checksum, released unverified).
    var warnings: DamageReport { get }
    var path: String { get }
}

extension ByteSource {
    public var warnings: DamageReport { DamageReport() }
}

public struct IOError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Reads a file descriptor in large chunks.
final class FileReader {
    let fd: Int32
    let path: String
    private let ownsFD: Bool
    private(set) var bytesRead = 0
    private(set) var atEOF = false
    /// Size of a regular file (nil for pipes and standard input), to size buffers for small files.
    private(set) var size: Int?

    /// `offset`: start reading there (a split of a file); `bytesRead` counts from it.
    init(path: String, offset: Int = 0) throws {
        self.path = path
        if path == "-" {
            fd = 0
            ownsFD = false
        } else {
            let f = open(path, O_RDONLY | O_CLOEXEC)
            guard f >= 0 else { throw IOError(path, "cannot open: \(String(cString: strerror(errno)))") }
            fd = f
            ownsFD = true
            var st = stat()
            if fstat(f, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(f)
                throw IOError(path, "is a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG { size = Int(st.st_size) }
            _ = posix_fadvise(f, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
            if offset > 0 && lseek(f, off_t(offset), SEEK_SET) < 0 {
                close(f)
                throw IOError(path, "cannot seek to \(offset): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit { if ownsFD { close(fd) } }

    /// Continues reading at absolute file offset `offset`; false when the input cannot seek
    /// (a pipe).
    func seek(to offset: Int) -> Bool {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { return false }
        atEOF = false
        return true
    }

    /// Reads up to `count` bytes into `dst`; 0 means end of file.
    func read(into dst: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if atEOF { return 0 }
        while true {
            let n = Glibc.read(fd, dst, count)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(path, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true }
            bytesRead += n
            return n
        }
    }
}

/// An uncompressed file (or stdin) as a byte source.
public final class PlainSource: ByteSource {
    private let reader: FileReader
    private var buffer: UnsafeMutableRawBufferPointer
    public private(set) var damage = DamageReport()
    public var path: String { reader.path }
    public var inputBytesRead: Int { reader.bytesRead }

    public init(path: String, bufferSize: Int = 1 << 20) throws {
        reader = try FileReader(path: path)
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    init(reader: FileReader, bufferSize: Int = 1 << 20) {
        self.reader = reader
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    public func next() throws -> SourceChunk? {
        let n = try reader.read(into: buffer.baseAddress!, count: buffer.count)
        return n == 0 ? nil : SourceChunk(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), gapBefore: false)
    }
}

/// Opens a file choosing the decoder from its first bytes (gzip, zstd, else plain), so a
/// mis-named file still reads. Standard input is `-`.
public func openByteSource(_ path: String) throws -> ByteSource {
    let reader = try FileReader(path: path)
    var magic = [UInt8](repeating: 0, count: 4)
    var got = 0
    while got < 4 {
        let n = try magic.withUnsafeMutableBytes { try reader.read(into: $0.baseAddress! + got, count: 4 - got) }
        if n == 0 { break }
        got += n
    }
    let head = Array(magic[0..<got])
    if got >= 2, head[0] == 0x1F, head[1] == 0x8B { return GzipSource(reader: reader, prefix: head) }
    if got == 4, head == [0x28, 0xB5, 0x2F, 0xFD] { return ZstdSource(reader: reader, prefix: head) }
    return PrefixedSource(prefix: head, inner: PlainSource(reader: reader))
}

/// Replays bytes already read for sniffing (the compression here, the document format in
/// `DocumentReader`), then continues with the inner source.
final class PrefixedSource: ByteSource {
    private let prefix: UnsafeMutableRawBufferPointer
    private let count: Int
    private let gap: Bool
    private let inner: ByteSource
    private var prefixDone: Bool

    /// `gap`: whether a gap in the input (skipped damage) came before the prefix.
    init(prefix: [UInt8], gap: Bool = false, inner: ByteSource) {
        self.prefix = .allocate(byteCount: max(prefix.count, 1), alignment: 1)
        self.prefix.copyBytes(from: prefix)
        count = prefix.count
        self.gap = gap
        self.inner = inner
        prefixDone = prefix.isEmpty
    }

    deinit { prefix.deallocate() }

    var damage: DamageReport { inner.damage }
    var warnings: DamageReport { inner.warnings }
    var path: String { inner.path }
    var inputBytesRead: Int { inner.inputBytesRead }

    func next() throws -> SourceChunk? {
        if !prefixDone {
            prefixDone = true
            return SourceChunk(bytes: UnsafeRawBufferPointer(rebasing: prefix[0..<count]), gapBefore: gap)
        }
        return try inner.next()
    }
}
