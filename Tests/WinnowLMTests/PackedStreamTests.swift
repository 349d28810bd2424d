import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowTokenize
@testable import WinnowLM

/// A `pack` step's output read for training (docs/PACKING.md): with `document_mask`, each piece
/// of a packed sequence is its own segment (from `NNNNN.boundaries.jsonl`), and padding (from
/// `NNNNN.mask`) never counts in the loss.
final class PackedStreamTests: XCTestCase {
    static let L = 12
    /// Rows of (document, length) pieces; the rest of a row is padding (id 0).
    static let rows: [[(Int, Int)]] = [[(0, 5), (1, 4)], [(2, 12)], [(3, 3), (4, 2), (2, 2)], [(5, 12)]]

    /// Writes the pack output `DIR/00000.{bin,idx,boundaries.jsonl,mask}`; returns the tokens per row.
    func writePack(_ dir: String, mask: Bool = true) throws -> [[UInt32]] {
        var rng = SplitMix64(seed: 5)
        let w = try TokenShardWriter(format: .megatron, path: dir + "/00000", vocabularySize: 64)
        var lines = "", maskBytes: [UInt8] = [], out: [[UInt32]] = []
        var offsets: [Int: Int] = [:]
        for row in Self.rows {
            var ids: [UInt32] = []
            var pieces: [String] = []
            for (doc, n) in row {
                pieces.append("[0,\(doc),\(offsets[doc, default: 0]),\(n)]")
                offsets[doc, default: 0] += n
                for _ in 0..<n { ids.append(UInt32(1 + rng.next() % 63)) }
            }
            let real = ids.count
            ids += [UInt32](repeating: 0, count: Self.L - real)
            try w.write(document: ids)
            lines += "{\"pieces\":[\(pieces.joined(separator: ","))],\"tokens\":\(real)}\n"
            maskBytes += [UInt8](repeating: 1, count: real) + [UInt8](repeating: 0, count: Self.L - real)
            out.append(ids)
        }
        _ = try w.finish()
        try writeFileAtomically(dir + "/00000.boundaries.jsonl", Array(lines.utf8))
        if mask { try writeFileAtomically(dir + "/00000.mask", maskBytes) }
        return out
    }

    /// Position → piece number in its row (-1 = padding).
    func pieceOf(_ row: Int) -> [Int] {
        var p: [Int] = []
        for (k, piece) in Self.rows[row].enumerated() { p += [Int](repeating: k, count: piece.1) }
        return p + [Int](repeating: -1, count: Self.L - p.count)
    }

    func testWindowsMustBeThePackedRows() throws {
        let dir = temporaryDirectory()
        _ = try writePack(dir)
        let s = try TokenStream(paths: [dir + "/00000.bin"], documentMask: true)
        XCTAssertThrowsError(try s.batch(window: 0, batch: 1, seq: Self.L - 1, vocabSize: 64)) { e in
            XCTAssertTrue("\(e)".contains("train with seq_len \(Self.L)"), "\(e)")
        }
    }

    func testSegmentsAreTheSidecarPieces() throws {
        let dir = temporaryDirectory()
        let tokens = try writePack(dir)
        let s = try TokenStream(paths: [dir + "/00000.bin"], documentMask: true)
        XCTAssertEqual(s.windowCount(seq: Self.L), 3)
        for r in 0..<3 {
            let b = try s.batch(window: r, batch: 1, seq: Self.L, vocabSize: 64)
            let seg = try XCTUnwrap(b.segments), piece = pieceOf(r)
            XCTAssertEqual(b.tokens, tokens[r].map { Int32($0) })
            for i in 0..<Self.L {
                for j in 0..<Self.L { XCTAssertEqual(seg[i] == seg[j], piece[i] == piece[j], "row \(r): positions \(i), \(j)") }
                let next = i + 1 < Self.L ? piece[i + 1] : -2   // the next row's first piece
                let counted = piece[i] >= 0 && piece[i] == next
                XCTAssertEqual(b.targets[i], counted ? Int32(tokens[r][i + 1]) : -100, "row \(r) position \(i)")
            }
        }
        // Segments of one window never repeat a neighbouring window's ids across the row edge.
        let two = try s.batch(window: 0, batch: 2, seq: Self.L, vocabSize: 64)
        XCTAssertNotEqual(two.segments![Self.L - 1], two.segments![Self.L])
    }

    /// The masked loss over packed rows equals each piece run through the model on its own
    /// (RoPE: a piece sees the same relative positions wherever it sits in its row).
    func testMaskedLossEqualsPerPieceLoss() throws {
        let dir = temporaryDirectory()
        let tokens = try writePack(dir)
        let s = try TokenStream(paths: [dir + "/00000.bin"], documentMask: true)
        let model = try Transformer(config: ModelConfig(vocabSize: 64, contextLength: 12, dModel: 16, nLayers: 2, nHeads: 4, nKVHeads: 2,
                                                        mlpHidden: 32, activation: .swiglu, norm: .rmsnorm, normEps: 1e-5,
                                                        positions: .rope, ropeTheta: 10_000, tiedEmbeddings: false, bias: false, blockRepeat: 1))
        model.params.initialize(seed: 9, effectiveLayers: 2)
        let packed = try model.forward(try s.batch(window: 0, batch: 3, seq: Self.L, vocabSize: 64))
        let packedNats = packed.crossEntropy * Double(packed.targets)
        var nats = 0.0, targets = 0
        for r in 0..<3 {
            var start = 0
            for (_, n) in Self.rows[r] {
                defer { start += n }
                guard n >= 2 else { continue }
                let piece = tokens[r][start..<(start + n)].map { Int32($0) }
                let l = try model.forward(Transformer.Batch(tokens: Array(piece.dropLast()), targets: Array(piece.dropFirst()), batch: 1, seq: n - 1))
                nats += l.crossEntropy * Double(l.targets)
                targets += l.targets
            }
        }
        XCTAssertEqual(packed.targets, targets)
        XCTAssertEqual(packed.targets, 4 + 3 + 11 + 2 + 1 + 1)
        XCTAssertEqual(packedNats, nats, accuracy: 1e-5 * nats)
    }

    /// Without `document_mask`, the pieces of a row see each other, but padding is still no
    /// target and predicts nothing.
    func testPaddingIsOutOfTheLossWithoutDocumentMask() throws {
        let dir = temporaryDirectory()
        let tokens = try writePack(dir)
        let s = try TokenStream(paths: [dir + "/00000"])
        for r in 0..<3 {
            let b = try s.batch(window: r, batch: 1, seq: Self.L, vocabSize: 64)
            XCTAssertNil(b.segments)
            let piece = pieceOf(r)
            for i in 0..<Self.L {
                let padded = piece[i] < 0 || (i + 1 < Self.L && piece[i + 1] < 0)
                XCTAssertEqual(b.targets[i], padded ? -100 : Int32(i + 1 < Self.L ? tokens[r][i + 1] : tokens[r + 1][0]), "row \(r) position \(i)")
            }
        }
        // Without the .mask file, padding is a plain token, as for any Megatron shard.
        let plain = temporaryDirectory()
        _ = try writePack(plain, mask: false)
        XCTAssertEqual(try TokenStream(paths: [plain + "/00000"]).batch(window: 0, batch: 1, seq: Self.L, vocabSize: 64).targets.filter { $0 < 0 }, [])
        // … but with document_mask the sidecar still marks it.
        let b = try TokenStream(paths: [plain + "/00000"], documentMask: true).batch(window: 0, batch: 1, seq: Self.L, vocabSize: 64)
        XCTAssertEqual(b.targets.enumerated().filter { $0.element >= 0 }.map(\.offset), [0, 1, 2, 3, 5, 6, 7])
    }

    func testInconsistentSidecarsAreErrors() throws {
        let dir = temporaryDirectory()
        _ = try writePack(dir)
        try writeFileAtomically(dir + "/00000.mask", [UInt8](repeating: 1, count: 10))
        XCTAssertThrowsError(try TokenStream(paths: [dir + "/00000"])) { XCTAssertTrue("\($0)".contains("one mask byte per token"), "\($0)") }
        let d2 = temporaryDirectory()
        _ = try writePack(d2)
        try writeFileAtomically(d2 + "/00000.boundaries.jsonl", Array("{\"pieces\":[[0,0,0,5]],\"tokens\":6}\n".utf8))
        XCTAssertThrowsError(try TokenStream(paths: [d2 + "/00000"], documentMask: true)) {
            XCTAssertTrue("\($0)".contains("00000.boundaries.jsonl:1: the pieces hold 5 tokens, the line says 6"), "\($0)")
        }
        try writeFileAtomically(d2 + "/00000.boundaries.jsonl", Array("{\"pieces\":[[0,0,0,5]],\"tokens\":5}\n".utf8))
        XCTAssertThrowsError(try TokenStream(paths: [d2 + "/00000"], documentMask: true)) { XCTAssertTrue("\($0)".contains("1 lines for 4 sequences"), "\($0)") }
        try writeFileAtomically(d2 + "/00000.boundaries.jsonl", Array(String(repeating: "{\"pieces\":[[0,0,0,13]],\"tokens\":13}\n", count: 4).utf8))
        XCTAssertThrowsError(try TokenStream(paths: [d2 + "/00000"], documentMask: true)) { XCTAssertTrue("\($0)".contains("more than the sequence's 12"), "\($0)") }
    }
}
