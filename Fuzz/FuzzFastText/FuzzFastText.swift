import FuzzSupport
import WinnowClassify
import WinnowCore

/// The fastText model loader over arbitrary bytes; a model that loads must also predict
/// (every row a feature can reach must exist).
func fuzzFastText(_ data: UnsafeBufferPointer<UInt8>) {
    let path = Fuzz.file(data, name: "model.bin")
    guard let model = try? FastTextModel.load(path: path) else { return }
    let scratch = model.makeScratch()
    for line in ["hello world, this is a test\n", "__label__en some words here\n", "日本語のテキスト 中文 文本\n", "\n", "a b c d e f g h\n"] {
        var l = line
        l.withUTF8 { buf in
            for k in [1, 3] { _ = model.predict(utf8: buf, k: k, threshold: 0, scratch: scratch) }
        }
    }
}

@main enum Main { static func main() { Fuzz.main(fuzzFastText) } }
