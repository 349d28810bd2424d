// A SentencePiece `.model` as a `Tokenizer`: normalize, segment (Unigram or BPE), then map
// segments to ids the way sentencepiece's processor does (unknown pieces become byte pieces when
// byte_fallback is on, otherwise a run of unknowns is one unk id). Decoding mirrors
// `SentencePieceProcessor::Decode`. Anything in the file that would change the result and is
// not implemented is refused at load time with the field's name.

import WinnowCore

/// Loads a SentencePiece `.model` file (protobuf ModelProto) as a tokenizer with
/// sentencepiece's default encode options (no BOS/EOS).
public func loadSentencePieceTokenizer(path: String) throws -> any Tokenizer {
    try SentencePieceTokenizer(path: path)
}

public struct SentencePieceTokenizer: Tokenizer {
    public let path: String
    public let modelType: SentencePieceModelProto.ModelType
    /// Prepend the BOS piece / append the EOS piece to every `encode` (sentencepiece's
    /// `add_bos` / `add_eos`; both off by default, as in the Python binding).
    public let addBOS: Bool
    public let addEOS: Bool
    public let bosID: UInt32?
    public let eosID: UInt32?
    /// nil only for byte-fallback models without an UNKNOWN piece.
    public let unkID: UInt32?
    private let unk: Int32

    private let pieceBytes: [[UInt8]]
    private let types: [SentencePieceModelProto.PieceType]
    private let normalizer: SentencePieceNormalizer
    private let unigram: SentencePieceUnigram?
    private let bpe: SentencePieceBPE?
    private let byteFallback: Bool
    private let byteIDs: [Int32]
    private let byteValue: [Int16]
    private let unkSurface: [UInt8]
    private let addDummyPrefix: Bool
    private let removeExtraWhitespaces: Bool
    private let specials: [String: UInt32]

    public init(path: String, addBOS: Bool = false, addEOS: Bool = false) throws {
        guard let bytes = readFileBytes(path) else { throw TokenizerError(path: path, "cannot read the file") }
        try self.init(modelBytes: bytes, path: path, addBOS: addBOS, addEOS: addEOS)
    }

    public init(modelBytes: [UInt8], path: String, addBOS: Bool = false, addEOS: Bool = false) throws {
        let model = try SentencePieceModelProto.parse(modelBytes, path: path)
        try self.init(model: model, path: path, addBOS: addBOS, addEOS: addEOS)
    }

    public init(model: SentencePieceModelProto, path: String, addBOS: Bool = false, addEOS: Bool = false) throws {
        self.path = path
        self.addBOS = addBOS
        self.addEOS = addEOS
        let ts = model.trainerSpec
        let ns = model.normalizerSpec
        func fail(_ m: String) -> TokenizerError { TokenizerError(path: path, m) }

        guard !model.pieces.isEmpty else { throw fail("ModelProto.pieces: the model has no pieces") }
        switch ts.modelType {
        case .unigram, .bpe: break
        case .word, .char:
            throw fail("trainer_spec.model_type \(ts.modelType == .word ? "WORD" : "CHAR") is not supported (only UNIGRAM and BPE)")
        }
        if let d = model.denormalizerSpec, !d.precompiledCharsmap.isEmpty {
            throw fail("denormalizer_spec.precompiled_charsmap: decoding through a denormalizer is not supported")
        }
        modelType = ts.modelType

        var normal: [(bytes: [UInt8], id: Int32)] = []
        var userDefined: [(bytes: [UInt8], id: Int32)] = []
        // CONTROL, UNKNOWN and BYTE pieces by spelling. Unigram keeps them apart from the
        // vocabulary (a NORMAL piece may share a spelling with one); BPE keeps one map.
        var reserved: [[UInt8]: Int32] = [:]
        var normalSeen = Set<[UInt8]>()
        var unk: Int32 = -1
        var byteIDs = [Int32](repeating: -1, count: 256)
        var byteValue = [Int16](repeating: -1, count: model.pieces.count)
        var specials: [String: UInt32] = [:]
        for (i, p) in model.pieces.enumerated() {
            let id = Int32(i)
            let spelling = String(decoding: p.piece, as: UTF8.self)
            guard !p.piece.isEmpty else { throw fail("pieces[\(i)].piece is empty") }
            guard p.piece.count < 8000 else { throw fail("pieces[\(i)].piece is \(p.piece.count) bytes long (sentencepiece's limit is 8000)") }
            if p.piece == [0] && p.type == .unused { continue }
            guard !p.piece.contains(0) else { throw fail("pieces[\(i)].piece contains a NUL byte") }
            guard p.score.isFinite else { throw fail("pieces[\(i)].score is NaN or infinite") }
            let isVocabulary = p.type == .normal || p.type == .userDefined || p.type == .unused
            let duplicate = isVocabulary || ts.modelType == .bpe
                ? normalSeen.contains(p.piece) || (ts.modelType == .bpe && reserved[p.piece] != nil)
                : reserved[p.piece] != nil
            guard !duplicate else { throw fail("pieces[\(i)].piece '\(spelling)' is already defined") }
            if isVocabulary {
                normalSeen.insert(p.piece)
                normal.append((p.piece, id))
                if p.type == .userDefined {
                    userDefined.append((p.piece, id))
                    specials[spelling] = UInt32(i)
                }
                continue
            }
            reserved[p.piece] = id
            switch p.type {
            case .unknown:
                guard unk < 0 else { throw fail("pieces[\(i)]: a second UNKNOWN piece (unk is already defined)") }
                unk = id
                specials[spelling] = UInt32(i)
            case .byte:
                guard ts.byteFallback else {
                    throw fail("pieces[\(i)]: byte piece '\(spelling)' although trainer_spec.byte_fallback is false")
                }
                guard let b = Self.byteOfPiece(p.piece) else {
                    throw fail("pieces[\(i)]: byte piece '\(spelling)' is not of the form <0xHH>")
                }
                byteIDs[Int(b)] = id
                byteValue[i] = Int16(b)
            default:
                specials[spelling] = UInt32(i)
            }
        }
        guard unk >= 0 || ts.byteFallback else { throw fail("pieces: no UNKNOWN piece (unk is not defined)") }
        if ts.byteFallback, let missing = byteIDs.firstIndex(of: -1) {
            throw fail("trainer_spec.byte_fallback is true but byte piece <0x\(Self.hex(UInt8(missing)))> is missing")
        }
        self.unk = unk
        self.unkID = unk >= 0 ? UInt32(unk) : nil
        byteFallback = ts.byteFallback
        self.byteIDs = byteIDs
        self.byteValue = byteValue
        self.specials = specials
        pieceBytes = model.pieces.map(\.piece)
        types = model.pieces.map(\.type)
        unkSurface = ts.unkSurface
        addDummyPrefix = ns.addDummyPrefix
        removeExtraWhitespaces = ns.removeExtraWhitespaces

        guard normal.reduce(0, { $0 + $1.bytes.count }) < 1 << 24 else {
            throw fail("pieces: more than 16 MB of piece text (the trie's limit)")
        }
        let trie = PieceTrie(pieces: normal)
        let udTrie = userDefined.isEmpty ? nil : PieceTrie(pieces: userDefined)
        let charsMap = ns.precompiledCharsmap.isEmpty ? nil
            : try SentencePieceCharsMap(blob: ns.precompiledCharsmap, path: path, field: "normalizer_spec.precompiled_charsmap")
        normalizer = SentencePieceNormalizer(charsMap: charsMap, userDefined: udTrie, addDummyPrefix: ns.addDummyPrefix,
                                             removeExtraWhitespaces: ns.removeExtraWhitespaces,
                                             escapeWhitespaces: ns.escapeWhitespaces,
                                             treatWhitespaceAsSuffix: ts.treatWhitespaceAsSuffix)
        switch ts.modelType {
        case .unigram:
            unigram = SentencePieceUnigram(trie: trie, pieces: model.pieces, unkID: unk)
            bpe = nil
        default:
            unigram = nil
            bpe = SentencePieceBPE(trie: trie, scores: model.pieces.map(\.score), types: types, userDefined: udTrie,
                                   pieces: normal)
        }

        // BOS/EOS are found by spelling, as sentencepiece's extra options do.
        func lookup(_ s: String) -> UInt32? {
            let b = Array(s.utf8)
            if let id = reserved[b] { return UInt32(id) }
            let n = b.withUnsafeBufferPointer { trie.exact($0) }
            return n >= 0 ? UInt32(n) : nil
        }
        bosID = lookup(ts.bosPiece)
        eosID = lookup(ts.eosPiece)
        if addBOS && bosID == nil { throw fail("trainer_spec.bos_piece '\(ts.bosPiece)' is not a piece: cannot add BOS") }
        if addEOS && eosID == nil { throw fail("trainer_spec.eos_piece '\(ts.eosPiece)' is not a piece: cannot add EOS") }
    }

    // MARK: Tokenizer

    public var vocabularySize: Int { pieceBytes.count }

    public func piece(_ id: UInt32) -> String? {
        Int(id) < pieceBytes.count ? String(decoding: pieceBytes[Int(id)], as: UTF8.self) : nil
    }

    /// Ids of CONTROL, UNKNOWN and USER_DEFINED pieces by spelling.
    public func specialTokenID(_ spelling: String) -> UInt32? { specials[spelling] }

    public func encode(_ text: String, allowedSpecial: Set<String>) -> [UInt32] {
        var t = text
        return t.withUTF8 { encode(utf8: $0, allowedSpecial: allowedSpecial) }
    }

    /// Ids of raw bytes (malformed UTF-8 is handled as sentencepiece does: U+FFFD per byte).
    /// With an empty `allowedSpecial` this is exactly `sp.encode(text)`. Occurrences of an
    /// allowed CONTROL/UNKNOWN spelling (e.g. "<s>") become that piece's id, and the text
    /// between them is encoded as separate sentences (each with its own dummy prefix).
    public func encode(utf8 s: UnsafeBufferPointer<UInt8>, allowedSpecial: Set<String> = []) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(s.count / 3 + 4)
        if addBOS, let b = bosID { ids.append(b) }
        var scratch = Scratch()
        // User-defined pieces are always matched in the text already; only CONTROL and
        // UNKNOWN spellings need splitting out.
        let allowed = allowedSpecial.compactMap { sp -> ([UInt8], UInt32)? in
            guard let id = specials[sp], !sp.isEmpty, types[Int(id)] != .userDefined else { return nil }
            return (Array(sp.utf8), id)
        }
        if allowed.isEmpty {
            encodeSentence(s, into: &ids, scratch: &scratch)
        } else {
            var from = 0
            var i = 0
            outer: while i < s.count {
                for (spelling, id) in allowed where spelling[0] == s[i] && i + spelling.count <= s.count {
                    if (0..<spelling.count).allSatisfy({ s[i + $0] == spelling[$0] }) {
                        encodeSentence(UnsafeBufferPointer(rebasing: s[from..<i]), into: &ids, scratch: &scratch)
                        ids.append(id)
                        i += spelling.count
                        from = i
                        continue outer
                    }
                }
                i += 1
            }
            encodeSentence(UnsafeBufferPointer(rebasing: s[from..<s.count]), into: &ids, scratch: &scratch)
        }
        if addEOS, let e = eosID { ids.append(e) }
        return ids
    }

    /// sentencepiece's normalized form of `text` (what the model segments).
    public func normalized(_ text: String) -> String {
        var t = text
        var out: [UInt8] = []
        t.withUTF8 { normalizer.normalize($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reusable buffers for one encode call.
    private struct Scratch {
        var normalized: [UInt8] = []
        var segments: [SentencePieceSegment] = []
    }

    private func encodeSentence(_ s: UnsafeBufferPointer<UInt8>, into ids: inout [UInt32], scratch: inout Scratch) {
        normalizer.normalize(s, into: &scratch.normalized)
        scratch.normalized.withUnsafeBufferPointer { n in
            if let u = unigram { u.encode(n, into: &scratch.segments) } else { bpe!.encode(n, unkID: unk, into: &scratch.segments) }
            var prevUnknown = false
            for seg in scratch.segments {
                let id = seg.id
                let isUnknown = id == unk || (id >= 0 && types[Int(id)] == .unknown)
                if isUnknown && byteFallback {
                    for k in Int(seg.start)..<Int(seg.end) { ids.append(UInt32(byteIDs[Int(n[k])])) }
                } else if !(isUnknown && prevUnknown) && id >= 0 {
                    ids.append(UInt32(id))
                }
                prevUnknown = isUnknown
            }
        }
    }

    // MARK: Decoding

    public func decodeBytes(_ ids: [UInt32]) -> [UInt8] {
        var text: [UInt8] = []
        var pending: [UInt8] = []
        var expectBOSSpace = true
        var sawBOSSpace = false
        for id in ids where Int(id) < pieceBytes.count {
            let i = Int(id)
            if types[i] == .byte {
                pending.append(UInt8(byteValue[i]))
                continue
            }
            Self.flushBytes(&pending, into: &text)
            if sawBOSSpace || !text.isEmpty { expectBOSSpace = false }
            sawBOSSpace = false
            switch types[i] {
            case .control: continue
            case .unknown: text += unkSurface; continue
            default: break
            }
            var piece = pieceBytes[i][...]
            if expectBOSSpace && (addDummyPrefix || removeExtraWhitespaces) && piece.starts(with: SentencePieceNormalizer.spaceSymbol) {
                piece = piece.dropFirst(3)
                sawBOSSpace = !removeExtraWhitespaces
            }
            Self.appendUnescaped(piece, to: &text)
        }
        Self.flushBytes(&pending, into: &text)
        return text
    }

    /// U+2581 back to spaces.
    private static func appendUnescaped(_ piece: ArraySlice<UInt8>, to text: inout [UInt8]) {
        var k = piece.startIndex
        while k < piece.endIndex {
            if piece[k] == 0xE2 && k + 2 < piece.endIndex && piece[k + 1] == 0x96 && piece[k + 2] == 0x81 {
                text.append(0x20)
                k += 3
            } else {
                text.append(piece[k])
                k += 1
            }
        }
    }

    /// Byte pieces become text character by character; a byte that starts no valid character
    /// becomes U+FFFD on its own (sentencepiece's decoder).
    private static func flushBytes(_ pending: inout [UInt8], into text: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                let n = SentencePieceUTF8.validLength(b, at: i, end: b.count)
                if n == 0 {
                    text += SentencePieceNormalizer.replacementChar
                    i += 1
                } else {
                    text += b[i..<(i + n)]
                    i += n
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    static func byteOfPiece(_ p: [UInt8]) -> UInt8? {
        guard p.count == 6, p[0] == UInt8(ascii: "<"), p[1] == UInt8(ascii: "0"), p[2] == UInt8(ascii: "x"),
              p[5] == UInt8(ascii: ">") else { return nil }
        func hexDigit(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard let h = hexDigit(p[3]), let l = hexDigit(p[4]) else { return nil }
        return h << 4 | l
    }

    static func hex(_ b: UInt8) -> String {
        let d = Array("0123456789ABCDEF".utf8)
        return String(decoding: [d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
    }
}
