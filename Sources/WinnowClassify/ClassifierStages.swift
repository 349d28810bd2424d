import Synchronization
import WinnowCore

/// Models loaded once per process, shared by every stage instance that names them.
public final class FastTextModelCache: Sendable {
    public static let shared = FastTextModelCache()
    private let models = Mutex<[String: FastTextModel]>([:])

    public func model(at path: String) throws -> FastTextModel {
        if let m = models.withLock({ $0[path] }) { return m }
        let m = try FastTextModel.load(path: path)
        models.withLock { $0[path] = m }
        return m
    }
}

/// Builds the single line fastText sees: newlines replaced (datatrove today: a space) or
/// removed (datatrove v0.2.0, FineWeb v1), then the newline that ends the line.
public struct LineBuffer {
    public enum Newlines: String { case space, remove }
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The text as one line (newlines replaced or removed), then a newline; copied a run of
    /// bytes at a time.
    public mutating func fill(_ text: String, newlines: Newlines) {
        bytes.removeAll(keepingCapacity: true)
        var t = text
        t.withUTF8 { src in
            bytes.reserveCapacity(src.count + 1)
            var start = 0
            for i in 0..<src.count where src[i] == 0x0A {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<i]))
                if newlines == .space { bytes.append(0x20) }
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start...]))
        }
        bytes.append(0x0A)
    }
}

/// fastText language identification (lid.176 or any `__label__xx` model): writes
/// `metadata.language` and `metadata.language_score`, and keeps the document if the top
/// language is in `languages` with a score above `threshold` (strictly, as datatrove's
/// LanguageFilter). With no `languages` it only tags.
public final class LanguageIDStage: Stage {
    public let name = "langid"
    let model: FastTextModel
    let languages: Set<String>
    let threshold: Float
    let newlines: LineBuffer.Newlines
    let labelKey: String, scoreKey: String
    private var line = LineBuffer()
    private let scratch: FastTextModel.Scratch

    public init(_ p: inout StageParameters) throws {
        let path = try p.string("model", default: "samples/models/lid.176.ftz")
        do { model = try FastTextModelCache.shared.model(at: path) } catch { throw p.error("model", "\(error)") }
        languages = Set(try p.strings("languages", default: []))
        threshold = Float(try p.double("threshold", default: 0.65))
        newlines = LineBuffer.Newlines(rawValue: try p.choice("newlines", ["space", "remove"], default: "space"))!
        labelKey = try p.string("label_key", default: "language")
        scoreKey = try p.string("score_key", default: "language_score")
        scratch = model.makeScratch()
    }

    public func apply(_ doc: inout Document) -> Verdict {
        line.fill(doc.text, newlines: newlines)
        let top = line.bytes.withUnsafeBufferPointer { model.predict(utf8: $0, k: 1, threshold: 0, scratch: scratch) }.first
        let lang = top.map { String($0.label.dropFirst(model.args.label.count)) } ?? ""
        let score = top?.probability ?? 0
        doc.metadata[labelKey] = .string(lang)
        doc.metadata[scoreKey] = .number(roundedScore(score))
        if languages.isEmpty { return .keep }
        if !languages.contains(lang) { return .drop("language") }
        return score > threshold ? .keep : .drop("language_score")
    }
}

/// DCLM-style model-score filter: the probability of `label` under a fastText classifier goes
/// into metadata, and the document is kept if it is at least `threshold`. Text is prepared as
/// DCLM does: lines stripped of the outer whitespace and joined with spaces.
public final class ClassifierFilterStage: Stage {
    public let name = "classifier_filter"
    let model: FastTextModel
    let label: String
    let threshold: Float
    let key: String
    private var line = LineBuffer()
    private let scratch: FastTextModel.Scratch

    public init(_ p: inout StageParameters) throws {
        guard let path = try p.string("model") else { throw p.error("model", "give the fastText model file (model: path.bin)") }
        do { model = try FastTextModelCache.shared.model(at: path) } catch { throw p.error("model", "\(error)") }
        guard let l = try p.string("label") else { throw p.error("label", "give the label whose probability is scored (e.g. hq)") }
        label = l.hasPrefix(model.args.label) ? l : model.args.label + l
        guard model.labels.contains(label) else {
            throw p.error("label", "the model has no label '\(label)' (it has \(model.labels.prefix(10).joined(separator: ", ")))")
        }
        threshold = Float(try p.double("threshold", default: 0.5))
        key = try p.string("metadata_key", default: String(label.dropFirst(model.args.label.count)) + "_prob")
        scratch = model.makeScratch()
    }

    public func apply(_ doc: inout Document) -> Verdict {
        line.fill(trimmed(doc.text), newlines: .space)
        let prob = line.bytes.withUnsafeBufferPointer { buf -> Float in
            let top = model.predict(utf8: buf, k: 1, threshold: 0, scratch: scratch)
            guard let t = top.first else { return 0 }
            if t.label == label { return t.probability }
            if model.dictionary.nlabels == 2 { return 1 - t.probability }  // DCLM: 1 - p of the other label
            return model.predict(utf8: buf, k: model.dictionary.nlabels, threshold: 0, scratch: scratch)
                .first { $0.label == label }?.probability ?? 0
        }
        doc.metadata[key] = .number(roundedScore(prob))
        return prob >= threshold ? .keep : .drop("classifier_score")
    }

    private func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let a = u.firstIndex(where: { !isSpace($0) }), let b = u.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(s[a...b])
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}

/// Scores are stored with 4 decimals, like datatrove's rounding of language scores.
func roundedScore(_ x: Float) -> String {
    let v = (Double(x) * 10000).rounded() / 10000
    var s = String(v)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

public enum ClassifierStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "langid", summary: "fastText language ID (lid.176): metadata.language/_score; keep listed languages above a threshold") {
            try LanguageIDStage(&$0)
        })
        r.register(StageFactory(name: "classifier_filter", summary: "fastText classifier score (DCLM style): keep if P(label) >= threshold") {
            try ClassifierFilterStage(&$0)
        })
    }
}
