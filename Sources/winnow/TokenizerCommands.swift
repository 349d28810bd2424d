import ArgumentParser
import WinnowCore
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Encode and decode with tiktoken rank files and HF tokenizer.json files; train byte-level BPE.",
        subcommands: [TokenizerEncode.self, TokenizerDecode.self, TokenizerSpeed.self, TokenizerTrain.self])
}

/// How input documents are delimited.
enum TokenizerInputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, lines, jsonl
}

struct TokenizerFileOptions: ParsableArguments {
    @Option(help: "Tokenizer file: tiktoken ranks (cl100k_base, o200k_base, qwen, qwen3_6 recognised by their rank count) or tokenizer.json; .gz accepted. The format is read from the content.")
    var tokenizer: String
    @Option(help: "text: the whole input is one document; lines: one document per line (newline not encoded); jsonl: one JSON document per line, its \"text\" field.")
    var format: TokenizerInputFormat = .text
    @Argument(help: "Input file, or - for stdin.") var input: String = "-"

    func readInput() throws -> [UInt8] {
        if input == "-" {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                out.append(contentsOf: buf[0..<n])
            }
            return out
        }
        guard let b = readFileBytes(input) else { throw ValidationError("cannot read \(input)") }
        return b
    }

    /// The input's documents as text (invalid UTF-8 repaired with U+FFFD, as Python's errors="replace").
    func documents() throws -> [String] {
        let bytes = try readInput()
        switch format {
        case .text: return [String(decoding: bytes, as: UTF8.self)]
        case .lines:
            var docs = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if bytes.last == 0x0A { docs.removeLast() }
            return docs
        case .jsonl:
            var docs: [String] = []
            for (n, line) in bytes.split(separator: 0x0A).enumerated() {
                let v = try JSONParser.parse(Array(line))
                guard let t = v["text"]?.stringValue else { throw ValidationError("\(input) line \(n + 1): no \"text\" string") }
                docs.append(t)
            }
            return docs
        }
    }
}

func writeOut(_ out: inout [UInt8], force: Bool = false) {
    guard force || out.count > 1 << 16 else { return }
    out.withUnsafeBytes { b in
        var off = 0
        while off < b.count {
            let w = write(1, b.baseAddress! + off, b.count - off)
            if w <= 0 { break }
            off += w
        }
    }
    out.removeAll(keepingCapacity: true)
}

struct TokenizerEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Print the token ids (or pieces) of each document, one line per document.",
        discussion: """
        --ids (default) prints space-separated ids; --pieces prints a JSON array of the tokens' spellings as the library shows them.

        Special-token text is encoded as plain text unless named in --allowed-special (or 'all'), as tiktoken's encode(disallowed_special=()) does. tokenizer.json post-processors (BOS/EOS) are applied only with --add-special-tokens.
        """)
    @OptionGroup var options: TokenizerFileOptions
    @Flag(help: "Print ids (default).") var ids = false
    @Flag(help: "Print the token pieces as a JSON array.") var pieces = false
    @Option(help: "Special tokens matched in the text (comma-separated spellings, or 'all').") var allowedSpecial: String = ""
    @Flag(help: "Add the tokenizer.json post-processor's tokens (e.g. BOS).") var addSpecialTokens = false

    func run() throws {
        let tok = try TokenizerLoader.load(path: options.tokenizer)
        let allowed: Set<String> = allowedSpecial == "all"
            ? Set(tok.allSpecialSpellings)
            : Set(allowedSpecial.split(separator: ",").map(String.init))
        var out: [UInt8] = []
        for doc in try options.documents() {
            var idsOut = tok.encode(doc, allowedSpecial: allowed)
            if addSpecialTokens, let hf = tok as? HFTokenizer { idsOut = hf.postProcessed(idsOut) }
            if pieces {
                JSONWriter.write(.array(idsOut.map { .string(tok.piece($0) ?? "") }), to: &out)
            } else {
                var first = true
                for id in idsOut {
                    if !first { out.append(0x20) }
                    first = false
                    out.append(contentsOf: String(id).utf8)
                }
            }
            out.append(0x0A)
            writeOut(&out)
        }
        writeOut(&out, force: true)
    }
}

struct TokenizerDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode lines of space-separated ids (as `encode --ids` prints them).",
        discussion: """
        --format text writes the decoded documents back to back (so `encode | decode` reproduces a text input byte for byte); lines ends each with a newline; jsonl writes {"text": ...} lines.
        """)
    @OptionGroup var options: TokenizerFileOptions

    func run() throws {
        let tok = try TokenizerLoader.load(path: options.tokenizer)
        let bytes = try options.readInput()
        var out: [UInt8] = []
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (n, line) in lines.enumerated() {
            var ids: [UInt32] = []
            for f in line.split(separator: 0x20) {
                guard let v = UInt32(String(decoding: f, as: UTF8.self)) else {
                    throw ValidationError("line \(n + 1): '\(String(decoding: f, as: UTF8.self))' is not a token id")
                }
                ids.append(v)
            }
            let text = tok.decodeBytes(ids)
            switch options.format {
            case .text: out.append(contentsOf: text)
            case .lines: out.append(contentsOf: text); out.append(0x0A)
            case .jsonl:
                JSONWriter.write(.object(JSONObject([("text", .string(String(decoding: text, as: UTF8.self)))])), to: &out)
                out.append(0x0A)
            }
            writeOut(&out)
        }
        writeOut(&out, force: true)
    }
}

struct TokenizerSpeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Time encoding (one thread, CPU time, text already in memory): MB/s, token count and SHA-1 of the ids.",
        discussion: "The SHA-1 covers every id as 4 little-endian bytes, documents in order, so a script can check the ids against a reference without printing them.")
    @OptionGroup var options: TokenizerFileOptions
    @Option(help: "Timed passes over the input; the median is reported.") var repeats: Int = 3
    @Option(help: "Untimed passes first (the allocator and caches warm, as in a long-running process).") var warmup: Int = 0
    @Flag(help: "Time only the split into pieces (tiktoken files).") var splitOnly = false

    func run() throws {
        let tok = try TokenizerLoader.load(path: options.tokenizer)
        let docs = try options.documents()
        let bytes = docs.reduce(0) { $0 + $1.utf8.count }
        var times: [Double] = []
        var count = 0
        var digest = ""
        // One output buffer, its pages touched before any timing: the tokenize step reuses its
        // buffer too, so first-touch page faults of a fresh 2-bytes-per-input-byte array would
        // time the harness, not the encoder.
        var ids = [UInt32](repeating: 0, count: bytes / 2 + 16)
        for pass in 0..<(max(0, warmup) + max(1, repeats)) {
            ids.removeAll(keepingCapacity: true)
            let scratch = MergeScratch()
            let t0 = cpuSeconds()
            for var d in docs {
                if splitOnly, let tt = tok as? TiktokenTokenizer {
                    d.withUTF8 { ids.append(UInt32(tt.pieceCount(utf8: $0))) }
                } else if let fast = tok as? any BufferEncoding {
                    d.withUTF8 { fast.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
                } else {
                    ids += tok.encode(d, allowedSpecial: [])
                }
            }
            if pass < max(0, warmup) { continue }
            times.append(cpuSeconds() - t0)
            var sha = SHA1()
            ids.withUnsafeBytes { sha.update($0) }
            digest = Hex.encode(sha.finalize())
            count = ids.count
        }
        times.sort()
        let median = times[times.count / 2]
        print("bytes=\(bytes) tokens=\(count) seconds=\(median) mb_per_s=\(Double(bytes) / 1e6 / median) sha1=\(digest)")
    }
}

/// CPU seconds of the calling thread (the one encoding): on a shared machine less noisy than
/// wall time, and blind to any other thread of the process (a library's spinning pool).
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
