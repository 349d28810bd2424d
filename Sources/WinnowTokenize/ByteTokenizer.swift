// Bytes as tokens: the byte-level baseline of EIW's comparisons (Table 12's "Bytes" row) and of
// byte-level models. `tokenizer: bytes` wherever a tokenizer file is named.

/// UTF-8 bytes as ids 0–255, and `<|endoftext|>` as 256 (vocabulary 257).
public struct ByteTokenizer: Tokenizer {
    /// The name that selects it in place of a tokenizer file.
    public static let name = "bytes"
    public static let endOfText = "<|endoftext|>"

    public init() {}

    public var vocabularySize: Int { 257 }

    public func encode(_ text: String, allowedSpecial: Set<String>) -> [UInt32] {
        var t = text
        return t.withUTF8 { utf8 in
            var out: [UInt32] = []
            out.reserveCapacity(utf8.count)
            let special = allowedSpecial.contains(Self.endOfText) ? Array(Self.endOfText.utf8) : []
            var i = 0
            while i < utf8.count {
                if !special.isEmpty, utf8[i] == special[0], utf8.count - i >= special.count,
                   (0..<special.count).allSatisfy({ utf8[i + $0] == special[$0] }) {
                    out.append(256)
                    i += special.count
                    continue
                }
                out.append(UInt32(utf8[i]))
                i += 1
            }
            return out
        }
    }

    /// The end-of-text id decodes to nothing (like a special token of the other tokenizers).
    public func decodeBytes(_ ids: [UInt32]) -> [UInt8] { ids.compactMap { $0 < 256 ? UInt8($0) : nil } }

    public func piece(_ id: UInt32) -> String? {
        if id == 256 { return Self.endOfText }
        guard id < 256 else { return nil }
        return id < 0x80 ? String(UnicodeScalar(UInt8(id))) : "<0x" + String(id, radix: 16, uppercase: true) + ">"
    }

    public func specialTokenID(_ spelling: String) -> UInt32? { spelling == Self.endOfText ? 256 : nil }

    public var allSpecialSpellings: [String] { [Self.endOfText] }
}
