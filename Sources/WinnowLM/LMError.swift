/// A training or model problem the caller can act on (bad input, diverged loss).
public struct LMError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
