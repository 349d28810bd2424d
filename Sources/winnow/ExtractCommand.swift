import ArgumentParser
import WinnowCore
import WinnowExtract
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "Print the main text of an HTML page (like trafilatura's command line).")
    @Argument(help: "HTML file ('-' for stdin).") var input: String = "-"
    @Option(help: "Charset of the bytes (default: detected from BOM, <meta>, content).") var charset: String?
    @Option(help: "Page URL (recorded in --json output).") var url: String?
    @Flag(help: "Print JSON with text, title, language, charset.") var json = false
    @Flag(help: "All visible text instead of the main content.") var full = false
    @Flag(help: "Print every text block instead: kept (+/-), its class (a class a rule changed reads first>final, e.g. near>good), links/bytes and its text.") var explain = false
    @Option(help: "Main text leaning to balanced, precision or recall (like trafilatura's favor_precision/favor_recall).") var favor: String = "balanced"
    @Flag(help: "Also keep the article's headline (the heading just above the main text).") var headline = false
    @Flag(help: "Drop formulas instead of keeping them as TeX ($…$, $$…$$), as trafilatura drops them.") var noMath = false

    func run() throws {
        let bytes: [UInt8]
        if input == "-" {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            while true { let n = read(0, &buf, buf.count); if n <= 0 { break }; out += buf[0..<n] }
            bytes = out
        } else {
            bytes = try readBinaryFile(input)
        }
        let decision = bytes.withUnsafeBufferPointer { b in charset.flatMap { Charset.canonical($0) }.map { Charset.Decision(charset: $0, source: .http) } ?? Charset.decide(b) }
        guard let (html, _) = bytes.withUnsafeBufferPointer({ Charset.decode($0, charset: decision.charset) }) else {
            throw ValidationError("cannot decode as \(decision.charset)")
        }
        guard let lean = HTMLExtractor.Favor(rawValue: favor) else { throw ValidationError("--favor: balanced, precision or recall, not '\(favor)'") }
        if explain {
            for line in HTMLExtractor(mode: full ? .full : .main, favor: lean, headline: headline, math: !noMath).explain(html) { print(line) }
            return
        }
        let r = HTMLExtractor(mode: full ? .full : .main, favor: lean, headline: headline, math: !noMath).extract(html, url: url)
        if json {
            var o = JSONObject()
            o["text"] = .string(r.text)
            o["title"] = r.title.map { .string($0) } ?? .null
            o["language"] = r.language.map { .string($0) } ?? .null
            o["charset"] = .string(decision.charset)
            o["url"] = url.map { .string($0) } ?? .null
            var b: [UInt8] = []
            JSONWriter.write(.object(o), to: &b)
            print(String(decoding: b, as: UTF8.self))
        } else {
            print(r.text)
        }
    }
}
