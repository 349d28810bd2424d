import WinnowTokenize

/// Texts every tokenizer target encodes once its loader accepted the input: ASCII, CJK,
/// combining marks, emoji with ZWJ, \r\n, long digit and space runs, repaired invalid UTF-8,
/// and special-token spellings.
let fuzzTokenizerTexts: [String] = [
    "Hello world! It's 2024-12-04, isn't it?  \r\n\tindent",
    "中文文本，日本語のテキスト。한국어",
    "e\u{301}\u{302} naïve 👩‍👩‍👧 👍🏽",
    String(repeating: "9", count: 50) + String(repeating: " ", count: 40) + "x",
    String(decoding: [0x61, 0xFF, 0xC3, 0x28, 0x62], as: UTF8.self),
    "<|endoftext|><s></s><unk><|begin_of_text|>",
    "",
]

/// Encodes every exercise text (plain, and with all specials allowed), decodes the ids, and
/// asks for every produced id's piece: a loaded tokenizer must never trap on any of these.
public func exerciseTokenizer(_ tok: any Tokenizer) {
    let specials = Set(tok.allSpecialSpellings)
    for text in fuzzTokenizerTexts {
        for allowed in [Set<String>(), specials] {
            let ids = tok.encode(text, allowedSpecial: allowed)
            for id in ids {
                precondition(Int(id) < tok.vocabularySize, "id \(id) outside the vocabulary (\(tok.vocabularySize))")
                _ = tok.piece(id)
            }
            _ = tok.decodeBytes(ids)
        }
    }
    _ = tok.decodeBytes([0, 1, UInt32(max(tok.vocabularySize - 1, 0)), UInt32(tok.vocabularySize), .max])
}
