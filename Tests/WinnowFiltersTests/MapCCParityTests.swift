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

    /// The earlier release's block list (`url_blocklist_match: host`): the URL stripped of
    /// whitespace, its host field matched exactly when it starts with http(s)://, any entry
    /// inside it otherwise (an upper-case scheme included).
    func testHostBlocklistAsCTLLM() {
        let b = Self.fixture["blocklist"]!
        let entries = b["entries"]!.arrayValue!.map { $0.stringValue! }
        let lists = [URLBlocklist(entries: Set(entries), match: .host), URLBlocklist(text: entries.joined(separator: "\r\n"), match: .host)]
        for list in lists {
            for c in b["cases"]!.arrayValue! {
                let url = c["url"]!.stringValue!
                XCTAssertEqual(list.blocks(url), c["blocked"]!.boolValue!, url.debugDescription)
            }
        }
    }

    /// The release with `utils.py` (the default, `prefix`): entries and URL stripped and without
    /// scheme, an entry a prefix of the URL; a blank line (or a bare scheme) blocks only an
    /// empty URL. The list is read as a file: lines end at \n, \r\n or \r.
    func testPrefixBlocklistAsCTLLM() {
        let b = Self.fixture["blocklist_prefix"]!
        let lines = b["lines"]!.arrayValue!.map { $0.stringValue! }
        for separator in ["\n", "\r\n", "\r"] {
            let list = URLBlocklist(text: lines.joined(separator: separator) + separator, match: .prefix)
            for c in b["cases"]!.arrayValue! {
                let url = c["url"]!.stringValue!
                XCTAssertEqual(list.blocks(url), c["blocked"]!.boolValue!, url.debugDescription + " " + separator.debugDescription)
            }
        }
        // Without the blank line and the bare scheme, an empty URL is not blocked.
        let noBlank = URLBlocklist(text: lines.filter { !["", "http://"].contains($0) }.joined(separator: "\n"), match: .prefix)
        XCTAssertFalse(noBlank.blocks(""))
        XCTAssertFalse(noBlank.blocks("https://"))
        XCTAssertTrue(noBlank.blocks("https://blocked.example.com/x"))
    }

    /// R8/R9 count lines as `str.splitlines()` (no empty line after a final break; \r\n, \r,
    /// U+2028, \f… are breaks) and R7 counts `str.isdigit()` characters (❶ ⓵ ➀ are digits).
    func testRulesLinesAndDigitsAsPython() {
        for c in Self.fixture["rules"]!.arrayValue! {
            XCTAssertEqual(MapCCFilter.rules(c["text"]!.stringValue!), c["reason"]!.stringValue, c["name"]!.stringValue!)
        }
    }

    /// The stage reads the block list file as CT-LLM does, strips the document's URL, and
    /// matches as the chosen release does (`prefix` when not given).
    func testStageBlocksStrippedURL() throws {
        let dir = temporaryDirectory()
        let list = dir + "/urls"
        TestFiles.write(Array("blocked.example.com\r\nexample.net/bad\r\n".utf8), to: list)
        let cases: [(String?, [(String, Bool)])] = [
            (nil, [(" http://blocked.example.com/a\n", true), ("http://example.net/bad/x", true), ("example.net/bad?x", true), ("see example.net/bad", false)]),
            ("host", [(" http://blocked.example.com/a\n", true), ("http://example.net/bad/x", false), ("example.net/bad?x", true), ("see example.net/bad", true)]),
        ]
        for (match, urls) in cases {
            let f = try makeStage(MapCCFilter.init, [("model", "none"), ("url_blocklist", list)] + (match.map { [("url_blocklist_match", $0)] } ?? []))
            for (url, blocked) in urls {
                var d = Document(id: "x", text: MapCCFilterTests.clean, metadata: JSONObject([("url", .string(url))]))
                XCTAssertEqual(f.apply(&d) == .drop("mapcc_url_blocklist"), blocked, "\(match ?? "default") \(url.debugDescription)")
            }
        }
        XCTAssertThrowsError(try makeStage(MapCCFilter.init, [("model", "none"), ("url_blocklist", list), ("url_blocklist_match", "domain")]))
    }
}
