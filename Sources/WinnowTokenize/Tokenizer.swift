// The contract every tokenizer family implements (tiktoken, HF tokenizer.json, SentencePiece).
// Ids are UInt32 so a vocabulary past 2^16 needs no other type; shards choose their own width.

/// A loaded tokenizer: text to ids and back.
public protocol Tokenizer: Sendable {
    /// Number of ids this tokenizer can produce (max id + 1).
    var vocabularySize: Int { get }
    /// Ids of `text`. Special-token text inside `text` is encoded as plain text unless its
    /// spelling is in `allowedSpecial` (tiktoken's default behaviour).
    func encode(_ text: String, allowedSpecial: Set<String>) -> [UInt32]
    /// The bytes the ids stand for (lossless tokenizers round-trip `encode` exactly).
    func decodeBytes(_ ids: [UInt32]) -> [UInt8]
    /// The token's spelling as the library shows it (e.g. "Ġthe", "▁the"), nil when out of range.
    func piece(_ id: UInt32) -> String?
    /// Id of a special token by its spelling (e.g. "<|endoftext|>", "<s>").
    func specialTokenID(_ spelling: String) -> UInt32?
    /// Spellings of all special tokens (what `allowedSpecial: "all"` means).
    var allSpecialSpellings: [String] { get }
}

extension Tokenizer {
    public var allSpecialSpellings: [String] { [] }
    public func encode(_ text: String) -> [UInt32] { encode(text, allowedSpecial: []) }
    public func decode(_ ids: [UInt32]) -> String { String(decoding: decodeBytes(ids), as: UTF8.self) }
}

/// A tokenizer file Winnow cannot load faithfully: names the file and the field.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}
