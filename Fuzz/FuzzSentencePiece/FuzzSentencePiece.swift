import FuzzSupport
import FuzzTokenizerSupport
import WinnowTokenize

/// The SentencePiece `.model` loader (protobuf, normalizer charsmap, BPE and Unigram pieces)
/// over arbitrary bytes; a model that loads must encode and decode.
func fuzzSentencePiece(_ data: UnsafeBufferPointer<UInt8>) {
    guard let tok = try? SentencePieceTokenizer(modelBytes: Array(data), path: "fuzz.model", addBOS: true, addEOS: true) else { return }
    exerciseTokenizer(tok)
}

@main enum Main { static func main() { Fuzz.main(fuzzSentencePiece) } }
