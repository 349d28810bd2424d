import ArgumentParser
import WinnowCore
import WinnowDedup
import WinnowIO
import WinnowText
#if canImport(Glibc)
import Glibc
#endif
import WinnowPipeline

struct MinHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minhash",
        abstract: "MinHash tools (the dedup pipeline itself runs as pipeline steps).",
        subcommands: [MinHashSignatures.self])
}

struct MinHashSignatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "Print each document's MinHash signature (space-separated), or '-' when it has no shingles.")
    @Argument(help: "JSONL documents.") var input: String
    @Option(help: "words (datatrove), cjk (default: CJK characters as tokens), chars or raw_chars (MAP-CC).") var unit: String = "cjk"
    @Option(help: "Shingle length.") var ngrams: Int = 5
    @Option(help: "sha1 (datatrove/FineWeb compatible) or xxhash.") var hash: String = "xxhash"
    @Option(help: "32 or 64.") var bits: Int = 64
    @Option(help: "Bands.") var bands: Int = 14
    @Option(help: "Rows per band.") var rows: Int = 8
    @Option(help: "Seed of the permutations (numpy RandomState).") var seed: UInt32 = 1
    @Option(help: "datatrove (all a's, then all b's) or datasketch (pair by pair, MAP-CC).") var permutations: String = "datatrove"
    @Option(help: "datatrove-current, or fineweb-2024: words as datatrove 0.2.0 made them (its simplify_text, NLTK word_tokenize).") var preset = "datatrove-current"
    @Option(help: "NLTK punkt_tab model directory for --preset fineweb-2024 (default: where NLTK looks).") var punkt: String?
    @Option(help: "NLTK release for --preset fineweb-2024: 3.8.1 or 3.10.4.") var nltk = "3.8.1"
    @Flag(help: "Print each document's tokens (tab-separated) instead of its signature.") var tokens = false
    @Flag(help: .hidden) var profile = false

    func run() throws {
        guard let u = Shingler.Unit(rawValue: unit) else { throw ValidationError("--unit must be words, cjk, chars or raw_chars") }
        guard let h = ShingleHash(rawValue: hash) else { throw ValidationError("--hash must be sha1 or xxhash") }
        guard bits == 32 || bits == 64 else { throw ValidationError("--bits must be 32 or 64") }
        var legacy: NLTKWordTokenizer? = nil
        if preset == "fineweb-2024" {
            guard let release = NLTKRelease(rawValue: nltk) else { throw ValidationError("--nltk is 3.8.1 or 3.10.4") }
            legacy = NLTKWordTokenizer(punkt: try PunktModel.load(try PunktModel.locate(explicit: punkt)), release: release)
        } else if preset != "datatrove-current" {
            throw ValidationError("--preset is datatrove-current or fineweb-2024")
        }
        let shingler = Shingler(unit: u, n: ngrams, hash: h, bits: bits, fineweb2024: legacy)
        guard let perms = MinHasher.Permutations(rawValue: permutations) else { throw ValidationError("--permutations is datatrove or datasketch") }
        let hasher = MinHasher(bands: bands, rows: rows, bits: bits, seed: seed, permutations: perms)
        let reader = try JSONLReader(path: input)
        var sh: [UInt64] = []
        let scratch = Shingler.Scratch()
        var sig: [UInt64] = []
        var out = ""
        if profile {
            var texts: [String] = []
            while let d = try reader.next() { texts.append(d.text) }
            let (a, b, c) = shingler.profile(texts)
            print("simplify \(a / 1_000_000) ms, tokenize \(b / 1_000_000) ms, shingle hashes \(c / 1_000_000) ms")
            return
        }
        while let d = try reader.next() {
            if tokens {
                out += shingler.tokens(d.text).joined(separator: "\t") + "\n"
                continue
            }
            shingler.shingles(d.text, into: &sh, scratch: scratch)
            let ok = sh.withUnsafeBufferPointer { hasher.signature($0, into: &sig) }
            out += ok ? sig.map(String.init).joined(separator: " ") : "-"
            out += "\n"
            if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
        }
        print(out, terminator: "")
    }
}

struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text", abstract: "Text utilities (Chinese): traditional→simplified, mean word length.",
        subcommands: [TextT2S.self, TextMeanWordLength.self, TextCharset.self, TextTokens.self])
}

struct TextT2S: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "t2s", abstract: "Print FILE converted from Traditional to Simplified Chinese (ICU Hant-Hans).")
    @Argument var file: String
    func run() throws {
        guard let text = readTextFile(file) else { throw ValidationError("cannot read \(file)") }
        print(ICUText.toSimplified(text), terminator: "")
    }
}

struct TextMeanWordLength: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mean-word-length", abstract: "Mean word length (ICU segmentation, or jieba's with --jieba) of each NUL-separated text in FILE.")
    @Argument var file: String
    @Option(help: "The installed jieba package directory (dict.txt, finalseg/): segment as jieba.cut does.") var jieba: String?
    func run() throws {
        guard let text = readTextFile(file) else { throw ValidationError("cannot read \(file)") }
        var segmenter = try jieba.map { JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: $0)) }
        for t in text.split(separator: "\0", omittingEmptySubsequences: false) {
            let (words, chars): (Int, Int)
            if segmenter != nil {
                (words, chars) = Scalars.of(String(t)).withUnsafeBufferPointer { segmenter!.wordStats($0) }
            } else {
                let l = ICUText.wordLengths(String(t))
                (words, chars) = (l.count, l.reduce(0, +))
            }
            print(words == 0 ? "0" : String(Double(chars) / Double(words)))
        }
    }
}

struct TextCharset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "charset",
        abstract: "Detect the charset of files, or score detection on a folder-labelled corpus (--eval DIR).")
    @Argument var files: [String] = []
    @Option(help: "A directory of <ENCODING>/<file> pages (e.g. ../shared/data/encodings/chardet-tests).") var eval: String?
    func run() throws {
        if let eval {
            var byLabel: [String: [String]] = [:]
            for f in FileGlob.expand(eval + "/*/*") { byLabel[String(f.split(separator: "/").dropLast().last!), default: []].append(f) }
            let rows = CharsetEvaluation.run(directory: eval, files: byLabel)
            var total = 0, passed = 0
            for r in rows {
                total += r.pages; passed += r.passed
                print("\(r.label.padding(24)) \(r.passed)/\(r.pages)" + (r.failures.isEmpty ? "" : "   failed: " + r.failures.map { String($0.split(separator: "/").last!) }.joined(separator: ", ")))
            }
            print("all: \(passed)/\(total) = \(Double(passed * 10000 / max(total, 1)) / 100) %")
            return
        }
        for f in files {
            let raw = try readBinaryFile(f)
            let d = raw.withUnsafeBufferPointer { Charset.decide($0) }
            print("\(f): \(d.charset) (\(d.source.rawValue)\(d.declared.map { ", declared \($0)" } ?? ""))")
        }
    }
}

func readBinaryFile(_ path: String) throws -> [UInt8] {
    guard let b = readFileBytes(path) else { throw ValidationError("cannot open \(path)") }
    return b
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// `\\`, `\n`, `\t` and `\r` written as escapes, so a line holds one document.
func escaped(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

struct TextTokens: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "words",
        abstract: "Print the English word tokens of each JSONL document (tab-separated), as datatrove's English tokenizer splits them.",
        discussion: "--tokenizer nltk: NLTK's word_tokenize (Punkt + Treebank), what datatrove 0.2.0 (FineWeb) used; --sentences prints Punkt's sentences instead (\\n, \\t, \\r and \\\\ escaped). --tokenizer jieba --jieba DIR: jieba.lcut (MAP-CC's R3), tokens escaped the same way.")
    @Argument var input: String
    @Option(help: "spacy (datatrove today), nltk (datatrove 0.2.0) or jieba (Chinese, MAP-CC).") var tokenizer = "spacy"
    @Option(help: "The installed jieba package directory (dict.txt, finalseg/), for --tokenizer jieba.") var jieba: String?
    @Option(help: "NLTK punkt_tab model directory (default: found where NLTK looks).") var punkt: String?
    @Flag(help: "Print Punkt sentences (tab-separated) instead of words.") var sentences = false
    @Option(help: "NLTK release whose rules to follow: 3.8.1 (FineWeb's; the same through 3.10.0) or 3.10.4.") var nltk = "3.8.1"
    func run() throws {
        let reader = try JSONLReader(path: input)
        let split: (String) -> [String]
        switch tokenizer {
        case "spacy":
            let tok = EnglishTokenizer()
            split = tok.tokenize
        case "nltk":
            let model = try PunktModel.load(try PunktModel.locate(explicit: punkt))
            guard let release = NLTKRelease(rawValue: nltk) else { throw ValidationError("--nltk is 3.8.1 or 3.10.4") }
            if sentences {
                split = { text in
                    let s = Scalars.of(text)
                    return model.sentences(s, release: release).map { r in
                        escaped(Scalars.string(s[r]))
                    }
                }
            } else {
                let tok = NLTKWordTokenizer(punkt: model, release: release)
                split = tok.tokenize
            }
        case "jieba":
            guard let jieba else { throw ValidationError("--tokenizer jieba needs --jieba DIR (the installed jieba package)") }
            var segmenter = JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: jieba))
            split = { segmenter.tokens($0).map(escaped) }
        default:
            throw ValidationError("--tokenizer is spacy, nltk or jieba")
        }
        var out = ""
        while let d = try reader.next() {
            out += split(d.text).joined(separator: "\t") + "\n"
            if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
        }
        print(out, terminator: "")
    }
}
