/// What a stage decided about one document.
public enum Verdict: Equatable, Sendable {
    case keep
    /// Dropped, with a short reason name (datatrove's names where one exists, e.g. `gopher_short_doc`).
    case drop(String)
}

/// A pipeline stage: decides about (and may rewrite) one document at a time. The machinery
/// around it (`StageChain`) owns counting, timing and recording what was dropped.
public protocol Stage: AnyObject {
    /// The registry name, as written in YAML.
    var name: String { get }
    func apply(_ doc: inout Document) -> Verdict
}
