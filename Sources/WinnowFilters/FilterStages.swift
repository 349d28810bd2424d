import WinnowCore

public enum FilterStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "cjk_ratio", summary: "drop documents with a Han-character share below min (WuDao: 0.7)") { try CJKRatioFilter(&$0) })
        r.register(StageFactory(name: "chinesewebtext_filter", summary: "ChineseWebText 1.0 rules: length, line length, CJK ratio, traditional, sensitive words, 13-gram repetition") { try ChineseWebTextFilter(&$0) })
        r.register(StageFactory(name: "mapcc_filter", summary: "CT-LLM MAP-CC filter chain: unify format, URL/link removal, rules R1-R12, fastText score, duplicates rules") { try MapCCFilter(&$0) })
        r.register(StageFactory(name: "similar_line_dedup", summary: "MAP-CC: remove near-duplicate sentences inside a document (edit distance)") { try SimilarLineDedup(&$0) })
    }
}
