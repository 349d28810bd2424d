import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowLM

final class SafetensorsTests: XCTestCase {
    func testRoundTripWithMetadataAndAtomicWrite() throws {
        var w = SafetensorsWriter()
        w.metadata = ["format": "pt"]
        w.add("a", shape: [2, 3], floats: [1, 2, 3, 4, 5, -6.5])
        w.add("n", shape: [2], ints: [7, -1])
        let dir = temporaryDirectory()
        try w.write(to: dir + "/x.safetensors")
        let f = try SafetensorsFile(path: dir + "/x.safetensors")
        XCTAssertEqual(f.metadata["format"], "pt")
        XCTAssertEqual(try f.floats("a"), [1, 2, 3, 4, 5, -6.5])
        XCTAssertEqual(f.entry("a")?.shape, [2, 3])
        XCTAssertEqual(try f.ints("n"), [7, -1])
        XCTAssertNil(readFileBytes(dir + "/x.safetensors.tmp-\(getpid())"))
    }

    func testHalfAndBFloat16AreWidened() throws {
        // 1.0, -2.0, 0.5 in F16 and BF16.
        let header = #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[6,12]}}"#
        var bytes = le64(header.utf8.count) + Array(header.utf8)
        bytes += [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38]
        bytes += [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F]
        let f = try SafetensorsFile(bytes: bytes, path: "mem")
        XCTAssertEqual(try f.floats("h"), [1, -2, 0.5])
        XCTAssertEqual(try f.floats("b"), [1, -2, 0.5])
    }

    func le64(_ n: Int) -> [UInt8] { (0..<8).map { UInt8((UInt64(n) >> (8 * UInt64($0))) & 0xFF) } }

    func expectError(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsFile(bytes: bytes, path: "bad.safetensors"), file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(fragment), "\(e)", file: file, line: line)
        }
    }

    func testCorruptFilesAreNamedErrors() throws {
        var w = SafetensorsWriter()
        w.add("a", shape: [4], floats: [1, 2, 3, 4])
        let good = w.serialized()
        expectError(Array(good.prefix(5)), "truncated")
        expectError(Array(good.dropLast(4)), "outside")
        expectError(le64(1 << 40) + [0], "runs past the end")
        let junk = "{not json"
        expectError(le64(junk.utf8.count) + Array(junk.utf8), "not valid JSON")
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectError(le64(overlap.utf8.count) + Array(overlap.utf8) + [UInt8](repeating: 0, count: 12), "overlap")
        let shape = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        expectError(le64(shape.utf8.count) + Array(shape.utf8) + [UInt8](repeating: 0, count: 8), "needs 12 bytes")
        let dtype = #"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#
        expectError(le64(dtype.utf8.count) + Array(dtype.utf8) + [0], "unsupported dtype Q4")
    }

    func testLoadingParametersChecksNamesShapesAndValues() throws {
        let model = try Transformer(config: ModelConfig(vocabSize: 8, contextLength: 4, dModel: 4, nLayers: 1, nHeads: 1, nKVHeads: 1,
                                                        mlpHidden: 4, activation: .relu, norm: .rmsnorm, normEps: 1e-5,
                                                        positions: .none, ropeTheta: 1e4, tiedEmbeddings: true, bias: false, blockRepeat: 1))
        var w = SafetensorsWriter()
        model.params.addValues(to: &w)
        XCTAssertNoThrow(try model.params.load(try SafetensorsFile(bytes: w.serialized(), path: "ok")))
        var bad = SafetensorsWriter()
        for p in model.params.infos {
            let shape = p.name == "embed.weight" ? [4, 8] : p.shape
            bad.add(p.name, shape: shape, floats: model.params.value(p.name))
        }
        XCTAssertThrowsError(try model.params.load(try SafetensorsFile(bytes: bad.serialized(), path: "bad"))) { e in
            XCTAssertTrue("\(e)".contains("embed.weight': shape [4, 8] in the file, the model needs [8, 4]"), "\(e)")
        }
        var nan = SafetensorsWriter()
        for p in model.params.infos { nan.add(p.name, shape: p.shape, floats: p.name == "final_norm.weight" ? [1, .nan, 1, 1] : model.params.value(p.name)) }
        XCTAssertThrowsError(try model.params.load(try SafetensorsFile(bytes: nan.serialized(), path: "nan"))) { e in
            XCTAssertTrue("\(e)".contains("non-finite"), "\(e)")
        }
    }
}
