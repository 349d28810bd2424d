import WinnowCore
import WinnowText

/// Which datatrove a word-based filter reproduces, chosen per stage with `preset:`.
/// - `datatrove-current` (default): the PyPI datatrove of today — spaCy's English tokenizer and
///   sentencizer, and the current rules of each filter.
/// - `fineweb-2024`: datatrove 0.2.0, what FineWeb was filtered with — NLTK's `word_tokenize` and
///   Punkt `sent_tokenize`, and that release's rules (SPECS §1.5–1.8: `splitlines` lines, stop-word
///   occurrences, FineWeb's `≤`/`≥` comparisons with empty lines counted). Needs NLTK's punkt_tab
///   English model (`punkt: DIR`, else where NLTK looks for it). `nltk: 3.8.1` (default, the NLTK
///   FineWeb ran) or `nltk: 3.9` (the rules of NLTK 3.9 and later).
struct FilterPreset {
    let fineweb2024: Bool
    let spacy: EnglishTokenizer?
    let nltk: NLTKWordTokenizer?

    init(_ p: inout StageParameters) throws(ConfigError) {
        fineweb2024 = try p.choice("preset", ["datatrove-current", "fineweb-2024"], default: "datatrove-current") == "fineweb-2024"
        let explicit = try p.string("punkt")
        let release = NLTKRelease(rawValue: try p.choice("nltk", NLTKRelease.allCases.map(\.rawValue), default: NLTKRelease.nltk38.rawValue))!
        if fineweb2024 {
            do {
                nltk = NLTKWordTokenizer(punkt: try PunktModel.load(try PunktModel.locate(explicit: explicit)), release: release)
            } catch {
                throw p.error(explicit == nil ? "preset" : "punkt", "\(error)")
            }
            spacy = nil
        } else {
            nltk = nil
            spacy = EnglishTokenizer()
        }
    }

    /// The words of `text`. With spaCy they are spans of the text's own code points
    /// (`words.scalars` is the text); NLTK's are rewritten tokens in a buffer of their own.
    func words(_ text: String) -> EnglishTokenizer.Words {
        if let nltk { return nltk.words(text) }
        return spacy!.words(text)
    }

    /// Sentences of one C4 line.
    func sentenceCount(_ line: [UInt32]) -> Int {
        if let nltk { return nltk.punkt.sentenceCount(line, release: nltk.release) }
        return spacy!.sentenceCount(scalars: line)
    }
}
