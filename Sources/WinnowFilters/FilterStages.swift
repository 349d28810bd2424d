import WinnowCore

public enum FilterStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "gopher_quality", summary: "Gopher quality rules (datatrove's GopherQualityFilter: word count and length, symbols, bullets, ellipses, alpha words, stop words)") { try GopherQualityFilter(&$0) })
        r.register(StageFactory(name: "gopher_repetition", summary: "Gopher repetition rules (datatrove's GopherRepetitionFilter: duplicate lines/paragraphs, top and duplicated n-grams)") { try GopherRepetitionFilter(&$0) })
        r.register(StageFactory(name: "c4_quality", summary: "C4 rules (datatrove's C4QualityFilter: terminal punctuation, short lines, javascript, policy lines, lorem ipsum, curly brackets, 5 sentences; rewrites the text)") { try C4QualityFilter(&$0) })
        r.register(StageFactory(name: "url_filter", summary: "datatrove's URL filter: domain/URL block lists, banned words and subwords in the URL (lists in configs/url_filter)") { try URLFilterStage(&$0) })
        r.register(StageFactory(name: "pii", summary: "replace email addresses and public IPv4 addresses with placeholders (datatrove's PIIFormatter)") { try PIIFormatter(&$0) })
        r.register(StageFactory(name: "fineweb_quality", summary: "FineWeb quality rules (datatrove's FineWebQualityFilter: line punctuation, short lines, duplicated line chars, list ratio)") { try FineWebQualityFilter(&$0) })
        r.register(StageFactory(name: "cjk_ratio", summary: "drop documents with a Han-character share below min (WuDao: 0.7)") { try CJKRatioFilter(&$0) })
        r.register(StageFactory(name: "chinesewebtext_filter", summary: "ChineseWebText 1.0 rules: length, line length, CJK ratio, traditional, sensitive words, 13-gram repetition") { try ChineseWebTextFilter(&$0) })
        r.register(StageFactory(name: "mapcc_filter", summary: "CT-LLM MAP-CC filter chain: unify format, URL/link removal, rules R1-R12, fastText score, duplicates rules") { try MapCCFilter(&$0) })
    }
}
