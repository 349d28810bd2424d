import WinnowCore
import WinnowText
import WinnowExtract

public enum FilterStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "charset_decode", summary: "decode the raw payload with the detected charset (BOM, HTTP, meta, sniffing; WHATWG labels)") { try CharsetDecodeStage(&$0) })
        r.register(StageFactory(name: "html_extract", summary: "HTML → main text (mode: main) or all visible text (mode: full); title and <html lang> into metadata") { try HTMLExtractStage(&$0) })
        r.register(StageFactory(name: "gopher_quality", summary: "Gopher quality rules (datatrove's GopherQualityFilter: word count and length, symbols, bullets, ellipses, alpha words, stop words)") { try GopherQualityFilter(&$0) })
        r.register(StageFactory(name: "gopher_repetition", summary: "Gopher repetition rules (datatrove's GopherRepetitionFilter: duplicate lines/paragraphs, top and duplicated n-grams)") { try GopherRepetitionFilter(&$0) })
        r.register(StageFactory(name: "c4_quality", summary: "C4 rules (datatrove's C4QualityFilter: terminal punctuation, short lines, javascript, policy lines, lorem ipsum, curly brackets, 5 sentences; rewrites the text)") { try C4QualityFilter(&$0) })
        r.register(StageFactory(name: "url_filter", summary: "datatrove's URL filter: domain/URL block lists, banned words and subwords in the URL (lists in configs/url_filter)") { try URLFilterStage(&$0) })
        r.register(StageFactory(name: "pii", summary: "replace email addresses and public IPv4 addresses with placeholders (datatrove's PIIFormatter)") { try PIIFormatter(&$0) })
        r.register(StageFactory(name: "fineweb_quality", summary: "FineWeb quality rules (datatrove's FineWebQualityFilter: line punctuation, short lines, duplicated line chars, list ratio)") { try FineWebQualityFilter(&$0) })
        r.register(StageFactory(name: "cjk_ratio", summary: "drop documents with a Han-character share below min (WuDao: 0.7)") { try CJKRatioFilter(&$0) })
        r.register(StageFactory(name: "chinesewebtext_filter", summary: "ChineseWebText 1.0 rules: length, line length, CJK ratio, traditional, sensitive words, 13-gram repetition") { try ChineseWebTextFilter(&$0) })
        r.register(StageFactory(name: "mapcc_filter", summary: "CT-LLM MAP-CC filter chain: unify format, URL/link removal, rules R1-R12, fastText score, duplicates rules") { try MapCCFilter(&$0) })
    }
}

/// Decodes a WARC document's raw payload with the detected charset (BOM, HTTP header,
/// `<meta>`, content sniffing; WHATWG labels) into its text, and records `metadata.charset` and
/// `metadata.charset_source`. Documents without a payload (JSONL input) pass unchanged.
public final class CharsetDecodeStage: Stage {
    public let name = "charset_decode"
    let dropUndecodable: Bool

    public init(_ p: inout StageParameters) throws {
        dropUndecodable = try p.bool("drop_undecodable", default: false)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        guard let payload = doc.payload else { return .keep }
        let declared = doc.metadata["charset_declared"]?.stringValue
        let (decision, decoded) = payload.withUnsafeBufferPointer { b in
            let d = Charset.decide(b, httpCharset: declared)
            return (d, Charset.decode(b, charset: d.charset))
        }
        guard let (text, substitutions) = decoded else {
            return dropUndecodable ? .drop("charset_undecodable") : .keep
        }
        doc.text = text
        doc.metadata["charset"] = .string(decision.charset)
        doc.metadata["charset_source"] = .string(decision.source.rawValue)
        doc.metadata.remove("utf8_repaired")
        if substitutions > 0 { doc.metadata["charset_substitutions"] = .int(substitutions) }
        return .keep
    }
}

/// HTML → main text (`mode: main`, leaning to `favor: balanced | precision | recall`) or all
/// visible text (`mode: full`); the page title and
/// `<html lang>` go into `metadata.title` / `metadata.html_lang`. Documents left without text
/// are dropped (`extract_empty`), as datatrove drops empty extractions; input that looks like
/// binary data (random or compressed bytes, whatever charset decoded them) is dropped as
/// `extract_binary`. Repairs the extractor had to make are recorded: `nul_bytes_removed`,
/// `html_attributes_dropped` (attributes beyond 100 on one element).
public final class HTMLExtractStage: Stage {
    public let name = "html_extract"
    let extractor: HTMLExtractor
    let maxBytes: Int

    public init(_ p: inout StageParameters) throws {
        extractor = HTMLExtractor(mode: HTMLExtractor.Mode(rawValue: try p.choice("mode", ["main", "full"], default: "main"))!,
                                  favor: HTMLExtractor.Favor(rawValue: try p.choice("favor", ["balanced", "precision", "recall"], default: "balanced"))!)
        maxBytes = try p.int("max_bytes", default: 8 << 20)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        if doc.text.utf8.count > maxBytes { return .drop("extract_too_large") }
        let r = extractor.extract(doc.text, url: doc.metadata["url"]?.stringValue)
        if r.binary { return .drop("extract_binary") }
        if r.nulBytesRemoved > 0 { doc.metadata["nul_bytes_removed"] = .int(r.nulBytesRemoved) }
        if r.attributesDropped > 0 { doc.metadata["html_attributes_dropped"] = .int(r.attributesDropped) }
        if let t = r.title, !t.isEmpty { doc.metadata["title"] = .string(t) }
        if let l = r.language, !l.isEmpty { doc.metadata["html_lang"] = .string(l) }
        doc.text = r.text
        doc.payload = nil
        return r.text.isEmpty ? .drop("extract_empty") : .keep
    }
}
