/// A sliding window over a compressed file: decoders look at `[start, end)`, consume from the
/// front, and refill (compacting) when the tail gets short. Tracks absolute file offsets for
/// error locations.
final class InputWindow {
    let reader: FileReader
    let buffer: UnsafeMutableRawBufferPointer
    var start = 0
    var end = 0
    /// File offset of buffer[0].
    private(set) var baseOffset = 0
    var eof: Bool { reader.atEOF }

    init(reader: FileReader, prefix: [UInt8], capacity: Int, fileOffset: Int = 0) {
        self.reader = reader
        baseOffset = fileOffset
        // A small file needs no more than itself (and a pointer's worth, so reads see EOF).
        let cap = reader.size.map { min(capacity, max($0 - fileOffset + 64, prefix.count, 1 << 16)) } ?? capacity
        buffer = .allocate(byteCount: cap, alignment: 64)
        buffer.copyBytes(from: prefix)
        end = prefix.count
    }

    deinit { buffer.deallocate() }

    var available: Int { end - start }
    var pointer: UnsafeRawPointer { UnsafeRawPointer(buffer.baseAddress! + start) }
    /// File offset of the first unconsumed byte.
    var offset: Int { baseOffset + start }

    /// Moves unconsumed bytes to the front and reads until full or end of file.
    /// Returns false when nothing new could be read.
    @discardableResult
    func refill() throws -> Bool {
        if start > 0 {
            let n = end - start
            if n > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: n) }
            baseOffset += start
            start = 0
            end = n
        }
        var grew = false
        while end < buffer.count {
            let n = try reader.read(into: buffer.baseAddress! + end, count: buffer.count - end)
            if n == 0 { break }
            end += n
            grew = true
        }
        return grew
    }

    /// Moves the window back (or forward) to file offset `offset`, re-reading from the file when
    /// those bytes were already discarded. False when they are gone and the input cannot seek.
    func rewind(to offset: Int) -> Bool {
        if offset >= baseOffset && offset <= baseOffset + end {
            start = offset - baseOffset
            return true
        }
        guard reader.seek(to: offset) else { return false }
        baseOffset = offset
        start = 0
        end = 0
        return true
    }

    /// Ensures at least `n` bytes are buffered unless the file ends first.
    func ensure(_ n: Int) throws {
        if available < n && !eof { try refill() }
    }

    /// Finds the next occurrence of `pattern` at or after buffer index `from` for which `accept`
    /// (given `lookahead` bytes) agrees, refilling as needed and discarding what precedes it.
    /// Returns false at end of file, with the window emptied.
    func seek(to pattern: [UInt8], from: Int, lookahead: Int = 0,
              accept: (UnsafePointer<UInt8>) -> Bool = { _ in true }) throws -> Bool {
        let need = max(pattern.count, lookahead)
        start = min(max(from, 0), end)
        while true {
            let p = UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            var i = start
            let last = end - need
            while i <= last {
                if p[i] == pattern[0] {
                    var match = true
                    for k in 1..<pattern.count where p[i + k] != pattern[k] { match = false; break }
                    if match && accept(p + i) { start = i; return true }
                }
                i += 1
            }
            start = max(start, end - (need - 1))
            if eof { start = end; return false }
            try refill()
        }
    }
}
