import ArgumentParser
import WinnowCore
import WinnowTokenize
import WinnowPipeline
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Look into token shards (datatrove .ds, Megatron .bin/.idx, nanoGPT, llm.c).",
        subcommands: [TokensInspect.self, TokensStats.self, TokensPackBench.self])
}

struct ShardOptions: ParsableArguments {
    @Argument(help: "The shard: datatrove .ds, Megatron prefix or .bin/.idx, nanoGPT or llm.c .bin.") var shard: String
    @Option(help: "datatrove, megatron, nanogpt or llmc (default: from the file names).") var format: String?

    func open() throws -> TokenShardReader {
        let f: TokenShardFormat
        if let format {
            guard let x = TokenShardFormat(rawValue: format) else { throw ValidationError("format must be one of \(TokenShardFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
            f = x
        } else if shard.hasSuffix(".ds") {
            f = .datatrove
        } else if shard.hasSuffix(".idx") || FileGlob.isFile(shard + ".idx") || (shard.hasSuffix(".bin") && FileGlob.isFile(String(shard.dropLast(4)) + ".idx")) {
            f = .megatron
        } else if shard.hasSuffix(".bin"), let head = readFilePrefix(shard, count: 4), head.count == 4,
                  [20240520, 20240801].contains(Int32(littleEndian: head.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })) {
            f = .llmc
        } else if shard.hasSuffix(".bin") {
            f = .nanogpt
        } else {
            throw ValidationError("cannot tell the shard's format from \(shard): give --format")
        }
        return try TokenShardReader(format: f, path: shard)
    }
}

/// The first `count` bytes of a file (fewer if it is shorter), or nil.
func readFilePrefix(_ path: String, count: Int) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var b = [UInt8](repeating: 0, count: count)
    let n = fread(&b, 1, count, f)
    return Array(b.prefix(n))
}

struct TokensInspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Counts of a shard, and its first documents (decoded with --tokenizer).")
    @OptionGroup var shard: ShardOptions
    @Option(help: "Tokenizer file to decode with (tiktoken, tokenizer.json, SentencePiece .model).") var tokenizer: String?
    @Option(help: "Documents to show.") var docs: Int = 3
    @Option(help: "Show only this document (a packed shard: this sequence) by index.") var sequence: Int?
    @Option(help: "Show at most this many characters of each document.") var chars: Int = 400

    func run() throws {
        let r = try shard.open()
        print("\(r.files.tokens): \(r.format.rawValue), \(r.width) tokens, \(r.tokenCount) tokens" +
              (r.documentCount.map { " in \($0) documents" } ?? " (no document boundaries in this format)") +
              (r.tokenizerName.map { ", tokenizer \($0)" } ?? "") + (r.hasLoss ? ", loss mask" : ""))
        let tok = try tokenizer.map { try TokenizerLoader.load(path: $0) }
        guard let n = r.documentCount else {
            let ids = try r.tokens(0..<min(r.tokenCount, 64))
            print("first tokens: \(ids.map(String.init).joined(separator: " "))")
            if let tok { print(tok.decode(ids)) }
            return
        }
        if let sequence, !(0..<n).contains(sequence) {
            throw ValidationError("--sequence \(sequence) is outside 0..<\(n)")
        }
        // A packed shard (`pack` step) has a sidecar naming each sequence's pieces, and a mask.
        let prefix = String(r.files.tokens.dropLast(4))
        let sidecar = readTextFile(prefix + ".boundaries.jsonl")?.split(separator: "\n")
        let mask = PackedMask(path: prefix + ".mask", sequences: n, tokens: r.tokenCount)
        if sidecar != nil { print("packed: \(n) sequences of \(n > 0 ? r.tokenCount / n : 0) tokens" + (mask.map { ", mask \($0.path)" } ?? ", no mask file (or its size does not match)")) }
        for i in sequence.map({ [$0] }) ?? Array(0..<min(docs, n)) {
            let ids = try r.document(i)
            if let sidecar, i < sidecar.count, let pieces = try? JSONParser.parse(String(sidecar[i])).objectValue?["pieces"]?.arrayValue {
                print("— sequence \(i): \(ids.count) tokens, \(pieces.count) piece(s)" + (mask?.realTokens(row: i).map { ", mask: \($0) real" } ?? ""))
                var pos = 0
                for p in pieces {
                    let f = p.arrayValue?.compactMap(\.intValue) ?? []
                    guard f.count == 4, f[3] >= 0, pos <= ids.count else { print("  [unreadable piece \(p)]"); continue }
                    let piece = Array(ids[pos..<min(ids.count, pos + f[3])])
                    print("  at \(pos): [source shard \(f[0]), document \(f[1]), tokens \(f[2])..<\(f[2] + f[3])]" + (f[2] == 0 ? " (document start)" : " (continues the document)"))
                    pos += f[3]
                    if let tok {
                        let text = tok.decode(piece)
                        print("  " + (text.unicodeScalars.count > chars ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(chars))) + " …" : text))
                    }
                }
                if pos < ids.count { print("  [padding: \(ids.count - pos) tokens]") }
                continue
            }
            print("— document \(i): \(ids.count) tokens")
            if let tok {
                let text = tok.decode(ids)
                print(text.unicodeScalars.count > chars ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(chars))) + " …" : text)
            } else {
                print(ids.prefix(32).map(String.init).joined(separator: " ") + (ids.count > 32 ? " …" : ""))
            }
        }
    }
}

struct TokensStats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Tokens per document (histogram, quantiles) and, with --tokenizer, bytes per token.")
    @OptionGroup var shard: ShardOptions
    @Option(help: "Tokenizer file, to count the bytes the tokens stand for.") var tokenizer: String?

    func run() throws {
        let r = try shard.open()
        guard let n = r.documentCount, n > 0 else {
            print("\(r.tokenCount) tokens; this format keeps no document boundaries")
            return
        }
        var lengths: [Int] = []
        lengths.reserveCapacity(n)
        for i in 0..<n { lengths.append(try r.documentRange(i).count) }
        let sorted = lengths.sorted()
        func q(_ p: Double) -> Int { sorted[min(sorted.count - 1, Int(p * Double(sorted.count - 1)))] }
        print("\(n) documents, \(r.tokenCount) tokens; per document: mean \(Summary.format1(Double(r.tokenCount) / Double(n))), min \(sorted.first!), p10 \(q(0.1)), p50 \(q(0.5)), p90 \(q(0.9)), p99 \(q(0.99)), max \(sorted.last!)")
        // Power-of-two buckets: 1, 2–3, 4–7, …
        var buckets: [Int: Int] = [:]
        for l in lengths { buckets[l == 0 ? -1 : (Int.bitWidth - 1 - l.leadingZeroBitCount), default: 0] += 1 }
        let most = buckets.values.max() ?? 1
        for b in buckets.keys.sorted() {
            let label = b < 0 ? "0" : "\(1 << b)–\((1 << (b + 1)) - 1)"
            let bar = String(repeating: "█", count: max(1, buckets[b]! * 40 / most))
            print("  \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(buckets[b]!).padding(toLength: 8, withPad: " ", startingAt: 0)) \(bar)")
        }
        if let tokenizer {
            let tok = try TokenizerLoader.load(path: tokenizer)
            var bytes = 0
            for i in 0..<n { bytes += tok.decodeBytes(try r.document(i)).count }
            print("bytes per token: \(Summary.format1(Double(bytes) / Double(max(1, r.tokenCount)))) (\(bytes) bytes decoded)")
        }
    }
}

struct TokensPackBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack-bench",
        abstract: "Time best-fit-decreasing packing of N documents whose lengths are drawn from a real shard's (a speed check).")
    @OptionGroup var shard: ShardOptions
    @Option(help: "Documents to pack.") var documents: Int = 10_000_000
    @Option(help: "Sequence length.") var seqLen: Int = 2048
    @Option(help: "Documents packed at a time (as the pack step's window).") var window: Int = 10_000_000

    func run() throws {
        let r = try shard.open()
        guard let ends = r.documentEnds, !ends.isEmpty else { throw ValidationError("the shard has no document boundaries") }
        let real = ends.indices.map { ends[$0] - ($0 == 0 ? 0 : ends[$0 - 1]) }
        var state: UInt64 = 1
        let lengths = (0..<documents).map { _ -> Int in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return real[Int((state >> 33) % UInt64(real.count))]
        }
        let t0 = monotonicNanos()
        var sequences = 0, first = 0, cut = 0
        while first < lengths.count {
            let w = Array(lengths[first..<min(lengths.count, first + window)])
            let chunks = BestFitPacking.chunks(lengths: w, capacity: seqLen)
            sequences += BestFitPacking.pack(sizes: chunks.map(\.length), capacity: seqLen).count
            cut += w.filter { $0 > seqLen }.count
            first += window
        }
        let secs = Double(monotonicNanos() - t0) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let tokens = lengths.reduce(0, +)
        print("\(documents) documents (\(tokens) tokens, lengths drawn from \(real.count) real ones), seq_len \(seqLen): "
              + "\(sequences) sequences, padding \(Summary.format1(100 * Double(sequences * seqLen - tokens) / Double(sequences * seqLen)))%, "
              + "\(cut) documents cut; packed in \(Summary.format1(secs)) s; peak RSS \(usage.ru_maxrss / 1024) MB")
    }
}


/// A packed shard's `NNNNN.mask` ([N, L] uint8, 1 = document token), when its size fits.
struct PackedMask {
    let path: String
    let seqLen: Int

    init?(path: String, sequences: Int, tokens: Int) {
        guard sequences > 0, let size = fileSize(path), size == tokens, tokens % sequences == 0 else { return nil }
        self.path = path
        seqLen = tokens / sequences
    }

    func realTokens(row: Int) -> Int? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        guard fseek(f, row * seqLen, SEEK_SET) == 0 else { return nil }
        var b = [UInt8](repeating: 0, count: seqLen)
        guard fread(&b, 1, seqLen, f) == seqLen else { return nil }
        return b.reduce(0) { $0 + Int($1 != 0 ? 1 : 0) }
    }
}
