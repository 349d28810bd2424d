import WinnowCore

/// The extraction stages a pipeline can name.
public enum ExtractStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "html_extract", summary: "HTML → main text (mode: main) or all visible text (mode: full); title and <html lang> into metadata") { try HTMLExtractStage(&$0) })
    }
}

/// HTML → main text (`mode: main`, leaning to `favor: balanced | precision | recall`, with
/// comment sections when `comments: true`, the headline above the text when `headline: true`) or all
/// visible text (`mode: full`), formulas as TeX unless `math: false`; the page title and
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
                                  favor: HTMLExtractor.Favor(rawValue: try p.choice("favor", ["balanced", "precision", "recall"], default: "balanced"))!,
                                  comments: try p.bool("comments", default: false),
                                  headline: try p.bool("headline", default: false),
                                  math: try p.bool("math", default: true))
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
