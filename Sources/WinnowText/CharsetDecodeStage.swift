import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// The text stages a pipeline can name.
public enum TextStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "charset_decode", summary: "decode the raw payload with the detected charset (BOM, HTTP, meta, sniffing; WHATWG labels)") { try CharsetDecodeStage(&$0) })
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
        // The reader already made the text from these bytes as UTF-8 (unless it had to repair
        // them): when UTF-8 is the decision, that text is the decoding, and validating and
        // copying the page again would be a tenth of this stage.
        var readerText = doc.metadata["utf8_repaired"] == nil ? doc.text : ""
        let (decision, decoded) = payload.withUnsafeBufferPointer { b -> (Charset.Decision, (String, Int)?) in
            // Bytes equal to a Swift string's are valid UTF-8: the decision need not check again.
            let same = !b.isEmpty && Self.same(&readerText, b)
            let d = Charset.decide(b, httpCharset: declared, knownValidUTF8: same)
            if d.charset == "UTF-8" && same { return (d, (readerText, 0)) }
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

    /// Whether `text`'s UTF-8 is exactly `bytes` (one memcmp; no copy of a native string).
    static func same(_ text: inout String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.withUTF8 { u in u.count == bytes.count && memcmp(u.baseAddress!, bytes.baseAddress!, u.count) == 0 }
    }
}
