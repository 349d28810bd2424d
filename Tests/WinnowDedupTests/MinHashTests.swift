import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowText
import WinnowIO
@testable import WinnowDedup

final class MinHashTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let fixture: JSONValue = try! TestFiles.json(TestPaths.fixtures("WinnowDedupTests") + "/datatrove-minhash.json")

    func testPermutationsAreNumpysRandomState() {
        let h = MinHasher(bands: 14, rows: 8, bits: 64, seed: 1)
        let a = Self.fixture["a"]!.arrayValue!.map { UInt64($0.stringValueOrNumber)! }
        let b = Self.fixture["b"]!.arrayValue!.map { UInt64($0.stringValueOrNumber)! }
        XCTAssertEqual(Array(h.a.prefix(5)) + [h.a.last!], a)
        XCTAssertEqual(Array(h.b.prefix(5)) + [h.b.last!], b)
    }

    /// MAP-CC's MinHash: datasketch's legacy `MinHash(num_perm=128, seed=1)` over the raw
    /// character 13-grams (pairwise permutations, values masked to 32 bits before the minimum).
    func testRawCharacterSignaturesEqualDatasketch() throws {
        let fixture = try TestFiles.json(Self.root + "/Tests/WinnowDedupTests/Fixtures/datasketch-minhash.json")
        let hasher = MinHasher(bands: 9, rows: 13, bits: 32, seed: 1, permutations: .datasketch)
        XCTAssertEqual(Array(hasher.a.prefix(3)), fixture["a"]!.arrayValue!.map { UInt64($0.stringValueOrNumber)! })
        XCTAssertEqual(Array(hasher.b.prefix(3)), fixture["b"]!.arrayValue!.map { UInt64($0.stringValueOrNumber)! })
        let sh = Shingler(unit: .rawChars, n: 13, hash: .sha1, bits: 32)
        var shingles: [UInt64] = [], sig: [UInt64] = []
        var signed = 0
        for d in fixture["docs"]!.arrayValue! {
            let text = d["text"]!.stringValue!
            sh.shingles(text, into: &shingles)
            let has = shingles.withUnsafeBufferPointer { hasher.signature($0, into: &sig) }
            if let expected = d["signature"]!.arrayValue {
                XCTAssertTrue(has)
                XCTAssertEqual(sig, expected.map { UInt64($0.stringValueOrNumber)! }, String(text.prefix(40)))
                signed += 1
            } else {
                XCTAssertFalse(has)
            }
        }
        XCTAssertGreaterThan(signed, 25)
        // The datatrove draw order gives other permutations.
        XCTAssertNotEqual(MinHasher(bands: 9, rows: 13, bits: 32, seed: 1).b.prefix(3), hasher.b.prefix(3))
    }

    /// FineWeb's own MinHash shingles: datatrove 0.2.0's simplify_text and NLTK 3.8.1's
    /// word_tokenize (with the small Punkt model of the filter tests), on 40 sample documents;
    /// signatures from datatrove 0.2.0 (`bench/parity/nltk_fixture.py`).
    func testFineWeb2024WordShinglesEqualDatatrove020() throws {
        let fixtures = Self.root + "/Tests/WinnowFiltersTests/Fixtures"
        let fixture = try TestFiles.json(fixtures + "/nltk-2024.json")
        let jsonl = try JSONLReader(path: Self.root + "/samples/text/web-sample.jsonl.gz")
        var reader: [String] = []
        while let d = try jsonl.next() { reader.append(d.text) }
        let nltk = NLTKWordTokenizer(punkt: try PunktModel.load(fixtures + "/punkt-mini"), release: .nltk38)
        let sh = Shingler(unit: .words, n: 5, hash: .sha1, bits: 64, fineweb2024: nltk)
        let hasher = MinHasher(bands: 14, rows: 8, bits: 64, seed: 1)
        var shingles: [UInt64] = [], sig: [UInt64] = []
        var compared = 0
        for (k, e) in zip(fixture["minhash_of"]!.arrayValue!.map { Int($0.doubleValue!) }, fixture["minhash"]!.arrayValue!) {
            sh.shingles(reader[k], into: &shingles)
            let has = shingles.withUnsafeBufferPointer { hasher.signature($0, into: &sig) }
            if let expected = e.arrayValue {
                XCTAssertTrue(has)
                XCTAssertEqual(sig, expected.map { UInt64($0.stringValue!)! }, String(reader[k].prefix(40)))
                compared += 1
            } else {
                XCTAssertFalse(has)
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    func testHashes() {
        func x64(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { XXHash.hash64($0) } }
        func x32(_ s: String) -> UInt32 { Array(s.utf8).withUnsafeBytes { XXHash.hash32($0) } }
        XCTAssertEqual(x64("abc"), 4_952_883_123_889_572_249)
        XCTAssertEqual(x64("hello world, this is a longer string of more than 32 bytes"), 11_387_383_852_162_374_837)
        XCTAssertEqual(x32("abc"), 852_579_327)
        XCTAssertEqual(x32("hello world, this is"), 2_690_957_586)
        XCTAssertEqual(Array("a b c d e".utf8).withUnsafeBytes { ShingleHash.sha1.hash($0, bits: 64) }, 1_214_900_226_509_477_255)
    }

    /// simplify_text, the English tokenizer and signatures equal datatrove's on real documents
    /// (Chinese, English, Japanese web pages) and edge cases.
    func testSimplifiedTextTokensAndSignaturesEqualDatatrove() {
        let sh = Shingler(unit: .words, n: 5, hash: .sha1, bits: 64)
        let hasher = MinHasher(bands: 14, rows: 8, bits: 64, seed: 1)
        let simplifier = TextSimplifier()
        var shingles: [UInt64] = []
        var sig: [UInt64] = []
        let docs = Self.fixture["docs"]!.arrayValue!
        XCTAssertGreaterThan(docs.count, 60)
        for d in docs {
            let text = d["text"]!.stringValue!
            var bytes: [UInt8] = []
            var t = text
            t.withUTF8 { simplifier.simplify(utf8: $0, into: &bytes) }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), d["simplified"]!.stringValue!, String(text.prefix(40)))
            XCTAssertEqual(simplifier.simplify(text), d["simplified"]!.stringValue!, "String path: \(text.prefix(40))")
            XCTAssertEqual(sh.tokens(text), d["tokens"]!.arrayValue!.map { $0.stringValue! }, String(text.prefix(40)))
            sh.shingles(text, into: &shingles)
            let has = shingles.withUnsafeBufferPointer { hasher.signature($0, into: &sig) }
            if let expected = d["signature"]!.arrayValue {
                XCTAssertTrue(has)
                XCTAssertEqual(sig, expected.map { UInt64($0.stringValueOrNumber)! }, String(text.prefix(40)))
            } else {
                XCTAssertFalse(has, "no signature for fewer than 5 tokens: \(text.prefix(40))")
            }
        }
    }

    func testCJKShinglesAreCharacters() {
        let cjk = Shingler(unit: .cjk, n: 5)
        XCTAssertEqual(cjk.tokens("日本語のテキスト abc 東京"), ["日", "本", "語", "の", "テ", "キ", "ス", "ト", "abc", "東", "京"])
        var out: [UInt64] = []
        cjk.shingles("今天天气很好我们去公园散步吧", into: &out)
        XCTAssertEqual(out.count, 14 - 4)
        Shingler(unit: .words, n: 5).shingles("今天天气很好我们去公园散步吧", into: &out)
        XCTAssertTrue(out.isEmpty, "as one 'word' a Chinese sentence has no 5-gram: why cjk is the default")
    }

    /// Candidate probability for pairs of real shingle sets edited to a given Jaccard similarity
    /// follows 1 − (1 − s^r)^b within 3 points.
    func testBandingFollowsTheSCurve() {
        let bands = 14, rows = 8
        let hasher = MinHasher(bands: bands, rows: rows, bits: 64, seed: 1)
        let sh = Shingler(unit: .cjk, n: 5)
        // Real documents' shingle sets as the base sets.
        var bases: [[UInt64]] = []
        var out: [UInt64] = []
        for d in Self.fixture["docs"]!.arrayValue! {
            sh.shingles(d["text"]!.stringValue!, into: &out)
            let set = Array(Set(out))
            if set.count >= 200 { bases.append(Array(set.prefix(200))) }
        }
        XCTAssertGreaterThan(bases.count, 20)
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return rng ^ (rng >> 29) }
        var sigA: [UInt64] = [], sigB: [UInt64] = []
        for target in [0.6, 0.7, 0.8, 0.9] {
            // |A| = |B| = N sharing N - k elements: J = (N - k) / (N + k).
            let n = 200
            let k = Int((Double(n) * (1 - target) / (1 + target)).rounded())
            let exact = Double(n - k) / Double(n + k)
            var hits = 0
            let trials = 3000
            for t in 0..<trials {
                let a = bases[t % bases.count].map { $0 ^ next() }  // a fresh set of the same size and shape
                var b = a
                for i in 0..<k { b[(i * 7 + t) % n] = next() }
                _ = a.withUnsafeBufferPointer { hasher.signature($0, into: &sigA) }
                _ = b.withUnsafeBufferPointer { hasher.signature($0, into: &sigB) }
                if (0..<bands).contains(where: { band in sigA[(band * rows)..<((band + 1) * rows)] == sigB[(band * rows)..<((band + 1) * rows)] }) { hits += 1 }
            }
            let measured = Double(hits) / Double(trials)
            let theory = 1 - pow(1 - pow(exact, Double(rows)), Double(bands))
            XCTAssertEqual(measured, theory, accuracy: 0.03, "Jaccard \(exact): measured \(measured), S-curve \(theory)")
        }
    }
}

extension JSONValue {
    /// A number's literal (big integers stay exact) or a string.
    var stringValueOrNumber: String {
        switch self {
        case .number(let s): return s
        case .string(let s): return s
        default: return ""
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
