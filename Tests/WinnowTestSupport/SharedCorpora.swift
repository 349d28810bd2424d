import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Real text from the shared data (`TestPaths.sharedData`) that several test targets read.
public enum SharedCorpora {
    /// One string field of every line of a JSONL file (gzip'd when the name ends in `.gz`).
    public static func jsonlTexts(_ path: String, field: String = "text") -> [String] {
        let p = path.hasSuffix(".gz") ? popen("gzip -dc '\(path)'", "r")! : popen("cat '\(path)'", "r")!
        defer { pclose(p) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, p); if n <= 0 { break }; out += buf[0..<n] }
        return String(decoding: out, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONParser.parse(String($0)))?[field]?.stringValue
        }
    }

    /// Chinese web pages: the HPLT 1.2 sample.
    public static let chinesePages = jsonlTexts(TestPaths.sharedData + "/zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz")
}
