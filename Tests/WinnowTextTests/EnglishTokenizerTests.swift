import XCTest
import WinnowTestSupport
@testable import WinnowText
import WinnowCore
/// Word tokens equal datatrove's `split_into_words(text, "eng")` (spaCy's English tokenizer) on
/// real documents and hard cases (fixture from bench/parity/english_words.py's method).
final class EnglishTokenizerTests: XCTestCase {
    func testTokensEqualDatatrove() throws {
        let dir = TestPaths.fixtures("WinnowTextTests")
        let bytes = readFileBytes(dir + "/datatrove-words.json")!
        let cases = try JSONParser.parse(String(decoding: bytes, as: UTF8.self)).arrayValue!
        XCTAssertGreaterThan(cases.count, 20)
        let tok = EnglishTokenizer()
        for c in cases {
            let text = c["text"]!.stringValue!
            XCTAssertEqual(tok.tokenize(text), c["words"]!.arrayValue!.map { $0.stringValue! }, String(text.prefix(60)))
        }
    }

    func testContractionsUnitsURLsAndEmoticons() {
        let tok = EnglishTokenizer()
        XCTAssertEqual(tok.tokenize("Don't go 3km to http://x.com/a-b :)"), ["Do", "n't", "go", "3", "km", "to", "http://x.com/a-b", ":)"])
        XCTAssertEqual(tok.tokenize("U.S. co-op (test)."), ["U.S.", "co", "-", "op", "(", "test", ")", "."])
    }
}
