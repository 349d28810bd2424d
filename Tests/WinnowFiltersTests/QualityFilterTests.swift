import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowFilters

/// Gopher repetition, Gopher quality, FineWeb quality and C4 (both configurations) decide exactly as datatrove 0.10.1
/// (keep, or the same drop reason) on the 180 real documents of samples/text.
final class QualityFilterTests: XCTestCase {
    func testDecisionsEqualDatatrove() throws {
        let fixture = try DatatroveDecisions.json("datatrove-filters.json")
        let docs = try DatatroveDecisions.sampleDocuments()
        let stages: [(String, any Stage)] = [
            ("gopher_repetition", try makeStage(GopherRepetitionFilter.init)),
            ("gopher_quality", try makeStage(GopherQualityFilter.init)),
            ("fineweb_quality", try makeStage(FineWebQualityFilter.init)),
            ("c4_quality", try makeStage(C4QualityFilter.init)),
            ("c4_quality_fineweb", try makeStage(C4QualityFilter.init, [("filter_no_terminal_punct", "false")])),
        ]
        // C4 rewrites what it keeps: the same lines as datatrove keeps.
        DatatroveDecisions.check(stages, on: docs, expected: { fixture["decisions"]![$0]!.arrayValue!.map { $0.stringValue! } },
                                 texts: { fixture["c4_texts"]?[$0]?.arrayValue })
    }
}
