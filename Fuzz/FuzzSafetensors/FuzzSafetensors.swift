import FuzzSupport
import WinnowLM

/// The safetensors reader over arbitrary bytes (header length, JSON header, dtypes, shapes,
/// offsets); a file that parses must yield every tensor, and loading it into a small model
/// must either succeed or fail with an error (names, shapes, non-finite values).
nonisolated(unsafe) let model: Transformer? = {
    guard var c = ModelConfig.preset("gpt2-tiny") else { return nil }
    c.vocabSize = 64; c.contextLength = 16; c.dModel = 16; c.nLayers = 1; c.nHeads = 2; c.nKVHeads = 2; c.mlpHidden = 32
    return try? Transformer(config: c)
}()

func fuzzSafetensors(_ data: UnsafeBufferPointer<UInt8>) {
    guard let file = try? SafetensorsFile(bytes: Array(data), path: "fuzz.safetensors") else { return }
    for e in file.entries {
        _ = try? file.floats(e.name)
        _ = try? file.ints(e.name)
    }
    if let model { try? model.params.load(file) }
}

@main enum Main { static func main() { Fuzz.main(fuzzSafetensors) } }
