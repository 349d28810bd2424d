#if canImport(Glibc)
import Glibc
#endif
/// Where the tests find the repository and its data, from this file's own path
/// (`Tests/WinnowTestSupport/TestPaths.swift`).
public enum TestPaths {
    /// The repository's root directory.
    public static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The shared data next to the repository (`../shared/data`: corpora, models, reference outputs).
    public static let sharedData = repositoryRoot + "/../shared/data"

    /// The `winnow` binary built next to the running test bundle (else the debug build).
    public static let winnowExecutable: String = {
        var dir = CommandLine.arguments[0]
        while let slash = dir.lastIndex(of: "/") {
            dir = String(dir[..<slash])
            if !dir.isEmpty, access(dir + "/winnow", X_OK) == 0 { return dir + "/winnow" }
            if dir.isEmpty { break }
        }
        return repositoryRoot + "/.build/debug/winnow"
    }()

    /// A test target's fixtures directory (`Tests/<target>/Fixtures`).
    public static func fixtures(_ testTarget: String) -> String {
        "\(repositoryRoot)/Tests/\(testTarget)/Fixtures"
    }
}
