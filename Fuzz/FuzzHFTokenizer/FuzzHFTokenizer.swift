import FuzzSupport
import FuzzTokenizerSupport
import WinnowTokenize

/// The tokenizer.json loader (JSON, normalizers, pre-tokenizers, BPE model, added tokens,
/// post-processor) over arbitrary bytes; a file that loads must encode and decode.
func fuzzHFTokenizer(_ data: UnsafeBufferPointer<UInt8>) {
    guard let tok = try? HFTokenizer(bytes: Array(data), path: "fuzz-tokenizer.json") else { return }
    exerciseTokenizer(tok)
}

@main enum Main { static func main() { Fuzz.main(fuzzHFTokenizer) } }
