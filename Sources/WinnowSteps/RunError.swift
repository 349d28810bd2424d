/// A run that cannot start or did not finish, said plainly for the command line.
public struct RunError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
