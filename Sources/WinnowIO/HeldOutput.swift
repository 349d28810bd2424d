#if canImport(Glibc)
import Glibc
#endif

/// The decoded bytes of one gzip member or zstd frame, held back until the member's checksum
/// (gzip CRC32 + ISIZE, zstd content checksum) has been verified, then released in chunks.
/// The buffer grows up to `capacity`; a member that decodes to more spills to an unlinked
/// temporary file and is read back once verified.
///
/// Why verify-then-release, and the cost: a single bit flip can decode to plausible but wrong
/// text that only the checksum at the member's end catches, so no byte of a member may go
/// downstream before that end. Common Crawl's layout (one member per record, rarely over a few
/// MB) never spills. A file that is one huge member (`gzip docs.jsonl`) is decoded completely,
/// written to the temporary directory and read back before its first line is released: extra
/// disk equal to its decoded size and one more pass over it (mostly in the page cache). The
/// alternative, releasing early and retracting at record level, would make every reader hold
/// its records until the member verified, i.e. the same bytes held in memory per reader.
final class HeldOutput {
    let capacity: Int
    private let path: String
    private(set) var buffer: UnsafeMutableRawBufferPointer
    /// Bytes held in `buffer`.
    private(set) var count = 0
    /// Bytes already moved to the spill file.
    private(set) var spilled = 0
    private var spillFD: Int32 = -1
    /// Bytes handed out so far while releasing.
    private var released = 0

    init(capacity: Int, initial: Int = 1 << 20, path: String) {
        self.capacity = capacity
        self.path = path
        buffer = .allocate(byteCount: min(initial, capacity), alignment: 64)
    }

    deinit {
        buffer.deallocate()
        if spillFD >= 0 { close(spillFD) }
    }

    /// Decoded bytes of the current member so far.
    var total: Int { spilled + count }

    /// Grows the (empty) buffer to at least `n` bytes within the capacity; false at the cap.
    func grow(toAtLeast n: Int) -> Bool {
        guard buffer.count < capacity else { return false }
        var size = buffer.count
        while size < n && size < capacity { size *= 2 }
        size = min(size, capacity)
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        if count > 0 { bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: count) }
        buffer.deallocate()
        buffer = bigger
        return true
    }

    /// Free space after the held bytes: the buffer grows, then spills, when it is full.
    func room() throws -> UnsafeMutableRawBufferPointer {
        if count == buffer.count && !grow(toAtLeast: count * 2) { try spill() }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[count...])
    }

    func didWrite(_ n: Int) { count += n }

    /// Forgets the member (it failed verification).
    func discard() {
        count = 0
        spilled = 0
        released = 0
        if spillFD >= 0 { _ = ftruncate(spillFD, 0) }
    }

    /// The next chunk of the verified member (valid until the next call), or nil when all of it
    /// was released; the holder is then empty for the next member.
    func nextVerifiedChunk() throws -> UnsafeRawBufferPointer? {
        if spilled == 0 {
            if released == 0 && count > 0 {
                released = count
                return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            }
            discard()
            return nil
        }
        if count > 0 { try spill() }  // the tail goes after the spilled part, then all is read back
        if released == spilled {
            discard()
            return nil
        }
        let n = pread(spillFD, buffer.baseAddress!, min(buffer.count, spilled - released), off_t(released))
        guard n > 0 else { throw IOError(path, "cannot read back decoded data from the temporary file: \(String(cString: strerror(errno)))") }
        released += n
        return UnsafeRawBufferPointer(rebasing: buffer[0..<n])
    }

    private func spill() throws {
        if spillFD < 0 {
            let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array("\(dir)/winnow-member-XXXXXX".utf8CString)
            spillFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard spillFD >= 0 else {
                throw IOError(path, "a member decodes to over \(capacity >> 20) MB and no temporary file could be made in \(dir): \(String(cString: strerror(errno)))")
            }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        var done = 0
        while done < count {
            let n = pwrite(spillFD, buffer.baseAddress! + done, count - done, off_t(spilled + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw IOError(path, "cannot write decoded data to the temporary file: \(String(cString: strerror(errno)))") }
            done += n
        }
        spilled += count
        count = 0
    }
}
