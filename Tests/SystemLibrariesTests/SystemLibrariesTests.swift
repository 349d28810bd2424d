import XCTest
import CICUShim
import CLibDeflate
import CLibXML2
import CSQLite
import CZlib
import CZstd

/// Each system library links and answers one real call.
final class SystemLibrariesTests: XCTestCase {
    func testZlib() {
        XCTAssertTrue(String(cString: zlibVersion()).hasPrefix("1."))
        let input = Array(repeating: Array("winnow ".utf8), count: 100).flatMap { $0 }
        XCTAssertEqual(crc32(0, input, UInt32(input.count)), crc32(crc32(0, input, 350), Array(input[350...]), 350))
    }

    func testZstdRoundTrip() {
        let input = Array(repeating: Array("zstd frame ".utf8), count: 200).flatMap { $0 }
        var dst = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let n = ZSTD_compress(&dst, dst.count, input, input.count, 3)
        XCTAssertEqual(ZSTD_isError(n), 0)
        var back = [UInt8](repeating: 0, count: input.count)
        XCTAssertEqual(ZSTD_decompress(&back, back.count, dst, n), input.count)
        XCTAssertEqual(back, input)
    }

    func testLibXML2ParsesBrokenHTML() throws {
        let html = "<html><head><title>T</title><body><p>one<p>two</div></body>"
        let doc = html.withCString { htmlReadMemory($0, Int32(strlen($0)), "http://x/", "UTF-8",
            Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)) }
        let d = try XCTUnwrap(doc)
        defer { xmlFreeDoc(d) }
        let root = try XCTUnwrap(xmlDocGetRootElement(d))
        XCTAssertEqual(String(cString: root.pointee.name), "html")
        let content = try XCTUnwrap(xmlNodeGetContent(root))
        defer { free(content) }
        XCTAssertEqual(String(cString: content), "Tonetwo")
    }

    func testSQLiteInMemory() {
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(":memory:", &db), SQLITE_OK)
        defer { sqlite3_close(db) }
        XCTAssertEqual(sqlite3_exec(db, "create table t(x); insert into t values (41),(1);", nil, nil, nil), SQLITE_OK)
        var st: OpaquePointer?
        XCTAssertEqual(sqlite3_prepare_v2(db, "select sum(x) from t", -1, &st, nil), SQLITE_OK)
        XCTAssertEqual(sqlite3_step(st), SQLITE_ROW)
        XCTAssertEqual(sqlite3_column_int(st, 0), 42)
        sqlite3_finalize(st)
    }

    func testICUConvertsGBKAndDetectsShiftJIS() {
        XCTAssertTrue(String(cString: cicu_version()).hasPrefix("7"))
        let gbk: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4]  // 中文
        var out = [CChar](repeating: 0, count: 4 * gbk.count + 16)
        var subs: Int64 = -1
        let n = gbk.withUnsafeBufferPointer { b in
            cicu_to_utf8("GBK", UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int64(b.count), &out, Int64(out.count), &subs)
        }
        XCTAssertEqual(n, 6)
        XCTAssertEqual(String(decoding: out[0..<6].map { UInt8(bitPattern: $0) }, as: UTF8.self), "中文")
        XCTAssertEqual(subs, 0)
        // "日本語のテキストです。" repeated, in Shift_JIS.
        let sjis: [UInt8] = [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x82, 0xCC, 0x83, 0x65, 0x83, 0x4C, 0x83, 0x58, 0x83, 0x67, 0x82, 0xC5, 0x82, 0xB7, 0x81, 0x42]
        let text = Array(repeating: sjis, count: 10).flatMap { $0 }
        var name = [CChar](repeating: 0, count: 64)
        let conf = text.withUnsafeBufferPointer { b in
            cicu_detect(UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), &name, 64)
        }
        XCTAssertGreaterThan(conf, 50)
        XCTAssertEqual(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), "Shift_JIS")
    }

    func testLibdeflateIsBoundAtRunTime() {
        // The image ships libdeflate.so.0; without it Winnow falls back to zlib (tested in WinnowIOTests).
        XCTAssertEqual(winnow_libdeflate_available(), 1)
        let d = winnow_libdeflate_alloc()
        XCTAssertNotNil(d)
        winnow_libdeflate_free(d)
    }
}
