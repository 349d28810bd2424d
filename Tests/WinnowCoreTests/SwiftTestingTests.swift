import Testing
@testable import WinnowCore

/// Swift Testing side of the suite (XCTest and Swift Testing both run under `swift test`).
@Suite struct ConfigSuggestionTests {
    @Test(arguments: [("min_doc_word", "min_doc_words"), ("alow", "allow"), ("tasks", "tasks")])
    func suggestsClosestName(typo: String, expected: String) {
        #expect(closest(typo, in: ["allow", "min_doc_words", "tasks"]) == expected)
    }

    @Test func noSuggestionWhenFarAway() {
        #expect(closest("completely_different", in: ["allow", "tasks"]) == nil)
    }
}
