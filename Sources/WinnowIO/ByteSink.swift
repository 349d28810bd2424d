import CZlib
import CZstd
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Where output bytes go: a file, optionally compressed.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes compressor state and closes; the data is complete after this.
    func finish() throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
}

/// A file descriptor with its own write buffer.
public final class FileSink: ByteSink {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private var closed = false
    private let ownsFD: Bool

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 1
            ownsFD = false
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw IOError(path, "cannot create: \(String(cString: strerror(errno)))") }
            ownsFD = true
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if ownsFD && !closed { close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) { try writeAll(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    public func flush() throws {
        if buffer.isEmpty { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ b: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < b.count {
            let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(path, "write failed: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    public func finish() throws {
        try flush()
        if ownsFD && !closed {
            closed = true
            guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
                throw IOError(path, "close failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// zstd frames written through a `FileSink`.
public final class ZstdSink: ByteSink {
    private let inner: FileSink
    private let cctx: OpaquePointer
    private var out: [UInt8]

    public init(inner: FileSink, level: Int32 = 3) {
        self.inner = inner
        cctx = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
        out = [UInt8](repeating: 0, count: Int(ZSTD_CStreamOutSize()))
    }

    deinit { ZSTD_freeCCtx(cctx) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size { try step(&input, ZSTD_e_continue) }
    }

    private func step(_ input: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) throws {
        let cap = out.count
        var remaining = 0
        let produced: Int = try out.withUnsafeMutableBytes { ob in
            var output = ZSTD_outBuffer(dst: ob.baseAddress, size: cap, pos: 0)
            let rc = ZSTD_compressStream2(cctx, &output, &input, mode)
            if ZSTD_isError(rc) != 0 { throw IOError(inner.path, "zstd: \(String(cString: ZSTD_getErrorName(rc)))") }
            remaining = rc
            return output.pos
        }
        if produced > 0 { try out.withUnsafeBytes { try inner.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        if mode == ZSTD_e_end && remaining > 0 { try step(&input, mode) }
    }

    public func finish() throws {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        try step(&input, ZSTD_e_end)
        try inner.finish()
    }
}

/// One gzip member written through a `FileSink`.
public final class GzipSink: ByteSink {
    private let inner: FileSink
    private var zs = z_stream()
    private var out = [UInt8](repeating: 0, count: 256 << 10)

    public init(inner: FileSink, level: Int32 = 6) {
        self.inner = inner
        deflateInit2_(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }

    deinit { deflateEnd(&zs) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        zs.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        zs.avail_in = UInt32(bytes.count)
        while zs.avail_in > 0 { try pump(Z_NO_FLUSH) }
    }

    private func pump(_ flush: Int32) throws {
        let cap = out.count
        let (rc, produced): (Int32, Int) = out.withUnsafeMutableBufferPointer { ob in
            zs.next_out = ob.baseAddress
            zs.avail_out = UInt32(cap)
            let rc = deflate(&zs, flush)
            return (rc, cap - Int(zs.avail_out))
        }
        if rc == Z_STREAM_ERROR { throw IOError(inner.path, "gzip: deflate failed") }
        if produced > 0 { try out.withUnsafeBytes { try inner.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        if flush == Z_FINISH && rc != Z_STREAM_END { try pump(flush) }
    }

    public func finish() throws {
        try pump(Z_FINISH)
        try inner.finish()
    }
}

public enum Compression: String, Sendable, CaseIterable {
    case none, gzip, zstd

    public var fileExtension: String {
        switch self { case .none: return ""; case .gzip: return ".gz"; case .zstd: return ".zst" }
    }

    public static func guess(path: String) -> Compression {
        let p = path.lowercased()
        if p.hasSuffix(".gz") { return .gzip }
        if p.hasSuffix(".zst") || p.hasSuffix(".zstd") { return .zstd }
        return .none
    }
}

public func openByteSink(_ path: String, compression: Compression) throws -> ByteSink {
    let f = try FileSink(path: path)
    switch compression {
    case .none: return f
    case .gzip: return GzipSink(inner: f)
    case .zstd: return ZstdSink(inner: f)
    }
}
