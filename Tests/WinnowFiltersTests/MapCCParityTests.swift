import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowText
@testable import WinnowFilters

/// MAP-CC against CT-LLM's own code, one test per class of difference found on real pages
/// (`bench/parity/mapcc_ctllm_parity.py`); the expected values are what CT-LLM's
/// `filter/filter.py` computed (`Fixtures/mapcc-ctllm.json`, `bench/parity/mapcc_ctllm_fixture.py`).
final class MapCCParityTests: XCTestCase {
    static let fixture: JSONValue = try! DatatroveDecisions.json("mapcc-ctllm.json")

    /// Python `re` semantics of the three link patterns: `\b` beside Han, kana, `_`, digits and
    /// accented letters; names of three or more labels (`x.com.cn`); a TLD before `-` or `.`;
    /// the four-label pass taking the rest of the run (dots, empty labels, a trailing dot); a
    /// name right after a dot; the Han look-behind at `-` and `.`.
    func testLinkRemovalAsPythonRe() {
        let cases = Self.fixture["links"]!.arrayValue!
        XCTAssertGreaterThan(cases.count, 60)
        for c in cases {
            let text = c["text"]!.stringValue!
            XCTAssertEqual(LinkRemover.remove(text), c["expected"]!.stringValue!, "\(text.debugDescription)")
        }
    }

    /// The 【】 rule counts what `【(.*?)】` captures: the brackets themselves are not counted.
    func testBracketRuleCountsInsideOnly() {
        for c in Self.fixture["brackets"]!.arrayValue! {
            let text = c["text"]!.stringValue!
            XCTAssertEqual(MapCCFilter.bracketSpanLength(Scalars.of(text)), c["inside"]!.intValue!, text)
        }
    }

    /// The block list: the URL stripped of whitespace, its host field matched exactly when it
    /// starts with http(s)://, any entry inside it otherwise (an upper-case scheme included).
    func testBlocklistAsCTLLM() {
        let b = Self.fixture["blocklist"]!
        let list = URLBlocklist(entries: Set(b["entries"]!.arrayValue!.map { $0.stringValue! }))
        for c in b["cases"]!.arrayValue! {
            let url = c["url"]!.stringValue!
            XCTAssertEqual(list.blocks(url), c["blocked"]!.boolValue!, url.debugDescription)
        }
    }

    /// R8/R9 count lines as `str.splitlines()` (no empty line after a final break; \r\n, \r,
    /// U+2028, \f… are breaks) and R7 counts `str.isdigit()` characters (❶ ⓵ ➀ are digits).
    func testRulesLinesAndDigitsAsPython() {
        for c in Self.fixture["rules"]!.arrayValue! {
            XCTAssertEqual(MapCCFilter.rules(c["text"]!.stringValue!), c["reason"]!.stringValue, c["name"]!.stringValue!)
        }
    }

    /// The stage reads the block list file as CT-LLM does and strips the document's URL.
    func testStageBlocksStrippedURL() throws {
        let dir = temporaryDirectory()
        let list = dir + "/urls"
        TestFiles.write(Array("blocked.example.com\r\nexample.net/bad\r\n".utf8), to: list)
        let f = try makeStage(MapCCFilter.init, [("model", "none"), ("url_blocklist", list)])
        for (url, blocked) in [(" http://blocked.example.com/a\n", true), ("http://example.net/bad/x", false), ("example.net/bad?x", true)] {
            var d = Document(id: "x", text: MapCCFilterTests.clean, metadata: JSONObject([("url", .string(url))]))
            XCTAssertEqual(f.apply(&d) == .drop("mapcc_url_blocklist"), blocked, url.debugDescription)
        }
    }
}
