import XCTest
@testable import WinnowTokenize

final class TokenizerContractTests: XCTestCase {
    func testErrorNamesFileAndField() {
        let e = TokenizerError(path: "t.json", "model.type 'WordPiece' is not supported")
        XCTAssertEqual(e.description, "t.json: model.type 'WordPiece' is not supported")
    }
}
