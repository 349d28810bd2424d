import Foundation
import XCTest
import WinnowCore
@testable import WinnowTokenize

/// Byte-level BPE training against the merges HF tokenizers 0.23.3's BpeTrainer learned from
/// Fixtures/bpe_train_corpus.txt (written by bench/parity/bpe_train_parity.py --fixture).
final class BPETrainerTests: XCTestCase {
    static let fixtures: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures"
    }()
    static let corpus = fixtures + "/bpe_train_corpus.txt"

    func counted(_ rules: SplitRules, threads: Int = 2, batchBytes: Int = 1 << 20) throws -> BPEWordCounts {
        let counter = BPECorpusCounter(rules: rules, threads: threads)
        counter.batchBytes = batchBytes
        var report = BPECorpusReport()
        try counter.addFile(Self.corpus, format: .text, report: &report)
        counter.flush()
        XCTAssertEqual(report.repairedLines, 0)
        return counter.counts
    }

    func checkAgainstHF(_ name: String, _ rules: SplitRules) throws {
        let expected = try JSONParser.parse(readFileBytes(Self.fixtures + "/bpe_train_\(name)_merges.json")!)
        let options = BPETrainingOptions(
            vocabSize: Int(expected["vocab_size"]!.intValue!),
            minFrequency: UInt64(expected["min_frequency"]!.intValue!),
            specialTokens: expected["special_tokens"]!.arrayValue!.map { $0.stringValue! })
        let model = try BPETrainer.train(try counted(rules), options)
        let want = expected["merges"]!.arrayValue!.map { m in m.arrayValue!.map { $0.stringValue! } }
        let got = model.savedMerges.map { [model.vocab[Int($0.left)], model.vocab[Int($0.right)]] }
        XCTAssertGreaterThan(want.count, 300)
        XCTAssertEqual(got.count, want.count, name)
        if let i = got.indices.first(where: { $0 < want.count && got[$0] != want[$0] }) {
            XCTFail("\(name): merge \(i) is \(got[i]), HF has \(want[i])")
        }
        XCTAssertEqual(Array(model.vocab.prefix(3)), ["<|endoftext|>", "<|pad|>", "!"])
    }

    func testMergesMatchHFTokenizersCl100k() throws { try checkAgainstHF("cl100k", SplitPattern.cl100kClassic) }

    func testMergesMatchHFTokenizersO200kWithMinFrequency() throws { try checkAgainstHF("o200k", SplitPattern.o200k) }

    func testOutputDoesNotDependOnThreadsOrBatches() throws {
        let options = BPETrainingOptions(vocabSize: 600, specialTokens: ["<|endoftext|>"])
        let a = try BPETrainer.train(try counted(SplitPattern.gpt2, threads: 1), options)
        let b = try BPETrainer.train(try counted(SplitPattern.gpt2, threads: 3, batchBytes: 5000), options)
        XCTAssertEqual(a.tokenizerJSON(pattern: "p"), b.tokenizerJSON(pattern: "p"))
        XCTAssertEqual(a.tiktokenRanks(), b.tiktokenRanks())
    }

    /// The written tokenizer.json and rank file load in Winnow's own loaders and round-trip text.
    func testWrittenFilesLoadAndEncode() throws {
        let model = try BPETrainer.train(try counted(SplitPattern.cl100kClassic),
                                         BPETrainingOptions(vocabSize: 800, specialTokens: ["<|endoftext|>"]))
        let pattern = SplitPattern.text(of: SplitPattern.cl100kClassic)!
        let hf = try HFTokenizer(bytes: model.tokenizerJSON(pattern: pattern), path: "trained.json")
        let enc = TiktokenEncoding(name: "trained", rules: SplitPattern.cl100kClassic,
                                   specialTokens: [("<|endoftext|>", 0)], rankCount: model.vocab.count - 1)
        let tt = try TiktokenTokenizer(bytes: model.tiktokenRanks(), path: "trained.tiktoken", encoding: enc)
        let text = "The tokenizer was trained on 2017 news: 中文网页 text, isn't it?\n\n  ok <|endoftext|>"
        let ids = hf.encode(text, allowedSpecial: ["<|endoftext|>"])
        XCTAssertEqual(hf.decode(ids), text)
        XCTAssertEqual(ids.last, 0)
        XCTAssertEqual(tt.encode(text, allowedSpecial: ["<|endoftext|>"]), ids)
        XCTAssertLessThan(ids.count, text.utf8.count / 2)
    }

    func testTooSmallVocabularyAndEmptyCorpusAreErrors() throws {
        let words = try counted(SplitPattern.gpt2)
        XCTAssertThrowsError(try BPETrainer.train(words, BPETrainingOptions(vocabSize: 257, specialTokens: ["<a>", "<b>"]))) {
            XCTAssertTrue("\($0)".contains("smaller than the 258"), "\($0)")
        }
        XCTAssertEqual(try BPETrainer.train(words, BPETrainingOptions(vocabSize: 256)).merges.count, 0)
        XCTAssertThrowsError(try BPETrainer.train(BPEWordCounts(), BPETrainingOptions(vocabSize: 1000))) {
            XCTAssertTrue("\($0)".contains("no text"), "\($0)")
        }
    }

    func testInvalidUTF8LinesAreRepairedAndCounted() throws {
        let path = NSTemporaryDirectory() + "bpe_bad_utf8_\(getpid()).txt"
        let bytes: [UInt8] = Array("good line\n".utf8) + [0x61, 0xFF, 0xC3, 0x0A] + Array("tail".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let counter = BPECorpusCounter(rules: SplitPattern.gpt2, threads: 1)
        var report = BPECorpusReport()
        try counter.addFile(path, format: .text, report: &report)
        counter.flush()
        XCTAssertEqual(report.repairedLines, 1)
        XCTAssertEqual(counter.sequences, 3)
        XCTAssertThrowsError(try counter.addFile(path + ".missing", format: .text, report: &report))
    }

    /// Equal counts: the pair with the smaller (left id, right id) merges first.
    func testTiesGoToTheSmallerPair() throws {
        let words = BPEWordCounts()
        for w in ["zy", "ab", "zy", "ab", "ba"] { Array(w.utf8).withUnsafeBufferPointer { words.add($0.baseAddress!, 2, 1) } }
        let model = try BPETrainer.train(words, BPETrainingOptions(vocabSize: 259))
        XCTAssertEqual(model.merges.map { model.vocab[Int($0.left)] + model.vocab[Int($0.right)] }, ["ab", "zy", "ba"])
    }

    /// HF's Oniguruma reads tiktoken's possessive cl100k `\p{N}{1,3}+` as "any digit run"; the
    /// ids are HF 0.23.3's for the fixture model with that pattern ("1201" stays one piece).
    func testPossessiveCl100kPatternSplitsDigitsAsHFDoes() throws {
        let model = try BPETrainer.train(try counted(SplitPattern.cl100kClassic),
                                         BPETrainingOptions(vocabSize: 700, specialTokens: ["<|endoftext|>", "<|pad|>"]))
        let possessive = #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
        let hf = try HFTokenizer(bytes: model.tokenizerJSON(pattern: possessive), path: "possessive.json")
        XCTAssertEqual(hf.encode("x 12017"), [89, 222, 18, 373, 24])
        XCTAssertEqual(hf.encode("y 1201 20201"), [90, 222, 18, 373, 222, 315, 373])
    }
}
