import CZstd
import WinnowCore

/// Streaming zstd (any number of frames). A frame's output is released only once the frame
/// has been decoded to its end, where libzstd checks the content checksum (see `HeldOutput`).
/// A frame written without a checksum cannot be verified: it is released when it decodes
/// cleanly and counted in `warnings` (`zstd_frame_without_checksum`). A corrupt or truncated
/// frame yields nothing: it is counted with its offset, the search for the next frame magic
/// restarts just past its start, and the next chunk carries `gapBefore`.
public final class ZstdSource: ByteSource {
    private let window: InputWindow
    private let dctx: OpaquePointer
    private let held: HeldOutput
    public private(set) var damage = DamageReport()
    /// Frames that carry no checksum (released unverified).
    public private(set) var warnings = DamageReport()
    public var path: String { window.reader.path }
    public var inputBytesRead: Int { window.reader.bytesRead }
    private var gapPending = false
    private var resyncing = false
    private var releasing = false
    /// ZSTD_decompressStream's last hint: 0 when a frame was completely decoded.
    private var midFrame = false
    private var frameOffset = 0
    private static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    init(reader: FileReader, prefix: [UInt8], heldMemoryCap: Int = GzipSource.heldMemoryCap) {
        window = InputWindow(reader: reader, prefix: prefix, capacity: 1 << 20)
        dctx = ZSTD_createDCtx()
        held = HeldOutput(capacity: heldMemoryCap, initial: min(1 << 16, heldMemoryCap), path: reader.path)
    }

    public convenience init(path: String) throws {
        self.init(reader: try FileReader(path: path), prefix: [])
    }

    /// With a small in-memory cap, to exercise spilling in tests.
    convenience init(path: String, heldMemoryCap: Int) throws {
        self.init(reader: try FileReader(path: path), prefix: [], heldMemoryCap: heldMemoryCap)
    }

    deinit {
        ZSTD_freeDCtx(dctx)
    }

    public func next() throws -> SourceChunk? {
        while true {
            if releasing {
                if let verified = try held.nextVerifiedChunk() {
                    defer { gapPending = false }
                    return SourceChunk(bytes: verified, gapBefore: gapPending)
                }
                releasing = false
            }
            if window.available == 0 {
                if try window.eof || !window.refill() {
                    guard midFrame else { return nil }
                    if !resyncing {
                        damage.record("zstd_truncated_frame", at: "\(path)@\(frameOffset)", "file ends inside a zstd frame")
                    }
                    if try !restartAfterBadFrame() { return nil }
                    continue
                }
            }
            if !midFrame {
                frameOffset = window.offset
                try window.ensure(5)
                noteMissingChecksum()
            }
            let room = try held.room()
            var input = ZSTD_inBuffer(src: window.pointer, size: window.available, pos: 0)
            var output = ZSTD_outBuffer(dst: room.baseAddress, size: room.count, pos: 0)
            let rc = ZSTD_decompressStream(dctx, &output, &input)
            if ZSTD_isError(rc) != 0 {
                if !resyncing {
                    damage.record("zstd_corrupt_frame", at: "\(path)@\(frameOffset)", String(cString: ZSTD_getErrorName(rc)))
                }
                if try !restartAfterBadFrame() { return nil }
                continue
            }
            window.start += input.pos
            held.didWrite(output.pos)
            midFrame = rc != 0
            if !midFrame {
                // Decoded to its end: the checksum (when the frame has one) matched.
                resyncing = false
                releasing = true
            }
        }
    }

    /// A zstd frame (not a skippable one) whose descriptor says it has no content checksum.
    private func noteMissingChecksum() {
        guard window.available >= 5 else { return }
        let p = window.pointer.assumingMemoryBound(to: UInt8.self)
        guard p[0] == Self.magic[0], p[1] == Self.magic[1], p[2] == Self.magic[2], p[3] == Self.magic[3] else { return }
        if p[4] & 0x04 == 0 {
            warnings.record("zstd_frame_without_checksum", at: "\(path)@\(frameOffset)",
                            "frame has no content checksum; its bytes are released unverified")
        }
    }

    /// Drops the frame's output and searches for the next frame magic from just past the bad
    /// frame's start (re-reading the file: a damaged frame may have run past its real end).
    /// False when no further frame exists.
    private func restartAfterBadFrame() throws -> Bool {
        held.discard()
        resyncing = true
        gapPending = true
        midFrame = false
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        _ = window.rewind(to: frameOffset + 1)
        return try window.seek(to: Self.magic, from: window.start)
    }
}
