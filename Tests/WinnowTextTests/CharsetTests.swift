import XCTest
@testable import WinnowText
import WinnowTestSupport
import WinnowCore

final class CharsetTests: XCTestCase {
    func testChardetCorpusDecodesAsLabelled() {
        let dir = TestPaths.sharedData + "/encodings/chardet-tests"
        var byLabel: [String: [String]] = [:]
        for label in try! TestFiles.list(dir) {
            byLabel[label] = try! TestFiles.list(dir + "/" + label).map { dir + "/" + label + "/" + $0 }
        }
        let rows = CharsetEvaluation.run(directory: dir, files: byLabel)
        let pages = rows.reduce(0) { $0 + $1.pages }, passed = rows.reduce(0) { $0 + $1.passed }
        XCTAssertGreaterThan(pages, 200)
        XCTAssertGreaterThanOrEqual(Double(passed) / Double(pages), 0.97, rows.filter { !$0.failures.isEmpty }.map { "\($0.label): \($0.failures)" }.joined(separator: "\n"))
        for must in ["Big5", "GB2312", "SHIFT_JIS", "EUC-KR", "KOI8-R", "windows-1251-russian", "utf-8"] {
            let r = rows.first { $0.label == must }!
            XCTAssertEqual(r.passed, r.pages, "\(must): \(r.failures)")
        }
    }

    /// Pages of zh-news-gne that declare gb2312 in <meta> but are UTF-8 decode as UTF-8.
    func testLegacyLabelOnUTF8Page() throws {
        let dir = TestPaths.sharedData + "/html/zh-news-gne"
        var overruled = 0
        for f in try TestFiles.list(dir) where f.hasSuffix(".html") {
            let bytes = CharsetEvaluation.readAll(dir + "/" + f)!
            let d = bytes.withUnsafeBufferPointer { Charset.decide($0) }
            let declared = bytes.withUnsafeBufferPointer { Charset.prescan($0) }
            if let declared, Charset.canonical(declared) == "GB18030", bytes.withUnsafeBufferPointer({ Charset.isValidUTF8($0) }) {
                XCTAssertEqual(d, Charset.Decision(charset: "UTF-8", source: .utf8Valid, declared: "GB18030"), f)
                overruled += 1
            }
            let text = bytes.withUnsafeBufferPointer { Charset.decode($0, charset: d.charset) }!
            XCTAssertEqual(text.1, 0, "\(f) decodes cleanly as \(d.charset)")
        }
        XCTAssertGreaterThan(overruled, 0)
    }

    func testLabelsAndEvidenceOrder() {
        XCTAssertEqual(Charset.canonical("GB2312"), "GB18030")
        XCTAssertEqual(Charset.canonical(" shift_jis "), "windows-31j")
        XCTAssertEqual(Charset.canonical("iso-8859-1"), "windows-1252")
        XCTAssertEqual(Charset.canonical("euc-kr"), "windows-949")
        XCTAssertEqual(Charset.canonical("big5"), "Big5-HKSCS")
        let gbk: [UInt8] = Array("<html><head><meta charset=\"gb2312\"></head><body>".utf8) + [0xD6, 0xD0, 0xCE, 0xC4]  // 中文
        gbk.withUnsafeBufferPointer { b in
            XCTAssertEqual(Charset.decide(b), Charset.Decision(charset: "GB18030", source: .meta))
            XCTAssertEqual(Charset.decide(b, httpCharset: "big5").source, .http, "HTTP before meta")
            XCTAssertTrue(Charset.decode(b, charset: "GB18030")!.0.hasSuffix("中文"))
        }
        ([0xEF, 0xBB, 0xBF] + Array("abc".utf8)).withUnsafeBufferPointer { XCTAssertEqual(Charset.decide($0).source, .bom) }
    }

    func testPrescanReadsTheDeclaredLabel() {
        func label(_ s: String) -> String? { Array(s.utf8).withUnsafeBufferPointer { Charset.prescan($0) } }
        XCTAssertEqual(label("<?xml version='1.0' encoding='ISO-8859-2'?><html>"), "iso-8859-2")
        XCTAssertNil(label("<?xml version='1.0' encoding=''?><meta charset=utf-8>"), "an XML declaration's encoding decides, even empty")
        XCTAssertEqual(label("<?xml version='1.0'?><META CHARSET=\"Shift_JIS\">"), "shift_jis")
        XCTAssertEqual(label("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"), "koi8-r")
        XCTAssertEqual(label("<meta charset=><meta name=x><meta charset = 'big5'>"), nil, "`charset =` is not `charset=`")
        XCTAssertEqual(label("<meta charset=\r\n><meta charset='big5'>"), "big5", "an empty label is passed over")
        XCTAssertEqual(label("<meta charset=  \"gbk\"/>"), "gbk")
        XCTAssertNil(label(String(repeating: " ", count: 1020) + "<meta charset=utf-8>"), "only the first 1024 bytes count")
    }

    func testCharsetDecodeStage() throws {
        let s = try makeStage(CharsetDecodeStage.init)
        var d = Document(id: "x", text: "\u{FFFD}\u{FFFD}", metadata: JSONObject([("charset_declared", .string("gbk")), ("utf8_repaired", .bool(true))]),
                         payload: Array("<p>".utf8) + [0xD6, 0xD0, 0xCE, 0xC4])
        XCTAssertEqual(s.apply(&d), .keep)
        XCTAssertEqual(d.text, "<p>中文")
        XCTAssertEqual(d.metadata["charset"]?.stringValue, "GB18030")
        XCTAssertEqual(d.metadata["charset_source"]?.stringValue, "http")
        XCTAssertNil(d.metadata["utf8_repaired"])
    }

    /// UTF-8 pages keep the text the reader made from the same bytes; text that is not those
    /// bytes (repaired by the reader, or changed by a stage before) is decoded from the payload.
    func testCharsetDecodeStageReusesTheReadersUTF8Text() throws {
        let s = try makeStage(CharsetDecodeStage.init)
        let page = "<meta charset=utf-8><p>Grüße, 中文 — café</p>"
        var same = Document(id: "a", text: page, metadata: JSONObject([]), payload: Array(page.utf8))
        XCTAssertEqual(s.apply(&same), .keep)
        XCTAssertEqual(same.text, page)
        XCTAssertEqual(same.metadata["charset"]?.stringValue, "UTF-8")
        var changed = Document(id: "b", text: "something else", metadata: JSONObject([]), payload: Array(page.utf8))
        XCTAssertEqual(s.apply(&changed), .keep)
        XCTAssertEqual(changed.text, page, "text that is not the payload's bytes is decoded from the payload")
        var sameLength = Document(id: "c", text: String(page.reversed()), metadata: JSONObject([]), payload: Array(page.utf8))
        XCTAssertEqual(s.apply(&sameLength), .keep)
        XCTAssertEqual(sameLength.text, page)
    }

    /// The decision given bytes known to be valid UTF-8 (the stage's case: they equal the
    /// reader's text) is the decision made by checking them, on every labelled page that is
    /// valid UTF-8; and the high-byte scan sees a high byte at any position and length.
    func testKnownValidUTF8GivesTheSameDecision() throws {
        let dir = TestPaths.sharedData + "/encodings/chardet-tests"
        var checked = 0
        for label in try TestFiles.list(dir) {
            for f in try TestFiles.list(dir + "/" + label) {
                let bytes = CharsetEvaluation.readAll(dir + "/" + label + "/" + f)!
                guard bytes.withUnsafeBufferPointer({ Charset.isValidUTF8($0) }) else { continue }
                bytes.withUnsafeBufferPointer { b in
                    for http in [nil, "windows-1252", "utf-8", "gbk"] as [String?] {
                        XCTAssertEqual(Charset.decide(b, httpCharset: http, knownValidUTF8: true), Charset.decide(b, httpCharset: http), "\(label)/\(f)")
                    }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
        for n in 0..<20 {
            let ascii = [UInt8](repeating: 0x61, count: n)
            XCTAssertFalse(ascii.withUnsafeBufferPointer { Charset.hasHighByte($0) })
            for k in 0..<n {
                var b = ascii
                b[k] = 0xC3
                XCTAssertTrue(b.withUnsafeBufferPointer { Charset.hasHighByte($0) }, "n=\(n) k=\(k)")
            }
        }
    }
}
