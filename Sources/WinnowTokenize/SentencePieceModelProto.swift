// SentencePiece's ModelProto read straight from the protobuf wire format (no protobuf library):
// only the fields that change how text is encoded or decoded are kept; training-only fields are
// skipped. Field numbers follow sentencepiece_model.proto.

/// The parts of a SentencePiece `.model` file that encoding and decoding depend on.
public struct SentencePieceModelProto: Sendable {
    public enum PieceType: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public struct Piece: Sendable {
        public var piece: [UInt8] = []
        public var score: Float = 0
        public var type: PieceType = .normal
    }

    public enum ModelType: Int, Sendable {
        case unigram = 1, bpe = 2, word = 3, char = 4
    }

    /// TrainerSpec fields read at encode/decode time (defaults as in the .proto).
    public struct TrainerSpec: Sendable {
        public var modelType: ModelType = .unigram
        public var vocabSize: Int = 8000
        public var treatWhitespaceAsSuffix = false
        public var allowWhitespaceOnlyPieces = false
        public var splitDigits = false
        public var byteFallback = false
        public var unkID = 0
        public var bosID = 1
        public var eosID = 2
        public var padID = -1
        public var unkPiece = "<unk>"
        public var bosPiece = "<s>"
        public var eosPiece = "</s>"
        public var padPiece = "<pad>"
        /// What the decoder prints for an unknown piece (" ⁇ " unless the file sets it).
        public var unkSurface: [UInt8] = Array(" \u{2047} ".utf8)
        public var pretokenizationDelimiter = ""
    }

    public struct NormalizerSpec: Sendable {
        public var name = ""
        public var precompiledCharsmap: [UInt8] = []
        public var addDummyPrefix = true
        public var removeExtraWhitespaces = true
        public var escapeWhitespaces = true
        public var normalizationRuleTSV = ""
    }

    public var pieces: [Piece] = []
    public var trainerSpec = TrainerSpec()
    public var normalizerSpec = NormalizerSpec()
    public var denormalizerSpec: NormalizerSpec?

    /// Parses a serialized ModelProto; `path` names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws -> SentencePieceModelProto {
        var model = SentencePieceModelProto()
        try bytes.withUnsafeBufferPointer { buf in
            var r = ProtoWireReader(buf, path: path, field: "ModelProto")
            while let (field, wire) = try r.nextTag() {
                switch (field, wire) {
                case (1, 2):
                    var sub = try r.message(named: "ModelProto.pieces[\(model.pieces.count)]")
                    model.pieces.append(try parsePiece(&sub))
                case (2, 2):
                    var sub = try r.message(named: "ModelProto.trainer_spec")
                    model.trainerSpec = try parseTrainerSpec(&sub)
                case (3, 2):
                    var sub = try r.message(named: "ModelProto.normalizer_spec")
                    model.normalizerSpec = try parseNormalizerSpec(&sub)
                case (5, 2):
                    var sub = try r.message(named: "ModelProto.denormalizer_spec")
                    model.denormalizerSpec = try parseNormalizerSpec(&sub)
                default:
                    try r.skip(wire: wire, field: field)
                }
            }
        }
        return model
    }

    private static func parsePiece(_ r: inout ProtoWireReader) throws -> Piece {
        var p = Piece()
        while let (field, wire) = try r.nextTag() {
            switch (field, wire) {
            case (1, 2): p.piece = try r.bytes()
            case (2, 5): p.score = Float(bitPattern: try r.fixed32())
            case (3, 0):
                let v = try r.int32()
                guard let t = PieceType(rawValue: Int(v)) else { throw r.error("type: unknown piece type \(v)") }
                p.type = t
            default: try r.skip(wire: wire, field: field)
            }
        }
        return p
    }

    private static func parseTrainerSpec(_ r: inout ProtoWireReader) throws -> TrainerSpec {
        var t = TrainerSpec()
        while let (field, wire) = try r.nextTag() {
            switch (field, wire) {
            case (3, 0):
                let v = try r.int32()
                guard let m = ModelType(rawValue: Int(v)) else { throw r.error("model_type: unknown value \(v)") }
                t.modelType = m
            case (4, 0): t.vocabSize = Int(try r.int32())
            case (24, 0): t.treatWhitespaceAsSuffix = try r.bool()
            case (25, 0): t.splitDigits = try r.bool()
            case (26, 0): t.allowWhitespaceOnlyPieces = try r.bool()
            case (35, 0): t.byteFallback = try r.bool()
            case (40, 0): t.unkID = Int(try r.int32())
            case (41, 0): t.bosID = Int(try r.int32())
            case (42, 0): t.eosID = Int(try r.int32())
            case (43, 0): t.padID = Int(try r.int32())
            case (44, 2): t.unkSurface = try r.bytes()
            case (45, 2): t.unkPiece = try r.string()
            case (46, 2): t.bosPiece = try r.string()
            case (47, 2): t.eosPiece = try r.string()
            case (48, 2): t.padPiece = try r.string()
            case (53, 2): t.pretokenizationDelimiter = try r.string()
            default: try r.skip(wire: wire, field: field)
            }
        }
        return t
    }

    private static func parseNormalizerSpec(_ r: inout ProtoWireReader) throws -> NormalizerSpec {
        var n = NormalizerSpec()
        while let (field, wire) = try r.nextTag() {
            switch (field, wire) {
            case (1, 2): n.name = try r.string()
            case (2, 2): n.precompiledCharsmap = try r.bytes()
            case (3, 0): n.addDummyPrefix = try r.bool()
            case (4, 0): n.removeExtraWhitespaces = try r.bool()
            case (5, 0): n.escapeWhitespaces = try r.bool()
            case (6, 2): n.normalizationRuleTSV = try r.string()
            default: try r.skip(wire: wire, field: field)
            }
        }
        return n
    }
}

/// A bounds-checked protobuf wire-format cursor over one message; errors name the message path.
struct ProtoWireReader {
    private let buf: UnsafeBufferPointer<UInt8>
    private var pos: Int
    private let end: Int
    let path: String
    let field: String

    init(_ buf: UnsafeBufferPointer<UInt8>, path: String, field: String) {
        self.buf = buf; self.pos = 0; self.end = buf.count; self.path = path; self.field = field
    }

    private init(_ buf: UnsafeBufferPointer<UInt8>, range: Range<Int>, path: String, field: String) {
        self.buf = buf; self.pos = range.lowerBound; self.end = range.upperBound; self.path = path; self.field = field
    }

    func error(_ what: String) -> TokenizerError {
        TokenizerError(path: path, "\(field).\(what) (byte \(pos))")
    }

    /// The next (field number, wire type), or nil at the end of the message.
    mutating func nextTag() throws -> (Int, Int)? {
        guard pos < end else { return nil }
        let tag = try varint()
        let field = Int(tag >> 3)
        guard field > 0 else { throw error("invalid field number 0: not a protobuf ModelProto") }
        return (field, Int(tag & 7))
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw error("truncated varint") }
            let b = buf[pos]; pos += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw error("varint longer than 10 bytes") }
        }
    }

    mutating func int32() throws -> Int32 { Int32(truncatingIfNeeded: try varint()) }
    mutating func bool() throws -> Bool { try varint() != 0 }

    mutating func fixed32() throws -> UInt32 {
        guard end - pos >= 4 else { throw error("truncated fixed32") }
        let v = UInt32(buf[pos]) | UInt32(buf[pos + 1]) << 8 | UInt32(buf[pos + 2]) << 16 | UInt32(buf[pos + 3]) << 24
        pos += 4
        return v
    }

    private mutating func lengthDelimited() throws -> Range<Int> {
        let n = try varint()
        guard n <= UInt64(end - pos) else { throw error("length \(n) runs past the end of the message") }
        let r = pos..<(pos + Int(n))
        pos += Int(n)
        return r
    }

    mutating func bytes() throws -> [UInt8] { Array(buf[try lengthDelimited()]) }

    mutating func string() throws -> String {
        let r = try lengthDelimited()
        return String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
    }

    mutating func message(named name: String) throws -> ProtoWireReader {
        let r = try lengthDelimited()
        return ProtoWireReader(buf, range: r, path: path, field: name)
    }

    mutating func skip(wire: Int, field: Int) throws {
        switch wire {
        case 0: _ = try varint()
        case 1:
            guard end - pos >= 8 else { throw error("truncated fixed64 in field \(field)") }
            pos += 8
        case 2: _ = try lengthDelimited()
        case 5:
            guard end - pos >= 4 else { throw error("truncated fixed32 in field \(field)") }
            pos += 4
        default: throw error("field \(field) has unsupported wire type \(wire)")
        }
    }
}
