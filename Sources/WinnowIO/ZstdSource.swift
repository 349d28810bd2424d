import CZstd
import WinnowCore

/// Streaming zstd (any number of frames). A corrupt frame is skipped by resynchronising on the
/// next frame magic; the damage is counted and the next chunk carries `gapBefore`.
public final class ZstdSource: ByteSource {
    private let window: InputWindow
    private let dctx: OpaquePointer
    private let out: UnsafeMutableRawBufferPointer
    public private(set) var damage = DamageReport()
    public var path: String { window.reader.path }
    public var inputBytesRead: Int { window.reader.bytesRead }
    private var gapPending = false
    private var resyncing = false
    /// ZSTD_decompressStream's last hint: 0 when a frame was completely decoded.
    private var midFrame = false
    private var frameOffset = 0
    private static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    init(reader: FileReader, prefix: [UInt8]) {
        window = InputWindow(reader: reader, prefix: prefix, capacity: 1 << 20)
        dctx = ZSTD_createDCtx()
        out = .allocate(byteCount: Int(ZSTD_DStreamOutSize()) * 2, alignment: 64)
    }

    public convenience init(path: String) throws {
        self.init(reader: try FileReader(path: path), prefix: [])
    }

    deinit {
        ZSTD_freeDCtx(dctx)
        out.deallocate()
    }

    public func next() throws -> SourceChunk? {
        while true {
            if window.available == 0 {
                if try window.eof || !window.refill() {
                    if midFrame && !resyncing {
                        damage.record("zstd_truncated_frame", at: "\(path)@\(frameOffset)", "file ends inside a zstd frame")
                    }
                    return nil
                }
            }
            if !midFrame { frameOffset = window.offset }
            var input = ZSTD_inBuffer(src: window.pointer, size: window.available, pos: 0)
            var output = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
            let rc = ZSTD_decompressStream(dctx, &output, &input)
            if ZSTD_isError(rc) != 0 {
                if !resyncing {
                    damage.record("zstd_corrupt_frame", at: "\(path)@\(frameOffset)", String(cString: ZSTD_getErrorName(rc)))
                }
                resyncing = true
                gapPending = true
                midFrame = false
                ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
                let frameIndex = frameOffset - (window.offset - window.start)
                if !(try window.seek(to: Self.magic, from: max(frameIndex + 1, 0))) { return nil }
                if output.pos > 0 {
                    return SourceChunk(bytes: UnsafeRawBufferPointer(rebasing: out[0..<output.pos]), gapBefore: false)
                }
                continue
            }
            window.start += input.pos
            midFrame = rc != 0
            if !midFrame { resyncing = false }
            if output.pos > 0 {
                defer { gapPending = false }
                return SourceChunk(bytes: UnsafeRawBufferPointer(rebasing: out[0..<output.pos]), gapBefore: gapPending)
            }
        }
    }
}
