import WinnowCore
import WinnowClassify
import WinnowText
import WinnowExtract
import WinnowFilters
import WinnowDedup
import WinnowLM

/// Keeps documents whose media type (HTTP Content-Type, else WARC-Identified-Payload-Type) is
/// in `allow`. Entries ending in `/` or `/*` match a whole family (`text/`).
public final class ContentTypeFilter: Stage {
    public let name = "content_type_filter"
    let allow: [String]
    let allowMissing: Bool

    public init(_ p: inout StageParameters) throws {
        allow = try p.strings("allow", default: ["text/html", "application/xhtml+xml"]).map { $0.lowercased() }
        allowMissing = try p.bool("allow_missing", default: false)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        guard let ct = doc.metadata["content_type"]?.stringValue ?? doc.metadata["identified_content_type"]?.stringValue else {
            return allowMissing ? .keep : .drop("missing_content_type")
        }
        for a in allow {
            if a.hasSuffix("/*") ? ct.hasPrefix(a.dropLast()) : (a.hasSuffix("/") ? ct.hasPrefix(a) : ct == a) { return .keep }
        }
        return .drop("content_type")
    }
}

/// Keeps documents whose HTTP status is in `allow` (documents without a status are kept).
public final class HTTPStatusFilter: Stage {
    public let name = "http_status_filter"
    let allow: Set<Int>

    public init(_ p: inout StageParameters) throws {
        var s = Set<Int>()
        for v in try p.strings("allow", default: ["200"]) {
            guard let i = Int(v) else { throw p.error("allow", "expected HTTP status codes, found '\(v)'") }
            s.insert(i)
        }
        allow = s
    }

    public func apply(_ doc: inout Document) -> Verdict {
        guard let status = doc.metadata["http_status"]?.intValue else { return .keep }
        return allow.contains(status) ? .keep : .drop("http_status")
    }
}

/// Drops documents whose text is shorter or longer than the bounds, in UTF-8 bytes or in
/// Unicode scalars (`unit: bytes|chars`).
public final class TextLengthFilter: Stage {
    public let name = "text_length_filter"
    let minLength: Int
    let maxLength: Int
    let countChars: Bool

    public init(_ p: inout StageParameters) throws {
        minLength = try p.int("min", default: 1)
        maxLength = try p.int("max", default: Int.max)
        countChars = try p.choice("unit", ["bytes", "chars"], default: "chars") == "chars"
        guard minLength <= maxLength else { throw p.error("min", "min (\(minLength)) is larger than max (\(maxLength))") }
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let n = countChars ? scalarCount(&doc.text) : doc.text.utf8.count
        if n < minLength { return .drop("too_short") }
        if n > maxLength { return .drop("too_long") }
        return .keep
    }
}

/// Unicode scalars = UTF-8 bytes that are not continuation bytes (10xxxxxx).
func scalarCount(_ s: inout String) -> Int {
    s.withUTF8 { b in
        var n = 0
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n
    }
}

/// All stages this build knows, by YAML name.
public enum Stages {
    public static let registry: StageRegistry = {
        var r = StageRegistry()
        r.register(StageFactory(name: "content_type_filter", summary: "keep documents of the listed media types (allow: [text/html])") { try ContentTypeFilter(&$0) })
        r.register(StageFactory(name: "http_status_filter", summary: "keep documents whose HTTP status is listed (allow: [200])") { try HTTPStatusFilter(&$0) })
        r.register(StageFactory(name: "text_length_filter", summary: "drop texts outside [min, max] chars or bytes") { try TextLengthFilter(&$0) })
        ClassifierStages.register(into: &r)
        TextStages.register(into: &r)
        ExtractStages.register(into: &r)
        FilterStages.register(into: &r)
        DedupStages.register(into: &r)
        LMStages.register(into: &r)
        return r
    }()
}
