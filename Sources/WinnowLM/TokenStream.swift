import WinnowCore
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

/// Training windows from one or more token shards read as one stream: window i is tokens
/// [i·seq, i·seq + seq + 1) of the concatenation (inputs and next-token targets), wrapping
/// around at the end. The position is a window number, so a checkpoint resumes exactly.
/// With `documentMask`, positions get a segment id and attention stays inside segments: the
/// documents of formats with document boundaries, or, on a `pack` step's output (a
/// `NNNNN.boundaries.jsonl` beside `NNNNN.bin`), the pieces of each packed sequence, its padding
/// a segment of its own; a target in another segment than its input is ignored.
/// Padding never counts: where the pack step's `NNNNN.mask` is beside a shard, a target that is
/// padding or follows padding is ignored, with or without `documentMask`.
public final class TokenStream {
    let readers: [TokenShardReader]
    let starts: [Int]
    public let tokenCount: Int
    let documentMask: Bool
    /// Per shard: the pack step's pieces (with `documentMask` only).
    let packSegments: [PackSegments?]
    /// Per shard: the global number of its first segment (segments: documents or pieces).
    let segmentBase: [Int]
    /// Per shard: the pack step's padding mask.
    let padMasks: [PadMask?]
    /// When set, window number w reads window perm_e[w mod N] of epoch e = w / N, where perm_e is
    /// a Fisher–Yates permutation seeded by (seed, e): random order, still a function of the
    /// window number, so resuming from a checkpoint reads the same batches.
    public var shuffleSeed: UInt64?
    private var permutation: (epoch: Int, count: Int, order: [Int32])?

    public init(paths: [String], format: TokenShardFormat? = nil, documentMask: Bool = false) throws {
        guard !paths.isEmpty else { throw LMError("no token shards given") }
        readers = try paths.map { try TokenShardReader(format: format ?? TokenStream.detectFormat($0), path: $0) }
        var s: [Int] = [], n = 0
        for r in readers { s.append(n); n += r.tokenCount }
        starts = s; tokenCount = n
        self.documentMask = documentMask
        if documentMask, let r = readers.first(where: { $0.documentEnds == nil }) {
            throw LMError("\(r.files.tokens): document_mask needs document boundaries (datatrove or megatron shards)")
        }
        var segments: [PackSegments?] = [], masks: [PadMask?] = [], bases: [Int] = [], base = 0
        for r in readers {
            let prefix = r.files.tokens.hasSuffix(".bin") ? String(r.files.tokens.dropLast(4)) : nil
            var seg: PackSegments?
            if documentMask, let sidecar = prefix.map({ $0 + ".boundaries.jsonl" }), access(sidecar, F_OK) == 0, let ends = r.documentEnds {
                seg = try PackSegments(path: sidecar, rowEnds: ends)
            }
            segments.append(seg)
            bases.append(base)
            base += seg?.ends.count ?? r.documentEnds?.count ?? 0
            if let m = prefix.map({ $0 + ".mask" }), access(m, F_OK) == 0 {
                masks.append(try PadMask(path: m, tokenCount: r.tokenCount))
            } else {
                masks.append(nil)
            }
        }
        packSegments = segments; segmentBase = bases; padMasks = masks
    }

    /// Format from the file names (and the llm.c magic number).
    public static func detectFormat(_ path: String) throws -> TokenShardFormat {
        func exists(_ p: String) -> Bool { access(p, F_OK) == 0 }
        if path.hasSuffix(".ds") { return .datatrove }
        if path.hasSuffix(".idx") || exists(path + ".idx") || (path.hasSuffix(".bin") && exists(String(path.dropLast(4)) + ".idx")) { return .megatron }
        if path.hasSuffix(".bin") {
            guard let f = fopen(path, "rb") else { throw LMError("\(path): cannot open") }
            defer { fclose(f) }
            var magic: Int32 = 0
            if fread(&magic, 4, 1, f) == 1, [20_240_520, 20_240_801].contains(Int32(littleEndian: magic)) { return .llmc }
            return .nanogpt
        }
        throw LMError("\(path): cannot tell the token shard format from the name (.ds, .bin/.idx)")
    }

    public func windowCount(seq: Int) -> Int { max(1, (tokenCount - 1) / seq) }

    /// Tokens [from, from + count) of the stream (no wrap; caller keeps it in range).
    private func tokens(_ from: Int, _ count: Int) throws -> [UInt32] {
        var out: [UInt32] = []; out.reserveCapacity(count)
        var pos = from
        while out.count < count {
            var r = readers.count - 1
            while starts[r] > pos { r -= 1 }
            let local = pos - starts[r]
            let take = min(count - out.count, readers[r].tokenCount - local)
            out += try readers[r].tokens(local..<(local + take))
            pos += take
        }
        return out
    }

    /// The shard holding stream position `pos`.
    private func reader(at pos: Int) -> Int {
        var r = readers.count - 1
        while starts[r] > pos { r -= 1 }
        return r
    }

    /// Segment ids of stream positions [from, from + count) (consecutive global segment
    /// numbers, so ids differ between segments of one window) and whether each is padding.
    func segments(_ from: Int, _ count: Int) -> (ids: [Int32], padding: [Bool]) {
        var ids: [Int32] = [], pad: [Bool] = []
        ids.reserveCapacity(count); pad.reserveCapacity(count)
        var r = reader(at: from), local = from - starts[r]
        var ends: [Int] = [], seg = 0
        func enter() {
            if let p = packSegments[r] { ends = p.ends; seg = p.segment(local) }
            else {
                ends = readers[r].documentEnds!
                var lo = 0, hi = ends.count   // first document whose end is past `local`
                while lo < hi { let m = (lo + hi) / 2; if ends[m] <= local { lo = m + 1 } else { hi = m } }
                seg = lo
            }
        }
        enter()
        for _ in 0..<count {
            while local >= readers[r].tokenCount { r += 1; local = 0; enter() }
            while seg < ends.count, ends[seg] <= local { seg += 1 }
            ids.append(Int32(truncatingIfNeeded: segmentBase[r] + seg))
            pad.append(packSegments[r]?.padding.contains(seg) ?? false)
            local += 1
        }
        return (ids, pad)
    }

    /// Whether each stream position in [from, from + count) is padding by the pack step's
    /// `.mask`; nil when no shard in the range has one.
    func maskedPadding(_ from: Int, _ count: Int) throws -> [Bool]? {
        var out: [Bool] = [], any = false, bytes: [UInt8] = []
        out.reserveCapacity(count)
        var pos = from
        while out.count < count {
            let r = reader(at: pos), local = pos - starts[r]
            let take = min(count - out.count, readers[r].tokenCount - local)
            if let m = padMasks[r] {
                any = true
                try m.read(local, take, into: &bytes)
                for b in bytes { out.append(b == 0) }
            } else {
                out.append(contentsOf: repeatElement(false, count: take))
            }
            pos += take
        }
        return any ? out : nil
    }

    /// The stream window that window number `w` reads.
    func windowIndex(_ w: Int, count: Int) -> Int {
        guard let seed = shuffleSeed else { return w % count }
        let epoch = w / count
        if permutation?.epoch != epoch || permutation?.count != count {
            var order = (0..<count).map { Int32(truncatingIfNeeded: $0) }
            var rng = SplitMix64(seed: SplitMix64.mix(seed &+ 0x5EED) ^ UInt64(epoch))
            rng.shuffle(&order)
            permutation = (epoch, count, order)
        }
        return Int(permutation!.order[w % count])
    }

    /// `batch` consecutive windows starting at window number `window`.
    public func batch(window: Int, batch: Int, seq: Int, vocabSize: Int) throws -> Transformer.Batch {
        guard tokenCount > seq else { throw LMError("the token shards hold \(tokenCount) tokens, fewer than seq_len + 1 = \(seq + 1)") }
        // Pack output is rows of L tokens; windows at stride seq stay on the rows only when seq = L.
        for (r, reader) in readers.enumerated() where padMasks[r] != nil {
            if let first = reader.documentEnds?.first, first != seq {
                throw LMError("\(reader.files.tokens): pack output of \(first)-token sequences; train with seq_len \(first) (got \(seq)), so that every window is one packed sequence")
            }
        }
        var tok: [Int32] = [], tgt: [Int32] = [], seg: [Int32] = []
        for b in 0..<batch {
            let start = windowIndex(window + b, count: windowCount(seq: seq)) * seq
            let w = try tokens(start, seq + 1)
            for (i, t) in w.enumerated() where Int(t) >= vocabSize {
                throw LMError("token id \(t) at stream position \(start + i) is outside the model's vocabulary (\(vocabSize))")
            }
            tok += w.prefix(seq).map { Int32($0) }
            tgt += w.dropFirst().map { Int32($0) }
            let base = tgt.count - seq
            var padding = try maskedPadding(start, seq + 1)
            if documentMask {
                let s = segments(start, seq + 1)
                seg += s.ids.prefix(seq)
                // A target from the next document (piece) is not predictable from this one.
                for i in 0..<seq where s.ids[i + 1] != s.ids[i] { tgt[base + i] = -100 }
                if s.padding.contains(true) {
                    padding = zip(padding ?? s.padding, s.padding).map { $0 || $1 }
                }
            }
            // Padding is no target, and predicts nothing.
            if let padding { for i in 0..<seq where padding[i] || padding[i + 1] { tgt[base + i] = -100 } }
        }
        return Transformer.Batch(tokens: tok, targets: tgt, segments: documentMask ? seg : nil, batch: batch, seq: seq)
    }
}
