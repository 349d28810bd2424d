import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
import WinnowText
@testable import WinnowFilters

/// The `fineweb-2024` preset against NLTK 3.8.1 and datatrove 0.2.0 (what FineWeb ran), with a Punkt
/// model trained on samples/text (`bench/parity/nltk_fixture.py` wrote the model and what NLTK and
/// datatrove 0.2.0 compute with it): Punkt sentence spans, `word_tokenize` tokens, and the four
/// filters' decisions on the 180 sample documents and 60 constructed texts.
final class FineWeb2024PresetTests: XCTestCase {
    static let model = DatatroveDecisions.fixtures + "/punkt-mini"

    func load() throws -> (JSONValue, [String], [Document]) {
        let fixture = try DatatroveDecisions.json("nltk-2024.json")
        let docs = try DatatroveDecisions.sampleDocuments()
        let texts = docs.map(\.text) + fixture["texts"]!.arrayValue!.map { $0.stringValue! }
        return (fixture, texts, docs)
    }

    func testPunktSentencesAndNLTKWordsEqualNLTK() throws {
        let (fixture, texts, _) = try load()
        let punkt = try PunktModel.load(Self.model)
        let spans = fixture["sentence_spans"]!.arrayValue!
        XCTAssertEqual(spans.count, texts.count)
        var multi = 0
        for (t, e) in zip(texts, spans) {
            let expected = e.arrayValue!.map { p in p.arrayValue!.map { Int($0.doubleValue!) } }
            let got = punkt.sentences(Scalars.of(t), release: .nltk38).map { [$0.lowerBound, $0.upperBound] }
            XCTAssertEqual(got, expected, String(t.prefix(80)))
            if expected.count > 1 { multi += 1 }
        }
        XCTAssertGreaterThan(multi, 100)
        let tokenizer = NLTKWordTokenizer(punkt: punkt, release: .nltk38)
        let which = fixture["words_of"]!.arrayValue!.map { Int($0.doubleValue!) }
        for (i, e) in zip(which, fixture["words"]!.arrayValue!) {
            XCTAssertEqual(tokenizer.tokenize(texts[i]), e.arrayValue!.map { $0.stringValue! }, String(texts[i].prefix(80)))
        }
    }

    /// `nltk: 3.10.4`: the rules of NLTK 3.10.4 on the constructed texts (nltk-3104.json).
    func testNLTK39Rules() throws {
        let fixture = try DatatroveDecisions.json("nltk-3104.json")
        let punkt = try PunktModel.load(Self.model)
        let texts = fixture["texts"]!.arrayValue!.map { $0.stringValue! }
        let tokenizer = NLTKWordTokenizer(punkt: punkt, release: .nltk3104)
        var differs = 0
        for (k, t) in texts.enumerated() {
            let spans = fixture["sentence_spans"]!.arrayValue![k].arrayValue!.map { p in p.arrayValue!.map { Int($0.doubleValue!) } }
            XCTAssertEqual(punkt.sentences(Scalars.of(t), release: .nltk3104).map { [$0.lowerBound, $0.upperBound] }, spans)
            let words = fixture["words"]!.arrayValue![k].arrayValue!.map { $0.stringValue! }
            XCTAssertEqual(tokenizer.tokenize(t), words)
            if NLTKWordTokenizer(punkt: punkt, release: .nltk38).tokenize(t) != words { differs += 1 }
        }
        XCTAssertGreaterThan(differs, 0, "the two releases differ on some constructed texts")
    }

    func testFiltersDecideAsDatatrove020() throws {
        let (fixture, _, docs) = try load()
        let preset = [("preset", "fineweb-2024"), ("punkt", Self.model)]
        let stages: [(String, any Stage)] = [
            ("gopher_repetition", try makeStage(GopherRepetitionFilter.init, preset)),
            ("gopher_quality", try makeStage(GopherQualityFilter.init, preset)),
            ("fineweb_quality", try makeStage(FineWebQualityFilter.init, preset)),
            ("c4_quality_fineweb", try makeStage(C4QualityFilter.init, preset + [("filter_no_terminal_punct", "false")])),
        ]
        let c4Texts = fixture["c4_texts"]!.arrayValue!
        XCTAssertGreaterThan(c4Texts.filter { $0.stringValue != nil }.count, 0, "some C4 rewrites to compare")
        DatatroveDecisions.check(stages, on: docs, expected: { fixture["decisions"]![$0]!.arrayValue!.map { $0.stringValue! } },
                                 texts: { $0.hasPrefix("c4") ? c4Texts : nil })
    }

    /// The preset differs from today's datatrove where the two releases differ.
    func testPresetChangesTheRules() throws {
        let preset = [("preset", "fineweb-2024"), ("punkt", Self.model)]
        // datatrove 0.2.0 counted stop-word occurrences ("the" three times passes), today's
        // counts distinct stop words (one: dropped).
        let text = "the garden " + String(repeating: "flowers bloom brightly under warm sunshine every morning. ", count: 8) + "the end comes for the garden."
        var d1 = Document(id: "a", text: text), d2 = d1
        XCTAssertEqual(try makeStage(GopherQualityFilter.init, preset).apply(&d1), .keep)
        XCTAssertEqual(try makeStage(GopherQualityFilter.init).apply(&d2), .drop("gopher_enough_stop_words"))
        // An empty text: 0.2.0's FineWeb filter sees one empty line without punctuation.
        var e1 = Document(id: "e", text: ""), e2 = e1
        XCTAssertEqual(try makeStage(FineWebQualityFilter.init, preset).apply(&e1), .drop("line_punct_ratio"))
        XCTAssertEqual(try makeStage(FineWebQualityFilter.init).apply(&e2), .drop("empty"))
        XCTAssertThrowsError(try makeStage(GopherQualityFilter.init, [("preset", "fineweb-2024"), ("punkt", "/nonexistent")])) { e in
            XCTAssertTrue("\(e)".contains("punkt"), "\(e)")
        }
    }
}
