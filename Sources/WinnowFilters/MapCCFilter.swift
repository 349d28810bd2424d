import WinnowClassify
import WinnowCore
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// CT-LLM's MAP-CC filter chain (`filter/filter.py`, SPECS §2.1), in its order, first failure
/// drops the document: A `unify_format` (【…】 share on the NFKC text > 0.1; then MAP-CC's 34
/// full-width symbols → ASCII, which replaces the text); B URL block list (entries that are
/// prefixes of the URL without scheme, or the earlier release's host match: `URLBlocklist`;
/// optional file; a document with no string URL is dropped first, as CT-LLM's `url_filter`
/// raises on it, unless `missing_url: keep`) and link removal inside the text (replaces the text); C rules
/// R1–R12; D fastText top-1 score < 0.4 (label not checked, as released); E `duplicates_rules`,
/// a no-op as released (`duplicates: as_released`) or what the code intends (`intended`).
///
/// R3's words are jieba's (`jieba: DIR`, the installed jieba package: the same tokens as
/// `jieba.lcut`), or, with no jieba at hand, ICU's dictionary word segmentation, which agrees
/// on R3's decision for most pages (`bench/chinese/report.py` measures how often).
public final class MapCCFilter: Stage {
    public let name = "mapcc_filter"
    let urlBlocklist: URLBlocklist
    /// Drop a document with no string `url` (metadata or top level), as CT-LLM does (its
    /// `url_filter` reads `line['url'].strip()`, which raises, and the driver drops the line).
    let dropMissingURL: Bool
    let model: FastTextModel?
    let minScore: Float
    let intendedDuplicates: Bool
    private let scratch: FastTextModel.Scratch?
    private var words: WordStats

    public init(_ p: inout StageParameters) throws {
        let match = URLBlocklist.Match(rawValue: try p.choice("url_blocklist_match", URLBlocklist.Match.allCases.map(\.rawValue), default: "prefix"))!
        if let path = try p.string("url_blocklist") {
            // The list must be UTF-8 text without NUL bytes, and not empty unless allowed.
            do {
                let bytes = try ListFile.bytes(path, allowEmpty: try p.bool("allow_empty", default: false))
                urlBlocklist = URLBlocklist(text: String(decoding: bytes, as: UTF8.self), match: match)
            } catch { throw p.error("url_blocklist", "\(error)") }
        } else {
            urlBlocklist = URLBlocklist(entries: [], match: .prefix)
        }
        dropMissingURL = try p.choice("missing_url", ["drop", "keep"], default: "drop") == "drop"
        let modelPath = try p.string("model", default: "samples/models/lid.176.ftz")
        if modelPath == "none" {
            model = nil
        } else {
            do { model = try FastTextModelCache.shared.model(at: modelPath) } catch { throw p.error("model", "\(error)") }
        }
        scratch = model?.makeScratch()
        minScore = Float(try p.double("min_fasttext_score", default: 0.4))
        intendedDuplicates = try p.choice("duplicates", ["as_released", "intended"], default: "as_released") == "intended"
        if let dir = try p.string("jieba") {
            do { words = .jieba(JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: dir))) } catch { throw p.error("jieba", "\(error)") }
        } else {
            words = .icu
        }
        ICUText.prepare(nfkc: true)
    }

    /// How R3 counts words.
    enum WordStats {
        case icu
        case jieba(JiebaSegmenter)

        var isJieba: Bool { if case .jieba = self { return true } else { return false } }

        mutating func callAsFunction(_ s: ArraySlice<UInt32>) -> (words: Int, chars: Int) {
            switch self {
            case .icu: return ICUText.wordStats(Array(s))
            case .jieba(var segmenter):
                self = .icu  // keeps the segmenter's scratch uniquely referenced while it works
                let r = s.withUnsafeBufferPointer { segmenter.wordStats($0) }
                self = .jieba(segmenter)
                return r
            }
        }
    }

    /// Per-character counts for R11/R12 and E, reused across documents (reset after use).
    private var counts = CharCounts()
    /// The line fastText reads (the text without its newlines), reused across documents.
    private var line = LineBuffer()

    public func apply(_ doc: inout Document) -> Verdict {
        // A.2 (full-width symbols on the original text, on bytes), which also tells whether the
        // text holds 【 or U+FE3B (whose NFKC is 【): only then can A.1 find a span.
        var opensBracket = false
        var changed = doc.text.withUTF8 { ChineseText.halfWidth(utf8: $0, sawLenticularBracket: &opensBracket) }
        // A.1: share of 【…】 spans in the NFKC text.
        if opensBracket {
            let nfkc0 = ICUText.nfkc(scalars: Scalars.of(doc.text), of: doc.text)
            if Double(Self.bracketSpanLength(nfkc0)) / Double(max(1, nfkc0.count)) > 0.1 { return .drop("mapcc_brackets") }
        }
        // B.1: the document's URL (metadata.url, else a top-level `url`, which is where CT-LLM
        // reads it and where CCNet-style lines read without `url_key` keep it), then the block list.
        let url = (doc.metadata["url"] ?? doc.extra["url"])?.stringValue
        if url == nil && dropMissingURL { return .drop("mapcc_no_url") }
        if !urlBlocklist.isEmpty, let url, urlBlocklist.blocks(url) { return .drop("mapcc_url_blocklist") }
        // B.2: links removed; the text is rebuilt once if A.2 or B.2 changed it.
        let found = changed.map { $0.withUnsafeBufferPointer(LinkRemover.candidates) } ?? doc.text.withUTF8(LinkRemover.candidates)
        if !found.isEmpty, let removed = LinkRemover.remove(utf8: changed ?? Array(doc.text.utf8), found) { changed = removed }
        let s: [UInt32]
        if let changed {
            doc.text = String(decoding: changed, as: UTF8.self)
            s = changed.withUnsafeBufferPointer(Scalars.decode)
        } else {
            s = Scalars.of(doc.text)
        }
        let text = doc.text
        if let reason = Self.rules(text, s, &counts, &words) { return .drop(reason) }
        if let model, let scratch {
            line.fill(text, newlines: .remove)
            let score = line.bytes.withUnsafeBufferPointer { model.predict(utf8: $0, k: 1, threshold: 0, scratch: scratch) }.first?.probability ?? 0
            if score < minScore { return .drop("mapcc_fasttext_score") }
        }
        if intendedDuplicates, let reason = Self.duplicates(s, &counts) { return .drop(reason) }
        return .keep
    }

    /// Characters inside non-greedy 【(.*?)】 spans: what the group captures, not the brackets
    /// (`.` does not cross a newline, so a 【 with no 】 before the next newline opens nothing).
    static func bracketSpanLength(_ s: [UInt32]) -> Int {
        var total = 0
        var open = -1
        for (i, c) in s.enumerated() {
            if c == 0x3010 && open < 0 { open = i }
            else if c == 0x0A { open = -1 }
            else if c == 0x3011 && open >= 0 { total += i - open - 1; open = -1 }
        }
        return total
    }

    /// Python's `\w` (str.isalnum() or underscore) and `str.isspace()`.
    @inline(__always) static func isWordOrSpace(_ c: UInt32) -> Bool { CharClass.of(c) & (CharClass.word | CharClass.space) != 0 }
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool { CharClass.of(c) & CharClass.space != 0 }
    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.space != 0 }

    /// ASCII `string.punctuation` and `…`.
    @inline(__always) static func isPunctuation(_ c: UInt32) -> Bool {
        (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E) || c == 0x2026
    }
    /// R9's bullets: • ● ○ ■ □ ▪ ▫ ※ · ➢ and U+2022, U+2023, U+25B6, U+25C0, U+25E6, U+25A0, U+25A1, U+25AA, U+25AB, U+2013.
    @inline(__always) static func isBullet(_ c: UInt32) -> Bool {
        switch c {
        case 0x2022, 0x25CF, 0x25CB, 0x25A0, 0x25A1, 0x25AA, 0x25AB, 0x203B, 0xB7, 0x27A2, 0x2023, 0x25B6, 0x25C0, 0x25E6, 0x2013: return true
        default: return false
        }
    }
    /// Python's line boundaries (`str.splitlines`): \n \v \f \r, U+001C–U+001E, U+0085, U+2028, U+2029.
    @inline(__always) static func isLineBreak(_ c: UInt32) -> Bool {
        c <= 0x2029 && (c <= 0x85 ? (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) || c == 0x85 : c >= 0x2028)
    }
    /// R7: characters `str.isdigit()` counts that are not decimal digits (Numeric_Type=Digit:
    /// superscripts, circled and dingbat digits such as ❶, Ethiopic and Kharoshthi digits…);
    /// those that NFKC leaves as they are matter, since R7 reads the NFKC text.
    @inline(__always) static func isOtherDigit(_ c: UInt32) -> Bool {
        guard c >= 0xB2 && (c <= 0x2792 || c >= 0x10A40) else { return false }
        switch c {
        case 0xB2, 0xB3, 0xB9, 0x1369...0x1371, 0x19DA, 0x2070, 0x2074...0x2079, 0x2080...0x2089, 0x2460...0x2468, 0x2474...0x247C,
             0x2488...0x2490, 0x24EA, 0x24F5...0x24FD, 0x24FF, 0x2776...0x277E, 0x2780...0x2788, 0x278A...0x2792,
             0x10A40...0x10A43, 0x10E60...0x10E68, 0x11052...0x1105A, 0x1F100...0x1F10A: return true
        default: return false
        }
    }
    /// R1's sentence breaks: . ! … ? ; "
    @inline(__always) static func isSentenceBreak(_ c: UInt32) -> Bool {
        c == 0x2E || c == 0x21 || c == 0x2026 || c == 0x3F || c == 0x3B || c == 0x22
    }
    static let readMoreSuffixes: [[UInt32]] = ["readmore", "展开", "更多", "。。。"].map { $0.unicodeScalars.map(\.value) }

    /// C: rules R1–R12 on the link-free text; the first failing rule's reason.
    static func rules(_ text: String) -> String? {
        var counts = CharCounts()
        var words = WordStats.icu
        return rules(text, Scalars.of(text), &counts, &words)
    }

    /// C on the text and its code points `s`. Each text is read twice (the link-free text, then
    /// its NFKC) gathering what every rule needs; the rules are then checked in their order.
    static func rules(_ text: String, _ s: [UInt32], _ counts: inout CharCounts, _ words: inout WordStats) -> String? {
        let cc = CharClass.local
        let space = CharClass.space, wordOrSpace = CharClass.word | CharClass.space, decimal = CharClass.decimal
        // R1: non-empty segments between runs of . ! … ? ; "; R4: runs of #; R5: runs of … and
        // runs of two or more dots.
        var segments = 0, inSegment = false
        var hashRuns = 0, ell = 0, prev: UInt32 = 0, dotRun = 0
        for c in s {
            // Past U+3000 (the last whitespace) no character is any of these: the common case.
            if c > 0x3000 { inSegment = true; dotRun = 0; prev = c; continue }
            if isSentenceBreak(c) { if inSegment { segments += 1 }; inSegment = false } else if cc.of(c) & space == 0 { inSegment = true }
            if c == 0x23 && prev != 0x23 { hashRuns += 1 }
            if c == 0x2026 && prev != 0x2026 { ell += 1 }
            if c == 0x2E { dotRun += 1; if dotRun == 2 { ell += 1 } } else { dotRun = 0 }
            prev = c
        }
        if inSegment { segments += 1 }
        if segments <= 1 { return "mapcc_sentences" }
        let n = ICUText.nfkc(scalars: s, of: text)
        // R2: 50 ≤ NFKC length ≤ 10 000.
        if n.count < 50 || n.count > 10_000 { return "mapcc_length" }
        // On the NFKC text: its word and space characters (R3, R7) and their digits (R7), lines
        // ending in a "read more" (R8) or starting with a bullet (R9), any punctuation (R10),
        // and the count of every character (R11, R12).
        return counts.tallying { tally -> String? in
            var digits = 0, lines = 0, readMore = 0, bulleted = 0, punctuation = false, keptWords = 0
            let kept = n.withUnsafeBufferPointer { n in
                [UInt32](unsafeUninitializedCapacity: n.count) { kept, keptCount in
                    var k = 0
                    var lineStart = 0
                    // Lines as Python's splitlines(): \r\n is one break, and a final break makes
                    // no empty line (i == n.count ends the last line only if it has characters).
                    for i in 0...n.count {
                        if i == n.count ? lineStart < n.count : isLineBreak(n[i]) && !(n[i] == 0x0A && i > 0 && n[i - 1] == 0x0D) {
                            lines += 1
                            let line = UnsafeBufferPointer(rebasing: n[lineStart..<i])
                            if endsWithReadMore(line) { readMore += 1 }
                            if let f = line.first, isBullet(f) { bulleted += 1 }
                        }
                        if i == n.count { break }
                        let c = n[i]
                        if isLineBreak(c) { lineStart = i + 1 }
                        tally.add(c)
                        let cls = cc.of(c)
                        if cls & wordOrSpace != 0 {
                            kept[k] = c; k += 1
                            if cls & decimal != 0 || isOtherDigit(c) { digits += 1 }
                            if cls & space == 0 { keptWords += 1 }
                        }
                        if c < 0x2027 && !punctuation && isPunctuation(c) { punctuation = true }  // `_` is both
                    }
                    keptCount = k
                }
            }
            // R3: mean word length of the NFKC text without [^\w\s], in [1.3, 10].
            if !meanWordLengthInRange(kept, stats: &words, wordCharacters: keptWords) { return "mapcc_word_length" }
            let len = Double(s.count)
            if Double(hashRuns) / len > 0.1 { return "mapcc_hashtags" }
            if Double(ell) / len > 0.1 { return "mapcc_ellipsis" }
            // R7: digits among word and space characters of the NFKC text.
            if !kept.isEmpty && Double(digits) / Double(kept.count) > 0.3 { return "mapcc_digits" }
            if lines > 0 && Double(readMore) / Double(lines) > 0.3 { return "mapcc_read_more" }
            if lines > 0 && Double(bulleted) / Double(lines) > 0.9 { return "mapcc_bullets" }
            // R10: some ASCII punctuation (or …) at all.
            if !punctuation { return "mapcc_no_punctuation" }
            // R11: distinct characters over characters > 0.1; R12: unigram entropy (natural log) ≥ 3.
            if Double(tally.distinctCount) / Double(n.count) <= 0.1 { return "mapcc_unique_chars" }
            if tally.entropy() < 3 { return "mapcc_entropy" }
            return nil
        }
    }

    /// R8's line endings: `readmore`, `展开`, `更多`, `。。。`.
    @inline(__always) static func endsWithReadMore(_ line: UnsafeBufferPointer<UInt32>) -> Bool {
        guard let last = line.last, last == 0x65 || last == 0x5F00 || last == 0x591A || last == 0x3002 else { return false }
        return readMoreSuffixes.contains { line.count >= $0.count && line.suffix($0.count).elementsEqual($0) }
    }

    /// R3: whether the mean length of the words in `kept` (word characters and whitespace) is
    /// in [1.3, 10]. Segmentation goes a block at a time — for ICU whole lines (it always breaks
    /// at a newline), for jieba up to any whitespace — so the words are those of the whole text,
    /// and stops as soon as the rest of the text cannot
    /// change the answer: with W words of C characters so far and R word characters left, the
    /// final mean lies between min(C / W, (C + R) / (W + R)) (the rest single characters) and
    /// max(C / W, (C + R) / (W + 1)) (the rest one long word).
    static func meanWordLengthInRange(_ kept: [UInt32], low: Double = 1.3, high: Double = 10, block: Int = 256) -> Bool {
        var icu = WordStats.icu
        return meanWordLengthInRange(kept, low: low, high: high, block: block, stats: &icu)
    }

    static func meanWordLengthInRange(_ kept: [UInt32], low: Double = 1.3, high: Double = 10, block: Int = 256, stats: inout WordStats,
                                      wordCharacters: Int? = nil) -> Bool {
        let cc = CharClass.local, space = CharClass.space
        var left = 0
        if let wordCharacters { left = wordCharacters } else { for c in kept where cc.of(c) & space == 0 { left += 1 } }
        var words = 0, chars = 0
        var start = 0
        // jieba's words never cross a character outside its dictionary runs (whitespace, in
        // practice), so its blocks may end at any of them, and be smaller; ICU's at newlines.
        let jieba = stats.isJieba
        let block = jieba ? min(block, 64) : block
        while start < kept.count {
            var end = min(kept.count, start + block)
            while end < kept.count && (jieba ? JiebaSegmenter.inDictionaryRun(kept[end - 1]) : kept[end - 1] != 0x0A) { end += 1 }
            let piece = kept[start..<end]
            let (w, c) = stats(piece)
            // jieba's words hold every character but whitespace; ICU's need counting.
            if jieba { left -= c } else { for c in piece where cc.of(c) & space == 0 { left -= 1 } }
            words += w; chars += c
            start = end
            if start < kept.count && words > 0 {
                let lowest = min(Double(chars) / Double(words), Double(chars + left) / Double(words + left))
                let highest = max(Double(chars) / Double(words), Double(chars + left) / Double(words + 1))
                if lowest >= low && highest <= high { return true }
                if highest < low || lowest > high { return false }
            }
        }
        guard words > 0 else { return false }
        let mean = Double(chars) / Double(words)
        return mean >= low && mean <= high
    }

    /// E as intended: top 2/3/4-gram coverage and repeated 5–10-gram character coverage.
    static func duplicates(_ s: [UInt32], _ counts: inout CharCounts) -> String? {
        let len = Double(s.count)
        guard len > 0 else { return nil }
        var grams = NGramCounter()
        return s.withUnsafeBufferPointer { p -> String? in
            for (n, limit) in [(2, 0.20), (3, 0.18), (4, 0.16)] where s.count >= n {
                grams.count(p, n: n, positions: s.count - n + 1)
                let top = Int(grams.counts.max() ?? 0)
                if Double((top - 1) * n) / len > limit { return "mapcc_top_\(n)gram" }
            }
            for n in 5...10 where s.count >= n {
                grams.count(p, n: n, positions: s.count - n + 1)
                var chars: [UInt32] = []
                for (k, v) in grams.counts.enumerated() where v > 1 { chars.append(contentsOf: p[Int(grams.first[k])..<(Int(grams.first[k]) + n)]) }
                if Double(counts.distinct(chars)) / len > 0.60 { return "mapcc_dup_\(n)gram" }
            }
            return nil
        }
    }
}
