// Token shard formats that training code reads directly, and the token width each one uses.
//
// - datatrove: NAME.ds (little-endian uint16, or uint32 when the vocabulary needs it),
//   NAME.ds.index (uint64 cumulative document ends, in tokens), NAME.ds.loss (one byte per
//   token, optional), NAME.ds.metadata ("tokenizer|token_size\ncount\nhumanized count").
// - megatron: NAME.bin (raw tokens) + NAME.idx ("MMIDIDX\0\0", u64 version 1, u8 dtype code,
//   u64 sequence count, u64 document count, int32 lengths, int64 byte pointers, int64 document
//   indices 0…n). uint16 below 65,500 ids, int32 above (megatron-core's own rule).
// - nanogpt: NAME.bin, headerless uint16.
// - llmc: NAME.bin, 256 × int32 header (magic 20240520 / version 1 for uint16 tokens, magic
//   20240801 / version 7 for uint32), then the tokens; header[2] is the token count (< 2^31).

public enum TokenShardFormat: String, Sendable, CaseIterable {
    case datatrove, megatron, nanogpt, llmc
}

public enum TokenWidth: Int, Sendable {
    case uint16 = 2
    case uint32 = 4

    /// The narrowest width `format` would choose for ids 0..<vocabularySize, or nil when the
    /// format cannot hold them (nanoGPT's files are uint16 only).
    public static func automatic(for format: TokenShardFormat, vocabularySize: Int) -> TokenWidth? {
        switch format {
        case .megatron: return vocabularySize < 65_500 ? .uint16 : .uint32
        case .nanogpt: return vocabularySize <= 65_536 ? .uint16 : nil
        case .datatrove, .llmc: return vocabularySize <= 65_536 ? .uint16 : .uint32
        }
    }

    public var maxID: UInt32 { self == .uint16 ? UInt32(UInt16.max) : UInt32.max }
}

/// A shard that cannot be written or read faithfully: names the file and what is wrong.
public struct TokenShardError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// File names of one shard, by format, from the path the caller gives.
public struct TokenShardFiles: Sendable, Equatable {
    public let tokens: String
    public let index: String?
    public let loss: String?
    public let metadata: String?

    /// datatrove: `path` is the .ds file; megatron: `path` is the prefix (or either file);
    /// nanogpt and llmc: `path` is the .bin file.
    public init(format: TokenShardFormat, path: String, loss: Bool = false) {
        switch format {
        case .datatrove:
            tokens = path; index = path + ".index"; self.loss = loss ? path + ".loss" : nil; metadata = path + ".metadata"
        case .megatron:
            var prefix = path
            if prefix.hasSuffix(".bin") || prefix.hasSuffix(".idx") { prefix.removeLast(4) }
            tokens = prefix + ".bin"; index = prefix + ".idx"; self.loss = nil; metadata = nil
        case .nanogpt, .llmc:
            tokens = path; index = nil; self.loss = nil; metadata = nil
        }
    }

    var all: [String] { [tokens] + [loss, index, metadata].compactMap { $0 } }
}

enum MegatronIndex {
    static let magic: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
    static let headerSize = 9 + 8 + 1 + 8 + 8
    /// megatron-core's DType codes.
    static func dtypeCode(_ w: TokenWidth) -> UInt8 { w == .uint16 ? 8 : 4 }
    static func width(code: UInt8) -> TokenWidth? {
        switch code { case 8: return .uint16; case 4: return .uint32; default: return nil }
    }
}

enum LLMCHeader {
    static let size = 256 * 4
    static func magicVersion(_ w: TokenWidth) -> (Int32, Int32) { w == .uint16 ? (20_240_520, 1) : (20_240_801, 7) }
}
