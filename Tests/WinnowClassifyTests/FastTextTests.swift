import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowClassify

final class FastTextTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let lid = root + "/samples/models/lid.176.ftz"
    static let truth: JSONValue = {
        let bytes = try! BinaryReader(path: root + "/Tests/WinnowClassifyTests/Fixtures/lid176-truth.json").bytes
        return try! JSONParser.parse(String(decoding: bytes, as: UTF8.self))
    }()

    func tempPath(_ name: String) -> String {
        let dir = temporaryDirectory()
        return dir + "/" + name
    }

    func testLid176LoadsWithItsQuantizedMatricesAndPruning() throws {
        let m = try FastTextModel.load(path: Self.lid)
        XCTAssertEqual(m.args.loss, .hs)
        XCTAssertEqual(m.args.dim, 16)
        XCTAssertEqual(m.dictionary.nlabels, 176)
        XCTAssertTrue(m.quantized)
        XCTAssertGreaterThan(m.dictionary.pruneIndexSize, 0)
        XCTAssertEqual(m.labels.first, "__label__en")
    }

    /// Top-3 labels and probabilities of the official binding on real documents and edge cases.
    func testPredictionsMatchTheOfficialBinding() throws {
        let m = try FastTextModel.load(path: Self.lid)
        let cases = Self.truth["predictions"]!.arrayValue!
        XCTAssertGreaterThan(cases.count, 50)
        var checked = 0
        for c in cases {
            let text = c["text"]!.stringValue!
            let got = m.predict(text, k: 3)
            let labels = c["labels"]!.arrayValue!.map { $0.stringValue! }
            let probs = c["probs"]!.arrayValue!.map { Float($0.doubleValue!) }
            XCTAssertEqual(got.map(\.label), labels, "labels for \(text.prefix(60))")
            for (g, p) in zip(got, probs) { XCTAssertEqual(g.probability, p, accuracy: 1e-4, "probability for \(text.prefix(60))") }
            checked += 1
        }
        XCTAssertEqual(checked, cases.count)
    }

    /// Word ids and surviving (pruned) character n-gram buckets, including non-ASCII words,
    /// whose bytes fastText hashes as signed chars.
    func testSubwordIdsMatchTheOfficialBinding() throws {
        let m = try FastTextModel.load(path: Self.lid)
        let d = m.dictionary
        for c in Self.truth["subwords"]!.arrayValue! {
            let word = Array(c["word"]!.stringValue!.utf8)
            let expected = c["ids"]!.arrayValue!.map { Int32($0.intValue!) }
            var ids: [Int32] = []
            if let id = d.id(of: word) { ids = d.entries[Int(id)].subwords } else if word != FastTextDictionary.eos {
                d.computeSubwords([FastTextDictionary.bow] + word + [FastTextDictionary.eow], into: &ids)
            }
            XCTAssertEqual(ids, expected, c["word"]!.stringValue!)
        }
        // The hash itself: FNV-1a over signed chars (a byte >= 0x80 is sign-extended).
        XCTAssertEqual(FastTextDictionary.hash(Array("a".utf8)), 0xE40C292C)
        XCTAssertNotEqual(FastTextDictionary.hash([0xC3, 0xA9]), Self.unsignedFNV([0xC3, 0xA9]))
    }

    static func unsignedFNV(_ b: [UInt8]) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for x in b { h ^= UInt32(x); h = h &* 16_777_619 }
        return h
    }

    func testThresholdAndKFollowFastText() throws {
        let m = try FastTextModel.load(path: Self.lid)
        let text = "Ünïcödé çafé naïve façade"
        XCTAssertEqual(m.predict(text, k: 5).count, 5)
        let above = m.predict(text, k: 5, threshold: 0.15)
        XCTAssertEqual(above.map(\.label), ["__label__fr", "__label__tr"])
        // An empty line is the single token </s> (in the vocabulary): fastText predicts for it too.
        XCTAssertEqual(m.predict("", k: 1).map(\.label), ["__label__en"])
        XCTAssertEqual(FastTextOutput.line(m.predict("hello world this is english", k: 2), probabilities: true),
                       "__label__en 0.878464 __label__ru 0.00580963")
    }

    func testDamagedModelsAreErrorsNotCrashes() throws {
        let good = try BinaryReader(path: Self.lid).bytes
        func load(_ bytes: [UInt8]) -> String {
            let p = tempPath("m.ftz")
            let f = fopen(p, "wb")!
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
            fclose(f)
            do { _ = try FastTextModel.load(path: p); return "loaded" } catch { return "\(error)" }
        }
        XCTAssertTrue(load(Array(good.prefix(good.count / 2))).contains("file ends at byte"), load(Array(good.prefix(good.count / 2))))
        XCTAssertTrue(load(Array(good.prefix(3))).contains("file ends"))
        XCTAssertTrue(load(Array("not a model at all, just text".utf8)).contains("not a fastText model"))
        var badDim = good
        badDim[8] = 0xFF; badDim[9] = 0xFF; badDim[10] = 0xFF; badDim[11] = 0x7F  // args.dim
        XCTAssertTrue(load(badDim).contains("implausible"), load(badDim))
        var seed: UInt64 = 42
        for _ in 0..<20 {
            var b = good
            for _ in 0..<8 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                b[8 + Int(seed >> 33) % 4000] ^= UInt8(truncatingIfNeeded: seed >> 13)
            }
            _ = load(b)  // must return or throw, never trap
        }
        XCTAssertTrue(load(good + [1, 2, 3]).contains("unexpected bytes"))
    }

    /// Single-bit flips of lid.176.ftz: each mutant is a load error naming the file, or a model
    /// that predicts. The first 17 flips set bit 20 of a pruned-index row that an n-gram of the
    /// text below reaches; each used to load, pass `--dry-run`, and abort the first prediction
    /// with "Array index out of range" (quantized norms).
    func testSingleBitFlipsOfLid176AreLoadErrorsOrWorkingModels() throws {
        let good = try BinaryReader(path: Self.lid).bytes
        let text = "the quick brown fox jumps over the lazy dog while seven zebras quietly watched"
        let crashedBefore = [3297380, 3666660, 1111204, 3195172, 1796516, 1010980, 2575908, 2640996, 1326372,
                             1360612, 3457124, 3053540, 1327076, 1718628, 2901732, 2130980, 1310692]
        var rng = SplitMix64(seed: 176)
        let random = (0..<10).map { _ in Int(rng.next() % UInt64(good.count * 8)) }
        let path = tempPath("flip.ftz")
        var loaded = 0, rejected = 0
        for bit in crashedBefore + random {
            var b = good
            b[bit / 8] ^= UInt8(1 << (bit % 8))
            writeFile(b, path)
            do {
                let m = try FastTextModel.load(path: path)
                _ = m.predict(text, k: 3)
                loaded += 1
                XCTAssertFalse(crashedBefore.contains(bit), "bit \(bit): a damaged pruned index loaded")
            } catch let e as ModelError {
                rejected += 1
                XCTAssertTrue(e.description.hasPrefix(path + ": "), e.description)
                if crashedBefore.contains(bit) { XCTAssertTrue(e.message.contains("prune index"), e.description) }
            }
        }
        XCTAssertGreaterThanOrEqual(rejected, crashedBefore.count)
        XCTAssertGreaterThan(loaded, 0)  // flips in weights or words leave a usable model
    }

    /// Every single-bit flip of a small pruned, quantized model (the lid.176 layout) in a seeded
    /// sample: never a trap, and a model that loads predicts.
    func testSingleBitFlipsOfASmallQuantizedModelNeverTrap() throws {
        let good = try BinaryReader(path: Self.root + "/Fuzz/Seeds/FuzzFastText/pruned-qnorm-hs.ftz").bytes
        let path = tempPath("small.ftz")
        var rng = SplitMix64(seed: 9)
        var loaded = 0
        for _ in 0..<200 {
            let bit = Int(rng.next() % UInt64(good.count * 8))
            var b = good
            b[bit / 8] ^= UInt8(1 << (bit % 8))
            writeFile(b, path)
            guard let m = try? FastTextModel.load(path: path) else { continue }
            for t in ["hello world test", "中文 unknown words here", "__label__en x"] { _ = m.predict(t, k: 2) }
            loaded += 1
        }
        XCTAssertGreaterThan(loaded, 25)
    }

    /// Found by FuzzFastText: 0 buckets with word n-grams divided by zero at the first prediction.
    func testFuzzFindingsLoadOrFailCleanly() throws {
        let path = Self.root + "/Tests/WinnowClassifyTests/Fixtures/fuzz/bucket0-wordngrams.bin"
        if let m = try? FastTextModel.load(path: path) {
            for t in ["hello world test", "a b c d e f g h"] { _ = m.predict(t, k: 3) }
        }
    }

    func writeFile(_ bytes: [UInt8], _ path: String) {
        let f = fopen(path, "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// Trains a sentiment classifier on real reviews (characters as tokens), checks held-out
    /// precision, and that saving and loading gives the same predictions.
    func testTrainingLearnsAndSavedModelsReload() throws {
        var lines: [String] = []
        let csv = try gunzipLines(Self.root + "/../shared/data/zh-web/reviews/waimai_10k.csv.gz").dropFirst()
        for (i, row) in csv.enumerated() where i % 3 == 0 {  // a third of the corpus keeps the debug build quick
            guard let comma = row.firstIndex(of: ",") else { continue }
            let label = row[..<comma] == "1" ? "pos" : "neg"
            let chars = row[row.index(after: comma)...].filter { !$0.isWhitespace }.map(String.init).joined(separator: " ")
            if !chars.isEmpty { lines.append("__label__\(label) \(chars)") }
        }
        // A deterministic shuffle (the corpus is sorted by label).
        var rng = SplitMix64(seed: 7)
        for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let test = lines.enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
        let train = lines.enumerated().filter { $0.offset % 10 != 0 }.map(\.element)
        let trainPath = tempPath("train.txt"), testPath = tempPath("test.txt")
        try write(train.joined(separator: "\n") + "\n", to: trainPath)
        try write(test.joined(separator: "\n") + "\n", to: testPath)

        for loss in [FastTextArgs.Loss.softmax, .ova] {
            var o = FastTextTrainer.Options()
            o.args.dim = 20; o.args.epoch = 5; o.args.wordNgrams = 2; o.args.bucket = 200_000; o.args.loss = loss
            o.lr = 0.5; o.threads = 2
            let (model, report) = try FastTextTrainer.train(input: trainPath, options: o)
            XCTAssertEqual(report.labels, 2)
            let r = try model.test(path: testPath)
            XCTAssertEqual(r.examples, test.count)
            XCTAssertGreaterThan(r.precision, 0.80, "\(loss): held-out P@1 \(r.precision)")
            let path = tempPath("model.bin")
            try model.save(path: path)
            let back = try FastTextModel.load(path: path)
            XCTAssertEqual(back.args, model.args)
            for t in test.prefix(50) {
                let text = String(t.split(separator: " ", maxSplits: 1)[1])
                XCTAssertEqual(back.predict(text, k: 2), model.predict(text, k: 2))
            }
        }
    }

    func write(_ s: String, to path: String) throws {
        let f = fopen(path, "wb")!
        defer { fclose(f) }
        var t = s
        t.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, f) }
    }

    func gunzipLines(_ path: String) throws -> [String] {
        let p = popen("gzip -dc '\(path)'", "r")!
        defer { pclose(p) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, p)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Models trained by the official fastText with each loss (and one quantized with norms),
/// with the official top-2 predictions on held-out reviews (bench/parity/fasttext_loss_fixtures.py).
final class FastTextLossTests: XCTestCase {
    func testEveryLossPredictsAsTheOfficialLibrary() throws {
        let dir = FastTextTests.root + "/Tests/WinnowClassifyTests/Fixtures/models"
        let bytes = try BinaryReader(path: dir + "/truth.json").bytes
        let truth = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        let texts = truth["texts"]!.arrayValue!.map { $0.stringValue! }
        let models = truth["models"]!.objectValue!
        XCTAssertEqual(Set(models.keys), ["softmax-bigrams.bin", "hs-subwords.bin", "ns.bin", "ova.bin", "quantized-qnorm.ftz"])
        for (name, expected) in models {
            let m = try FastTextModel.load(path: dir + "/" + name)
            for (text, e) in zip(texts, expected.arrayValue!) {
                let pair = e.arrayValue!
                let labels = pair[0].arrayValue!.map { $0.stringValue! }
                let probs = pair[1].arrayValue!.map { Float($0.doubleValue!) }
                let got = m.predict(text, k: 2)
                XCTAssertEqual(got.map(\.label), labels, "\(name): \(text.prefix(30))")
                for (g, p) in zip(got, probs) { XCTAssertEqual(g.probability, p, accuracy: 1e-4, "\(name): \(text.prefix(30))") }
            }
        }
        XCTAssertEqual(try FastTextModel.load(path: dir + "/ns.bin").args.loss, .ns)
        XCTAssertTrue(try FastTextModel.load(path: dir + "/quantized-qnorm.ftz").quantized)
    }
}
