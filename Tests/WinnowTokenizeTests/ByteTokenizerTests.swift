import XCTest
import WinnowTokenize

/// `tokenizer: bytes`: UTF-8 bytes as ids 0–255 and <|endoftext|> as 256.
final class ByteTokenizerTests: XCTestCase {
    func testBytesAreIdsAndEndOfTextIsSpecial() throws {
        let tok = try TokenizerLoader.load(path: "bytes")
        XCTAssertTrue(tok is ByteTokenizer)
        XCTAssertEqual(tok.vocabularySize, 257)
        let text = "héllo 世界<|endoftext|>!"
        XCTAssertEqual(tok.encode(text), Array(text.utf8).map(UInt32.init), "special text is plain text unless allowed")
        let ids = tok.encode(text, allowedSpecial: ["<|endoftext|>"])
        XCTAssertEqual(ids, Array("héllo 世界".utf8).map(UInt32.init) + [256, 33])
        XCTAssertEqual(tok.decode(ids), "héllo 世界!", "the end-of-text id decodes to nothing")
        XCTAssertEqual(tok.specialTokenID("<|endoftext|>"), 256)
        XCTAssertEqual(tok.piece(0x41), "A")
        XCTAssertEqual(tok.piece(0xE4), "<0xE4>")
        XCTAssertNil(tok.piece(257))
    }

    func testAFileNamedBytesIsStillAFile() throws {
        let dir = NSTemporaryDirectory() + "winnow-bytes-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cwd = FileManager.default.currentDirectoryPath
        defer {
            _ = FileManager.default.changeCurrentDirectoryPath(cwd)
            try? FileManager.default.removeItem(atPath: dir)
        }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir))
        try "not a tokenizer".write(toFile: dir + "/bytes", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TokenizerLoader.load(path: "bytes"))
    }
}
