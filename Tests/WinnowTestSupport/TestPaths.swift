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

    /// A test target's fixtures directory (`Tests/<target>/Fixtures`).
    public static func fixtures(_ testTarget: String) -> String {
        "\(repositoryRoot)/Tests/\(testTarget)/Fixtures"
    }
}
