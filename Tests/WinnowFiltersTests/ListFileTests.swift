import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowFilters

/// Word and block lists that are not text, or empty, are errors naming the file (and line),
/// never a silently weakened or disabled filter.
final class ListFileTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let m = SourceMark(file: "t", line: 1, column: 1)

    /// A copy of configs/url_filter with `file` replaced by `bytes`.
    func listsDir(replacing file: String, with bytes: [UInt8]) -> String {
        let dir = temporaryDirectory()
        for f in ["banned_subwords.txt", "banned_words.txt", "soft_banned_words.txt", "public_suffix_list.dat"] {
            let data = f == file ? bytes : readFileBytes(Self.root + "/configs/url_filter/" + f)!
            let h = fopen(dir + "/" + f, "wb")!
            _ = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, h) }
            fclose(h)
        }
        return dir
    }

    func urlFilter(lists: String, allowEmpty: Bool = false) throws -> URLFilterStage {
        var entries: [(String, SourceMark, ConfigNode)] = [("lists", Self.m, .scalar(lists, Self.m))]
        if allowEmpty { entries.append(("allow_empty", Self.m, .scalar("true", Self.m))) }
        var p = try StageParameters(stageName: "url_filter", node: .mapping(entries, Self.m), path: "url_filter", mark: Self.m)
        return try URLFilterStage(&p)
    }

    func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    /// The finding: a binary banned_subwords list was accepted and its junk "subwords" dropped
    /// 634 of 680 documents.
    func testBinaryListIsAnErrorNamingFileAndLine() throws {
        let binary: [UInt8] = Array("casino\npoker\n".utf8) + [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF, 0xFE]
        let dir = listsDir(replacing: "banned_subwords.txt", with: binary)
        let e = error { try self.urlFilter(lists: dir) }
        XCTAssertTrue(e.contains(dir + "/banned_subwords.txt:3: a NUL byte"), e)
    }

    func testInvalidUTF8IsAnErrorNamingTheLine() throws {
        let latin1: [UInt8] = Array("ok\nfine\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x0A]  // "café" in Latin-1
        let dir = listsDir(replacing: "banned_words.txt", with: latin1)
        let e = error { try self.urlFilter(lists: dir) }
        XCTAssertTrue(e.contains(dir + "/banned_words.txt:3: not valid UTF-8"), e)
    }

    func testEmptyListIsAnErrorUnlessAllowed() throws {
        for content in ["", "# only a comment\n\n   \n"] {
            let dir = listsDir(replacing: "soft_banned_words.txt", with: Array(content.utf8))
            let e = error { try self.urlFilter(lists: dir) }
            XCTAssertTrue(e.contains(dir + "/soft_banned_words.txt: the list has no entries"), e)
            XCTAssertNoThrow(try urlFilter(lists: dir, allowEmpty: true))
        }
        // Entries that normalise to nothing cannot match anything either.
        let dir = listsDir(replacing: "banned_subwords.txt", with: Array("---\n...\n".utf8))
        let e = error { try self.urlFilter(lists: dir) }
        XCTAssertTrue(e.contains("no usable entries"), e)
    }

    func testPublicSuffixListWithoutRulesIsAnError() throws {
        let dir = listsDir(replacing: "public_suffix_list.dat", with: Array("com\nnet\n".utf8))
        let e = error { try self.urlFilter(lists: dir) }
        XCTAssertTrue(e.contains("no ICANN rules"), e)
    }

    func testSensitiveWordsListIsChecked() throws {
        let dir = temporaryDirectory()
        let path = dir + "/words.txt"
        let h = fopen(path, "wb")!
        fclose(h)
        let e = error { try makeStage(ChineseWebTextFilter.init, [("sensitive_words", path)]) }
        XCTAssertTrue(e.contains(path + ": the list has no entries"), e)
    }

    func testRealListsStillLoad() throws {
        let f = try urlFilter(lists: Self.root + "/configs/url_filter")
        XCTAssertFalse(f.lists.banned.isEmpty)
    }
}
