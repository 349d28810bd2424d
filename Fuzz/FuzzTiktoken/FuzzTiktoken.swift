import FuzzSupport
import FuzzTokenizerSupport
import WinnowTokenize

/// The tiktoken rank-file parser and merge-table builder over arbitrary bytes (with cl100k's
/// split rules and one special token, so any rank count loads); a file that loads must encode
/// and decode the exercise texts.
func fuzzTiktoken(_ data: UnsafeBufferPointer<UInt8>) {
    let encoding = TiktokenEncoding(name: "fuzz", rules: TiktokenEncoding.cl100kBase.rules,
                                    specialTokens: [("<|endoftext|>", 1_000_000)], rankCount: 0)
    guard let tok = try? TiktokenTokenizer(bytes: Array(data), path: "fuzz.tiktoken", encoding: encoding) else { return }
    exerciseTokenizer(tok)
}

@main enum Main { static func main() { Fuzz.main(fuzzTiktoken) } }
