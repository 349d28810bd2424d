import XCTest
import WinnowTestSupport
import WinnowCore

/// Locations of the shared real-data corpus (`../shared/data` next to the repository) and of
/// this target's fixtures.
enum TestData {
    static let repoRoot = TestPaths.repositoryRoot
    static let shared = TestPaths.sharedData
    static let warc = shared + "/warc"
    static let fixtures = TestPaths.fixtures("WinnowIOTests")

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let b = readFileBytes(path) else { throw MissingTestData(path: path) }
        return b
    }

    static func json(_ path: String) throws -> JSONValue { try JSONParser.parse(try bytes(path)) }
}

struct MissingTestData: Error, CustomStringConvertible {
    let path: String
    var description: String { "missing test data \(path) (the shared corpus must sit at ../shared next to the repository)" }
}
