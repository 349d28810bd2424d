import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowLM
import WinnowCompress
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

struct EIWCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eiw",
        abstract: "Equal-info windows (EIW, issue 21): text compressed by a byte LM (M1) into fixed-size token windows.",
        discussion: "docs/EIW.md describes the window rule, the decoder and the numbers.",
        subcommands: [EIWEncode.self, EIWDecode.self, EIWRoundTrip.self, EIWTable.self, EIWTrainM1.self, EIWModelSpeed.self])
}

struct EIWModelOptions: ParsableArguments {
    @Option(help: "M1: a checkpoint directory (model.safetensors + config.json), or a training output directory (its newest checkpoint).")
    var model: String
    @Option(help: "Threads (documents are split between them).") var threads: Int = 2
    @Option(help: "Windows in flight per thread (one model step feeds a byte to each).") var lanes: Int = 8

    func load() throws -> ByteModel { try ByteModel.load(checkpoint: model) }
}

struct EIWFormatOptions: ParsableArguments {
    @Option(name: [.customShort("b"), .customLong("window-bits")], help: "Bits per window (16…40, a multiple of the token bits).")
    var windowBits: Int = 16
    @Option(name: [.customShort("v"), .customLong("vocab")], help: "Token vocabulary: 256 (8-bit tokens) or 65536 (16-bit).")
    var vocab: Int = 65_536

    func format() throws -> EqualInfoFormat { try EqualInfoFormat(windowBits: windowBits, vocabularySize: vocab) }
}

/// Documents' texts from JSONL files (plain, .gz or .zst), as UTF-8 bytes.
func readDocumentBytes(_ patterns: [String], textKey: String) throws -> (ids: [String], bytes: [[UInt8]]) {
    let (files, unmatched) = FileGlob.expand(patterns)
    if let u = unmatched.first { throw ValidationError("no file matches \(u)") }
    var ids: [String] = [], out: [[UInt8]] = []
    for f in files {
        let r = try openDocumentReader(path: f, format: .jsonl, jsonl: JSONLFields(textKey: textKey))
        while let d = try r.next() { ids.append(d.id); out.append(Array(d.text.utf8)) }
    }
    return (ids, out)
}

func winnowSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func fixed(_ x: Double, _ d: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var s = String(Int((abs(x) * pow(10, Double(d))).rounded()))
    if d > 0 {
        while s.count <= d { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -d))
    }
    return (x < 0 ? "-" : "") + s
}

func describe(_ s: EncodeStats, _ f: EqualInfoFormat) -> String {
    let tokens = s.windows * f.tokensPerWindow
    return "\(s.documents) documents, \(s.bytes) bytes → \(s.windows) windows, \(tokens) tokens: \(fixed(Double(s.bytes) / Double(max(tokens, 1)), 3)) bytes/token; "
        + "\(s.shortened) windows shortened (\(s.bytesGivenUp) bytes recoded), \(s.escapes) escapes, \(s.capped) capped at \(f.maxWindowBytes) bytes"
}

struct EIWEncode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode", abstract: "JSONL documents → an EqualInfoAC token shard (one document per document).")
    @OptionGroup var m: EIWModelOptions
    @OptionGroup var f: EIWFormatOptions
    @Option(name: [.customShort("o"), .long], help: "The shard: datatrove NAME.ds or a Megatron prefix.") var output: String
    @Option(help: "datatrove (default; its metadata names the format and M1) or megatron.") var shardFormat: String = "datatrove"
    @Option(help: "JSONL text field.") var textKey: String = "text"
    @Argument(help: "JSONL files (globs allowed).") var inputs: [String]

    func run() throws {
        let model = try m.load(), format = try f.format()
        guard let sf = TokenShardFormat(rawValue: shardFormat), sf == .datatrove || sf == .megatron else { throw ValidationError("--shard-format is datatrove or megatron") }
        let docs = try readDocumentBytes(inputs, textKey: textKey).bytes
        let t0 = winnowSeconds()
        let (windows, stats) = EqualInfoAC.encode(docs, model: model, format: format, threads: m.threads, lanes: m.lanes)
        let dt = winnowSeconds() - t0
        let w = try TokenShardWriter(format: sf, path: output, vocabularySize: format.vocabularySize, tokenizerName: format.tokenizerName(model: model))
        for d in windows { try w.write(document: format.tokens(d)) }
        try w.finish()
        print(describe(stats, format))
        print("encoded in \(fixed(dt, 2)) s: \(Int(Double(stats.bytes) / max(dt, 1e-9))) bytes/s on \(m.threads) threads × \(m.lanes) lanes")
    }
}

struct EIWDecode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode", abstract: "An EqualInfoAC token shard → JSONL documents ({\"text\": …}).")
    @OptionGroup var m: EIWModelOptions
    @OptionGroup var f: EIWFormatOptions
    @Argument(help: "The shard (datatrove .ds or Megatron prefix/.bin/.idx).") var shard: String
    @Option(name: [.customShort("o"), .long], help: "Output JSONL (default: standard output).") var output: String?

    func run() throws {
        let model = try m.load()
        let isDS = shard.hasSuffix(".ds")
        let reader = try TokenShardReader(format: isDS ? .datatrove : .megatron, path: shard)
        var format = try f.format()
        if let name = reader.tokenizerName, let p = EqualInfoFormat.parse(tokenizerName: name) {
            guard model.identity.hasPrefix(p.model) else {
                throw ValidationError("\(shard) was written with M1 \(p.model), not this model (\(model.identity.prefix(16)))")
            }
            format = p.format
        }
        guard let n = reader.documentCount else { throw ValidationError("\(shard) has no document boundaries") }
        let windows = try (0..<n).map { try format.windows(try reader.document($0)) }
        let t0 = winnowSeconds()
        let docs = try EqualInfoAC.decode(windows, model: model, format: format, threads: m.threads, lanes: m.lanes)
        let dt = winnowSeconds() - t0
        let writer = try JSONLWriter(path: output ?? "/dev/stdout", compression: Compression.none)
        for (i, d) in docs.enumerated() { try writer.write(Document(id: "\(i)", text: String(decoding: d, as: UTF8.self))) }
        try writer.commit()
        eprint("decoded \(n) documents, \(docs.reduce(0) { $0 + $1.count }) bytes in \(fixed(dt, 2)) s")
    }
}

struct EIWRoundTrip: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract: "Encode and decode documents (encoder and decoder on different thread and lane counts) and compare every byte.")
    @OptionGroup var m: EIWModelOptions
    @OptionGroup var f: EIWFormatOptions
    @Option(help: "Decoder threads.") var decodeThreads: Int = 1
    @Option(help: "Decoder lanes.") var decodeLanes: Int = 3
    @Option(help: "JSONL text field.") var textKey: String = "text"
    @Option(help: "Window prefix from M1's cache: 2 = marker and first byte, 1 = marker, 0 = none (to measure the cache).") var cachedPrefix: Int = 2
    @Option(help: "Only the first N documents.") var limit: Int?
    @Flag(help: "Also code with the paper's pure greedy rule: its window count, and how many documents it decodes wrongly.") var greedy = false
    @Argument(help: "JSONL files (globs allowed).") var inputs: [String]

    func run() throws {
        let model = try m.load(), format = try f.format()
        var docs = try readDocumentBytes(inputs, textKey: textKey).bytes
        if let limit { docs = Array(docs.prefix(limit)) }
        let t0 = winnowSeconds()
        let (windows, stats) = EqualInfoAC.encode(docs, model: model, format: format, threads: m.threads, lanes: m.lanes, cachedPrefix: cachedPrefix)
        let t1 = winnowSeconds()
        let back = try EqualInfoAC.decode(windows, model: model, format: format, threads: decodeThreads, lanes: decodeLanes, cachedPrefix: cachedPrefix)
        let t2 = winnowSeconds()
        let bad = zip(docs, back).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        var sha = SHA1()
        for w in windows { for t in format.tokens(w) { withUnsafeBytes(of: t.littleEndian) { sha.update($0) } } }
        print(describe(stats, format) + "; tokens sha1 \(Hex.encode(sha.finalize()).prefix(16))")
        print("encode \(fixed(t1 - t0, 2)) s (\(Int(Double(stats.bytes) / max(t1 - t0, 1e-9))) bytes/s, \(m.threads) threads × \(m.lanes) lanes); "
              + "decode \(fixed(t2 - t1, 2)) s (\(Int(Double(stats.bytes) / max(t2 - t1, 1e-9))) bytes/s, \(decodeThreads) threads × \(decodeLanes) lanes); "
              + "cached prefix \(cachedPrefix)")
        if greedy {
            let (gw, g) = EqualInfoAC.encode(docs, model: model, format: format, threads: m.threads, lanes: m.lanes, greedyOnly: true)
            let cost = Double(stats.windows) / Double(max(g.windows, 1)) - 1
            let gb = try EqualInfoAC.decode(gw, model: model, format: format, threads: m.threads, lanes: m.lanes)
            let wrong = zip(docs, gb).filter { $0.0 != $0.1 }.count
            print("pure greedy rule: \(g.windows) windows (\(fixed(Double(g.bytes) / Double(max(g.windows * format.tokensPerWindow, 1)), 3)) bytes/token); "
                  + "the decodable rule costs \(fixed(cost * 100, 3)) % more windows; the greedy rule's lowest values decode \(wrong) of \(docs.count) documents wrongly "
                  + "(\(fixed(Double(docs.count - wrong) / Double(max(docs.count, 1)) * 100, 2)) % right)")
        }
        print("round trip: \(docs.count - bad.count) of \(docs.count) documents identical" + (bad.isEmpty ? "" : "; FAILED: \(bad.prefix(10))"))
        if !bad.isEmpty { throw ExitCode(1) }
    }
}

struct EIWTable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Compression ratios (bytes per token) of EqualInfoAC and the baselines on the same documents, next to EIW's Table 12.")
    @OptionGroup var m: EIWModelOptions
    @Option(name: [.customShort("b"), .customLong("window-bits")], parsing: .upToNextOption, help: "Window sizes.") var windowBits: [Int] = [16, 32]
    @Option(help: "The project's BPE (tokenizer file) for its row.") var tokenizer: String?
    @Option(parsing: .upToNextOption, help: "JSONL the StaticAC unigram model is counted on (default: the documents themselves).") var unigramFrom: [String] = []
    @Option(help: "M1's held-out bits/byte (from `winnow lm eval`), for the predicted column.") var m1BitsPerByte: Double?
    @Option(help: "JSONL text field.") var textKey: String = "text"
    @Flag(help: "Also count the pure greedy rule's windows.") var greedy = false
    @Argument(help: "Held-out JSONL files (globs allowed).") var inputs: [String]

    func run() throws {
        let model = try m.load()
        let docs = try readDocumentBytes(inputs, textKey: textKey).bytes
        let bytes = docs.reduce(0) { $0 + $1.count }
        var rows: [CompressionRow] = []
        rows.append(CompressionRow(method: "Bytes", vocabulary: 256, tokens: bytes, bytes: bytes, bits: Double(bytes * 8), paper: 1.0))
        if let tokenizer {
            let tok = try TokenizerLoader.load(path: tokenizer)
            let n = Baselines.tokenCounts(docs, tokenizer: tok).reduce(0, +)
            rows.append(CompressionRow(method: "BPE (\(baseName(tokenizer)))", vocabulary: tok.vocabularySize, tokens: n, bytes: bytes,
                                       bits: Double(n) * log2(Double(tok.vocabularySize)), paper: 4.28, note: "paper: SentencePiece 32k"))
        }
        let gz = Baselines.gzipBytes(docs).map { $0 * 8 }
        let counts = unigramFrom.isEmpty ? Baselines.byteCounts(docs) : Baselines.byteCounts(try readDocumentBytes(unigramFrom, textKey: textKey).bytes)
        let st = Baselines.staticACBits(docs, cdf: QuantizedCDF.fromCounts(counts))
        var t0 = winnowSeconds()
        let runs = EqualInfoAC.split(docs.map(\.count), m.threads)
        let ac = EqualInfoAC.collect(runs.count) { t in Baselines.plainACBits(Array(docs[runs[t]]), model: model, lanes: m.lanes) }.flatMap { $0 }
        let acSeconds = winnowSeconds() - t0
        let acBPB = Double(ac.reduce(0, +)) / Double(bytes)
        let predictBPB = m1BitsPerByte ?? acBPB
        for (name, bits, p256, p65) in [("GZip", gz, 2.23, 4.47), ("StaticAC", st, 1.73, 3.46), ("AC (M1)", ac, 5.49, 10.98)] {
            for (t, p) in [(8, p256), (16, p65)] {
                rows.append(CompressionRow(method: name, vocabulary: 1 << t, tokens: CompressionRow.bitTokens(bits, tokenBits: t), bytes: bytes,
                                           bits: Double(bits.reduce(0, +)), paper: p))
            }
        }
        let paper: [Int: (Double, Double)] = [16: (2.66, 5.31), 24: (3.15, 6.30), 32: (3.49, 6.97)]
        var notes: [String] = ["AC (M1): \(fixed(acBPB, 3)) bits/byte under M1 in \(fixed(acSeconds, 1)) s"]
        for b in windowBits {
            let f8 = try EqualInfoFormat(windowBits: b, tokenBits: 8)
            t0 = winnowSeconds()
            let (_, s) = EqualInfoAC.encode(docs, model: model, format: f8, threads: m.threads, lanes: m.lanes)
            let dt = winnowSeconds() - t0
            let padding = 1 - s.informationBits / Double(s.windows * b)
            notes.append("EqualInfoAC b=\(b): \(s.windows) windows, \(fixed(Double(s.bytes) / Double(s.windows), 3)) bytes/window, information \(fixed(s.informationBits / Double(bytes), 3)) bits/byte with the context reset, padding \(fixed(padding * 100, 1)) % of the bits, \(s.shortened) shortened, \(s.escapes) escapes; \(Int(Double(bytes) / max(dt, 1e-9))) bytes/s")
            for t in [8, 16] where b % t == 0 {
                let p = paper[b].map { t == 8 ? $0.0 : $0.1 }
                let tokens = s.windows * b / t
                rows.append(CompressionRow(method: "EqualInfoAC[b=\(b)]", vocabulary: 1 << t, tokens: tokens, bytes: bytes, bits: Double(s.windows * b), paper: p,
                                           note: "M1 predicts ≤ \(fixed(Double(t) / predictBPB, 2)) (no resets, no padding)"))
            }
            if greedy {
                let g = EqualInfoAC.encode(docs, model: model, format: f8, threads: m.threads, lanes: m.lanes, greedyOnly: true).stats
                notes.append("  pure greedy rule b=\(b): \(g.windows) windows; the decodable rule adds \(fixed((Double(s.windows) / Double(g.windows) - 1) * 100, 3)) %")
            }
        }
        print("\(docs.count) documents, \(bytes) bytes; M1 \(model.identity.prefix(16))" + (m1BitsPerByte.map { ", held-out \(fixed($0, 3)) bits/byte" } ?? ""))
        print("")
        print("| method | v | tokens | bytes/token | paper (Table 12) | bits/byte | note |")
        print("|---|---|---|---|---|---|---|")
        for r in rows {
            print("| \(r.method) | \(r.vocabulary) | \(r.tokens) | \(fixed(r.ratio, 2)) | \(r.paper.map { fixed($0, 2) } ?? "") | \(fixed(r.bitsPerByte, 3)) | \(r.note) |")
        }
        print("")
        for n in notes { print(n) }
    }
}

func baseName(_ p: String) -> String { p.split(separator: "/").last.map(String.init) ?? p }

struct EIWTrainM1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-m1",
        abstract: "Train M1, the byte model EqualInfoAC codes with (preset eiw-m1), on documents (e.g. a pipeline step's output).",
        discussion: """
        Writes OUTPUT_DIR/data/{train,heldout}.ds (each document as the start marker byte 0 and its
        UTF-8 bytes; about --heldout-per-256 of every 256 documents held out by the hash of their
        text, exact duplicates dropped; training documents are cut into segments of 4 to
        --segment-max bytes, log-uniform, shuffled across documents, each after its own marker, as
        EqualInfoAC restarts M1 in the middle of text; 0 keeps them whole), OUTPUT_DIR/data/heldout.jsonl (the held-out texts, for
        `winnow eiw table`) and OUTPUT_DIR/train.yaml, then trains as `winnow lm train` does
        (metrics.jsonl, checkpoints/). Resume an interrupted run with
        `winnow lm train OUTPUT_DIR/train.yaml --resume latest`.
        """)
    @Option(help: "Output directory.") var outputDir: String
    @Option(help: "Training steps.") var steps: Int = 10_000
    @Option(help: "Sequences per step.") var batchSize: Int = 16
    @Option(help: "Bytes per sequence (eiw-m1's context is 1024).") var seqLen: Int = 1024
    @Option(help: "Peak learning rate.") var lr: Double = 2e-3
    @Option(help: "Threads.") var threads: Int = 2
    @Option(help: "Held-out documents per 256.") var heldoutPer256: Int = 13
    @Option(help: "Seed.") var seed: Int = 0
    @Option(help: "Longest training segment in bytes (each starts with the marker, as every window does); 0 = whole documents.") var segmentMax: Int = 1024
    @Option(help: "JSONL text field.") var textKey: String = "text"
    @Flag(help: "Write the data and train.yaml, do not train.") var prepareOnly = false
    @Argument(help: "JSONL documents (globs allowed), e.g. out/RUN/steps/STEP/*.jsonl.zst.") var inputs: [String]

    func run() throws {
        let docs = try readDocumentBytes(inputs, textKey: textKey).bytes
        let (train, held) = M1Data.split(docs, heldOutPer256: heldoutPer256)
        guard !train.isEmpty, !held.isEmpty else { throw ValidationError("need documents for both training (\(train.count)) and held-out (\(held.count))") }
        var prefix = outputDir.hasPrefix("/") ? "" : "."
        for part in (outputDir + "/data").split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw ValidationError("cannot create \(prefix)") }
        }
        let segments = segmentMax > 0 ? M1Data.segments(train, maxLength: max(4, segmentMax), seed: UInt64(max(0, seed))) : train
        let t = try M1Data.writeShard(segments, path: outputDir + "/data/train.ds")
        let h = try M1Data.writeShard(held, path: outputDir + "/data/heldout.ds")
        let jw = try JSONLWriter(path: outputDir + "/data/heldout.jsonl", compression: Compression.none)
        for (i, d) in held.enumerated() { try jw.write(Document(id: "heldout-\(i)", text: String(decoding: d, as: UTF8.self))) }
        try jw.commit()
        print("M1 data: \(train.count) training documents (\(segments.count) segments, \(t.tokens) tokens), \(held.count) held out (\(h.tokens) bytes)")
        let cfg = M1Data.trainConfig(train: outputDir + "/data/train.ds", heldOut: outputDir + "/data/heldout.ds", outputDir: outputDir,
                                     steps: steps, batchSize: batchSize, seqLen: seqLen, lr: lr, threads: threads, seed: UInt64(max(0, seed)))
        try writeFileAtomically(outputDir + "/train.yaml", Array((JSONWriter.string(cfg.json) + "\n").utf8))
        print("wrote \(outputDir)/train.yaml")
        if prepareOnly { return }
        BLASThreads.set(threads)
        let trainer = try Trainer(config: cfg)
        let summary = try TrainingLoop.run(trainer, stopAt: cfg.steps, log: { print($0) })
        if let e = summary.lastEvalLoss { print("held-out loss \(fixed(e, 4)) nats/byte = \(fixed(e / log(2.0), 4)) bits/byte") }
    }
}

struct EIWModelSpeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-speed",
        abstract: "M1 steps per second on one thread for batches of R rows (each row a byte of its own context at position 1…16).")
    @Option(help: "M1 checkpoint.") var model: String
    @Option(parsing: .upToNextOption, help: "Rows per step.") var rows: [Int] = [1, 4, 8, 16, 32, 64]
    @Option(help: "Seconds per measurement.") var seconds: Double = 3

    func run() throws {
        let m = try ByteModel.load(checkpoint: model)
        for r in rows {
            let s = ByteModelState(model: m, lanes: r, capacity: 17)
            let lanes = Array(0..<r), toks = (0..<r).map { Int32(97 + $0 % 26) }
            var n = 0
            let t0 = winnowSeconds()
            while winnowSeconds() - t0 < self.seconds {
                if s.positions[0] == 16 { for l in 0..<r { s.reset(lane: l) } }
                s.step(lanes: lanes, tokens: toks)
                n += 1
            }
            let dt = winnowSeconds() - t0
            print("rows \(r): \(Int(Double(n * r) / dt)) rows/s (\(fixed(dt / Double(n) * 1e3, 3)) ms per step)")
        }
    }
}

