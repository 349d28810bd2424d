import XCTest
import WinnowTestSupport
import WinnowCore

/// Locations of the shared real-data corpus (`../shared/data` next to the repository) and of
/// this target's fixtures.
enum TestData {
    static let repoRoot = TestPaths.repositoryRoot
    static let shared = repoRoot + "/../shared/data"
    static let warc = shared + "/warc"
    static let fixtures = repoRoot + "/Tests/WinnowIOTests/Fixtures"

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw MissingTestData(path: path) }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    static func json(_ path: String) throws -> JSONValue { try JSONParser.parse(try bytes(path)) }


}

struct MissingTestData: Error, CustomStringConvertible {
    let path: String
    var description: String { "missing test data \(path) (the shared corpus must sit at ../shared next to the repository)" }
}
