import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// The pieces of a `pack` step's sequences (`NNNNN.boundaries.jsonl`, docs/PACKING.md) as
/// segments of the shard's token positions: per sequence, one segment per piece in order, then
/// one for its padding if the pieces do not fill it. With `document_mask`, a position attends
/// only inside its segment, so the pieces packed into one sequence do not see each other.
struct PackSegments {
    /// End (exclusive, position in the shard) of each segment, ascending.
    let ends: [Int]
    /// Segments that are padding (their targets count for nothing).
    let padding: Set<Int>

    /// `rowEnds`: the shard's sequence ends (its Megatron document index: one document per sequence).
    init(path: String, rowEnds: [Int]) throws {
        guard let text = readTextFile(path) else { throw LMError("\(path): cannot read") }
        var ends: [Int] = [], padding = Set<Int>()
        ends.reserveCapacity(rowEnds.count * 2)
        var row = 0
        for line in text.split(separator: "\n") {
            guard row < rowEnds.count else { throw LMError("\(path): more lines than the shard has sequences (\(rowEnds.count))") }
            let rowStart = row == 0 ? 0 : rowEnds[row - 1], rowEnd = rowEnds[row]
            func bad(_ why: String) -> LMError { LMError("\(path):\(row + 1): \(why)") }
            guard let o = try? JSONParser.parse(String(line)), let pieces = o["pieces"]?.arrayValue, let tokens = o["tokens"]?.intValue else {
                throw bad("expected {\"pieces\":[[shard, document, offset, length], …],\"tokens\":T}")
            }
            var pos = rowStart
            for piece in pieces {
                guard let fields = piece.arrayValue, fields.count == 4, let length = fields[3].intValue, length >= 0 else {
                    throw bad("a piece is [shard, document, offset, length]")
                }
                pos += length
                ends.append(pos)
            }
            guard pos - rowStart == tokens else { throw bad("the pieces hold \(pos - rowStart) tokens, the line says \(tokens)") }
            guard pos <= rowEnd else { throw bad("the pieces hold \(pos - rowStart) tokens, more than the sequence's \(rowEnd - rowStart)") }
            if pos < rowEnd {
                padding.insert(ends.count)
                ends.append(rowEnd)
            }
            row += 1
        }
        guard row == rowEnds.count else { throw LMError("\(path): \(row) lines for \(rowEnds.count) sequences") }
        self.ends = ends
        self.padding = padding
    }

    /// The segment holding shard position `pos`.
    func segment(_ pos: Int) -> Int {
        var lo = 0, hi = ends.count
        while lo < hi { let m = (lo + hi) / 2; if ends[m] <= pos { lo = m + 1 } else { hi = m } }
        return lo
    }
}

/// A `pack` step's `NNNNN.mask` (one uint8 per token position of the shard: 1 = document token,
/// 0 = padding), read a window at a time with positional reads.
final class PadMask {
    let path: String
    private let fd: Int32

    init(path: String, tokenCount: Int) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw LMError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) == tokenCount else {
            close(fd)
            throw LMError("\(path): \(st.st_size) bytes, but its shard holds \(tokenCount) tokens (one mask byte per token)")
        }
    }

    deinit { close(fd) }

    /// Bytes [from, from + count) into `out` (replaced).
    func read(_ from: Int, _ count: Int, into out: inout [UInt8]) throws {
        out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(from + done)) }
            guard n > 0 else { throw LMError("\(path): short read at byte \(from + done)") }
            done += n
        }
    }
}
