import CLibDeflate
import CZlib
import WinnowCore

/// Multi-member gzip. Common Crawl stores each record as its own member, so members are
/// decoded whole with libdeflate when it is available (≈2.4x zlib), falling back to streaming
/// zlib for members too large for the window, for corrupt members and when libdeflate is absent.
/// A member's output is released only after its CRC32 and ISIZE trailer verified (see
/// `HeldOutput`); a corrupt or truncated member yields nothing: it is counted with its offset,
/// the header search restarts just past its start, and the next chunk carries `gapBefore`.
public final class GzipSource: ByteSource {
    private let window: InputWindow
    public private(set) var damage = DamageReport()
    public var path: String { window.reader.path }
    public var inputBytesRead: Int { window.reader.bytesRead }

    private static let windowSize = 4 << 20
    /// Members whose compressed size fits here are tried whole; the window keeps at least this much buffered.
    private static let wholeMemberInput = 1 << 20
    /// Decoded bytes of one member held in memory; larger members spill to a temporary file.
    static let heldMemoryCap = 64 << 20

    private let libdeflate: UnsafeMutableRawPointer?
    private let held: HeldOutput
    private let zs: UnsafeMutablePointer<z_stream>

    private enum State { case betweenMembers, streaming(memberOffset: Int), releasing, done }
    private var state = State.betweenMembers
    private var gapPending = false
    /// While resynchronising after damage, further false starts are not counted again.
    private var resyncing = false
    public private(set) var members = 0
    /// A split of the file: only members that start inside it are read (the last one may run
    /// past its end), so consecutive splits read every member exactly once.
    private let split: Range<Int>?
    /// What a member's output must start with to count as a member start inside a split.
    private let memberPrefix: [UInt8]
    private var splitStartFound: Bool

    init(reader: FileReader, prefix: [UInt8], useLibdeflate: Bool = true,
         split: Range<Int>? = nil, memberPrefix: [UInt8] = [], heldMemoryCap: Int = GzipSource.heldMemoryCap) {
        held = HeldOutput(capacity: heldMemoryCap, initial: min(1 << 16, heldMemoryCap), path: reader.path)
        window = InputWindow(reader: reader, prefix: prefix, capacity: Self.windowSize,
                             fileOffset: split?.lowerBound ?? 0)
        self.split = split
        self.memberPrefix = memberPrefix
        splitStartFound = (split?.lowerBound ?? 0) == 0
        libdeflate = useLibdeflate ? winnow_libdeflate_alloc() : nil
        zs = .allocate(capacity: 1)
        zs.initialize(to: z_stream())
        inflateInit2_(zs, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }

    public convenience init(path: String, useLibdeflate: Bool = true) throws {
        self.init(reader: try FileReader(path: path), prefix: [], useLibdeflate: useLibdeflate)
    }

    /// With a small in-memory cap, to exercise spilling in tests.
    convenience init(path: String, useLibdeflate: Bool, heldMemoryCap: Int) throws {
        self.init(reader: try FileReader(path: path), prefix: [], useLibdeflate: useLibdeflate, heldMemoryCap: heldMemoryCap)
    }

    /// Reads the members of `path` that start in `split`. A split that does not begin at 0
    /// starts at the first gzip header whose output begins with `memberPrefix` (e.g. `WARC/`),
    /// which a header-like byte run inside compressed data practically never satisfies.
    public convenience init(path: String, split: Range<Int>, memberPrefix: [UInt8], useLibdeflate: Bool = true) throws {
        precondition(split.lowerBound == 0 || !memberPrefix.isEmpty, "a split needs a member prefix to find its first member")
        self.init(reader: try FileReader(path: path, offset: split.lowerBound), prefix: [],
                  useLibdeflate: useLibdeflate, split: split, memberPrefix: memberPrefix)
    }

    deinit {
        inflateEnd(zs)
        zs.deallocate()
        winnow_libdeflate_free(libdeflate)
    }

    public var usesLibdeflate: Bool { libdeflate != nil }

    public func next() throws -> SourceChunk? {
        while true {
            switch state {
            case .done:
                return nil
            case .releasing:
                if let verified = try held.nextVerifiedChunk() { return chunk(verified) }
                state = .betweenMembers
            case .betweenMembers:
                try window.ensure(Self.wholeMemberInput)
                if window.available == 0 { state = .done; return nil }
                if let split, window.offset >= split.upperBound { state = .done; return nil }
                if !splitStartFound {
                    guard try findFirstMemberOfSplit() else { continue }
                }
                guard try atMemberHeader() else { continue }
                try decodeWholeMember()
            case .streaming(let memberOffset):
                try streamMember(memberOffset: memberOffset)
            }
        }
    }

    /// True when the window starts with a plausible gzip header; otherwise skips to the next one
    /// (recording damage) and returns false.
    private func atMemberHeader() throws -> Bool {
        let p = window.pointer.assumingMemoryBound(to: UInt8.self)
        if window.available >= 4, p[0] == 0x1F, p[1] == 0x8B, p[2] == 8, p[3] & 0xE0 == 0 { return true }
        let at = window.offset
        let allZero = (0..<min(window.available, 512)).allSatisfy { p[$0] == 0 }
        if !resyncing {
            damage.record(allZero && window.eof ? "gzip_trailing_padding" : "gzip_garbage_between_members",
                          at: "\(path)@\(at)", "bytes that are not a gzip member header")
        }
        try resync(from: window.start + 1)
        return false
    }

    /// Moves to the first verified member start at or after the window start; false when the
    /// window moved on (the caller re-checks the split end) or the file ended.
    private func findFirstMemberOfSplit() throws -> Bool {
        guard try window.seek(to: [0x1F, 0x8B, 0x08], from: window.start, lookahead: 4, accept: { $0[3] & 0xE0 == 0 }) else {
            state = .done
            return false
        }
        if let split, window.offset >= split.upperBound { state = .done; return false }
        try window.ensure(Self.wholeMemberInput)
        if memberStartsWithPrefix() { splitStartFound = true; return true }
        window.start += 1
        return false
    }

    /// Inflates just enough of the member at the window start to compare its first bytes.
    private func memberStartsWithPrefix() -> Bool {
        var probe = [UInt8](repeating: 0, count: memberPrefix.count)
        inflateReset(zs)
        let ok = probe.withUnsafeMutableBufferPointer { out -> Bool in
            zs.pointee.next_in = UnsafeMutablePointer(mutating: window.pointer.assumingMemoryBound(to: UInt8.self))
            zs.pointee.avail_in = UInt32(min(window.available, Int(UInt32.max)))
            zs.pointee.next_out = out.baseAddress
            zs.pointee.avail_out = UInt32(out.count)
            var rc = Z_OK
            while zs.pointee.avail_out > 0 && rc == Z_OK { rc = inflate(zs, Z_SYNC_FLUSH) }
            return (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) && zs.pointee.avail_out == 0
        }
        inflateReset(zs)
        return ok && probe == memberPrefix
    }

    private func resync(from index: Int) throws {
        resyncing = true
        gapPending = true
        let found = try window.seek(to: [0x1F, 0x8B, 0x08], from: index, lookahead: 4) { $0[3] & 0xE0 == 0 }
        state = found ? .betweenMembers : .done
    }

    /// A member failed (bad data, CRC or length mismatch, or the file ended inside it): its
    /// output is dropped and the header search restarts just past its first byte. Corruption
    /// can make a member decode far past its real end, so the search goes back to the member's
    /// start (re-reading the file) rather than on from where decoding stopped, which would lose
    /// the members it swallowed. Standard input cannot go back: there the search goes on.
    private func restartAfterBadMember(at memberOffset: Int) throws {
        held.discard()
        inflateReset(zs)
        _ = window.rewind(to: memberOffset + 1)
        try resync(from: window.start)
    }

    private func memberVerified() {
        members += 1
        resyncing = false
        state = .releasing
    }

    private func chunk(_ b: UnsafeRawBufferPointer) -> SourceChunk {
        defer { gapPending = false }
        return SourceChunk(bytes: b, gapBefore: gapPending)
    }

    /// One libdeflate call over the buffered input (libdeflate checks the CRC32 and ISIZE);
    /// when it cannot decode the member whole (larger than the window or the output buffer,
    /// or damaged) the member is streamed through zlib instead.
    private func decodeWholeMember() throws {
        if let d = libdeflate {
            while true {
                var used = 0, produced = 0
                let out = held.buffer
                let rc = winnow_libdeflate_gunzip_member(d, window.pointer, window.available, out.baseAddress!, out.count,
                                                         &used, &produced)
                if rc == 0 {
                    window.start += used
                    held.didWrite(produced)
                    memberVerified()
                    return
                }
                // Short output: a bigger buffer, up to the cap (then zlib streams and spills).
                if rc == 3 && held.grow(toAtLeast: out.count * 4) { continue }
                break
            }
        }
        inflateReset(zs)
        state = .streaming(memberOffset: window.offset)
    }

    /// Streams the current member through zlib into `held`; its output is released only after
    /// zlib has checked the member's CRC32 and ISIZE (Z_STREAM_END).
    private func streamMember(memberOffset: Int) throws {
        while true {
            if window.available == 0 {
                if try window.eof || !window.refill() {
                    if !resyncing {
                        damage.record("gzip_truncated_member", at: "\(path)@\(memberOffset)", "file ends inside a gzip member")
                    }
                    try restartAfterBadMember(at: memberOffset)
                    return
                }
            }
            let room = try held.room()
            zs.pointee.next_in = UnsafeMutablePointer(mutating: window.pointer.assumingMemoryBound(to: UInt8.self))
            zs.pointee.avail_in = UInt32(min(window.available, Int(UInt32.max)))
            zs.pointee.next_out = room.baseAddress!.assumingMemoryBound(to: UInt8.self)
            zs.pointee.avail_out = UInt32(min(room.count, Int(UInt32.max)))
            let inBefore = Int(zs.pointee.avail_in), outBefore = Int(zs.pointee.avail_out)
            let rc = inflate(zs, Z_NO_FLUSH)
            window.start += inBefore - Int(zs.pointee.avail_in)
            held.didWrite(outBefore - Int(zs.pointee.avail_out))
            switch rc {
            case Z_STREAM_END:
                memberVerified()
                return
            case Z_OK, Z_BUF_ERROR:
                continue
            default:
                if !resyncing {
                    let msg = zs.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                    damage.record("gzip_corrupt_member", at: "\(path)@\(memberOffset)", msg)
                }
                try restartAfterBadMember(at: memberOffset)
                return
            }
        }
    }
}
