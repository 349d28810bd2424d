import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowFilters

final class URLFilterTests: XCTestCase {
    static let root = TestPaths.repositoryRoot

    /// Registered domains and hosts as tldextract gives them (values checked with tldextract 5.4.0).
    func testPublicSuffixSplit() throws {
        let psl = PublicSuffixList(text: readTextFile(Self.root + "/configs/url_filter/public_suffix_list.dat")!)
        XCTAssertEqual(psl.split("http://WWW.Example.CO.UK:8080/path").registered, "Example.CO.UK")
        XCTAssertEqual(psl.split("http://WWW.Example.CO.UK:8080/path").fqdn, "WWW.Example.CO.UK")
        XCTAssertEqual(psl.split("https://user@sub.example.com/").registered, "example.com")
        XCTAssertEqual(psl.split("http://foo.blogspot.com").registered, "blogspot.com", "ICANN section only")
        XCTAssertEqual(psl.split("http://a.b.kawasaki.jp").registered, "a.b.kawasaki.jp", "wildcard rule")
        XCTAssertEqual(psl.split("http://city.kawasaki.jp").registered, "city.kawasaki.jp", "exception rule")
        XCTAssertEqual(psl.split("http://192.168.1.1/x").registered, "")
        XCTAssertEqual(psl.split("example").registered, "")
    }

    func testRulesInDatatroveOrder() throws {
        var p = try StageParameters(stageName: "url_filter", node: .mapping([
            ("lists", SourceMark(file: "t", line: 1, column: 1), .scalar(Self.root + "/configs/url_filter", SourceMark(file: "t", line: 1, column: 1))),
            ("extra_domains", SourceMark(file: "t", line: 1, column: 1), .sequence([.scalar("blocked-site.com", SourceMark(file: "t", line: 1, column: 1)),
                                                                                   .scalar("ads.tracker-site.net", SourceMark(file: "t", line: 1, column: 1))], SourceMark(file: "t", line: 1, column: 1))),
        ], SourceMark(file: "t", line: 1, column: 1)), path: "url_filter", mark: SourceMark(file: "t", line: 1, column: 1))
        let f = try URLFilterStage(&p)
        func reason(_ url: String) -> String { Self.reason(f, url) }
        let banned = readTextFile(Self.root + "/configs/url_filter/banned_words.txt")!.split(separator: "\n").map(String.init).first { $0.allSatisfy(\.isLetter) }!
        let sub = readTextFile(Self.root + "/configs/url_filter/banned_subwords.txt")!.split(separator: "\n").first.map(String.init)!
        XCTAssertEqual(reason("https://www.blocked-site.com/page"), "domain")
        XCTAssertEqual(reason("https://ads.tracker-site.net/pixel"), "subdomain")
        XCTAssertEqual(reason("https://cdn.tracker-site.net/pixel"), "keep")
        XCTAssertEqual(reason("https://news.example.com/\(banned)/story"), "hard_blacklisted")
        XCTAssertEqual(reason("https://shop.example.org/x\(sub)y"), "blacklisted_subword")
        XCTAssertEqual(reason("https://www.example.com/articles/weather-report"), "keep")
    }

    /// Block-list files load into the byte-string set: comments and blank lines skipped, ASCII
    /// whitespace trimmed, duplicates once, exact (case-sensitive) matches, and enough entries
    /// to grow the table many times; then `block_lists:` drives the domain/subdomain/url rules.
    func testBlockListFiles() throws {
        var set = ByteStringSet()
        var lines = ["# comment", "", "  spaced.example.com \r", "dup.example", "dup.example"]
        for k in 0..<50_000 { lines.append("host\(k).example.net") }
        set.insertLines(Array(lines.joined(separator: "\n").utf8))
        XCTAssertEqual(set.count, 2 + 50_000)
        XCTAssertTrue(set.contains("spaced.example.com"))
        XCTAssertTrue(set.contains("dup.example"))
        XCTAssertTrue(set.contains("host49999.example.net"))
        XCTAssertFalse(set.contains("# comment"))
        XCTAssertFalse(set.contains(""))
        XCTAssertFalse(set.contains("Dup.example"))
        XCTAssertFalse(set.contains("host50000.example.net"))

        let dir = temporaryDirectory()
        try "# UT1\nblocked-site.com\nsub.other-site.org\n".write(toFile: dir + "/domains", atomically: true, encoding: .utf8)
        try "http://fine.example/bad/page.html\n".write(toFile: dir + "/urls", atomically: true, encoding: .utf8)
        let m = SourceMark(file: "t", line: 1, column: 1)
        var p = try StageParameters(stageName: "url_filter", node: .mapping([
            ("lists", m, .scalar(Self.root + "/configs/url_filter", m)), ("block_lists", m, .scalar(dir, m)),
        ], m), path: "url_filter", mark: m)
        let f = try URLFilterStage(&p)
        func reason(_ url: String) -> String { Self.reason(f, url) }
        XCTAssertEqual(reason("https://www.blocked-site.com/a"), "domain")
        XCTAssertEqual(reason("https://sub.other-site.org/a"), "subdomain")
        XCTAssertEqual(reason("https://www.other-site.org/a"), "keep")
        XCTAssertEqual(reason("http://fine.example/bad/page.html"), "url")
        XCTAssertEqual(reason("http://fine.example/good/page.html"), "keep")
    }

    /// "keep", or the drop reason for a document from `url`.
    static func reason(_ f: URLFilterStage, _ url: String) -> String {
        var d = Document(id: "x", text: "")
        d.metadata["url"] = .string(url)
        if case .drop(let r) = f.apply(&d) { return r }
        return "keep"
    }
}
