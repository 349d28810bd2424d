/// One unit of text flowing through a pipeline. On disk it is a datatrove/Dolma JSONL line:
/// `{"id", "text", …extra fields…, "metadata": {…}}`.
public struct Document: Sendable {
    public var id: String
    public var text: String
    /// Annotations: url, date, language, scores, and whatever stages add. Order is kept.
    public var metadata: JSONObject
    /// Top-level fields other than id/text/metadata (Dolma's source/added/created…), kept verbatim.
    public var extra: JSONObject
    /// The raw payload a reader decoded `text` from (e.g. HTML bytes of a WARC response), so
    /// stages such as charset repair can redo the decoding. Never serialised.
    public var payload: [UInt8]?

    public init(id: String, text: String, metadata: JSONObject = JSONObject(), extra: JSONObject = JSONObject(),
                payload: [UInt8]? = nil) {
        self.id = id
        self.text = text
        self.metadata = metadata
        self.extra = extra
        self.payload = payload
    }
}

public struct DocumentDecodingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension Document {
    /// Builds a document from a parsed JSONL object. `id` may be a string or a number; `text`
    /// must be a string; `metadata`, when present, must be an object.
    public init(json: JSONValue) throws(DocumentDecodingError) {
        guard case .object(let obj) = json else { throw DocumentDecodingError(message: "line is not a JSON object") }
        var id: String?
        var text: String?
        var metadata = JSONObject()
        var extra = JSONObject()
        for (k, v) in obj {
            switch k {
            case "id":
                switch v {
                case .string(let s): id = s
                case .number(let n): id = n
                default: throw DocumentDecodingError(message: "\"id\" must be a string or number")
                }
            case "text":
                guard case .string(let s) = v else { throw DocumentDecodingError(message: "\"text\" must be a string") }
                text = s
            case "metadata":
                switch v {
                case .object(let m): metadata = m
                case .null: break
                default: throw DocumentDecodingError(message: "\"metadata\" must be an object")
                }
            default: extra.append(k, v)
            }
        }
        guard let text else { throw DocumentDecodingError(message: "missing \"text\"") }
        self.init(id: id ?? "", text: text, metadata: metadata, extra: extra)
    }

    /// Appends this document as one JSON line (with the trailing newline).
    public func writeJSONLine(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONWriter.writeString(id, to: &out)
        out.append(contentsOf: #","text":"#.utf8)
        JSONWriter.writeString(text, to: &out)
        for e in extra.entries {
            out.append(UInt8(ascii: ","))
            JSONWriter.writeString(e.key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(e.value, to: &out)
        }
        out.append(contentsOf: #","metadata":"#.utf8)
        JSONWriter.writeObject(metadata, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}
