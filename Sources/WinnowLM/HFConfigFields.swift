import WinnowCore

/// Typed reads of a transformers `config.json` that remember which fields were used, so any
/// field left over is either known to be inert or refused by name: a config Winnow would
/// silently misread (RoPE scaling, a sliding window, quantization) must fail instead.
struct HFConfigFields {
    let object: JSONObject
    let path: String
    private var used: Set<String> = []

    init(_ json: JSONValue, path: String) throws {
        guard let o = json.objectValue else { throw LMError("\(path): not a JSON object") }
        object = o; self.path = path
    }

    func error(_ field: String, _ why: String) -> LMError {
        let shown = object[field].map { " = " + JSONWriter.string($0) } ?? ""
        return LMError("\(path): field '\(field)'\(shown): \(why)")
    }

    /// The field's value; a JSON null counts as absent (transformers writes `null` for "unset").
    mutating func value(_ k: String) -> JSONValue? {
        used.insert(k)
        guard let v = object[k], v != .null else { return nil }
        return v
    }

    mutating func int(_ k: String, _ fallback: Int) throws -> Int {
        guard let v = value(k) else { return fallback }
        guard let i = v.intValue else { throw error(k, "expected an integer") }
        return i
    }

    mutating func double(_ k: String, _ fallback: Double) throws -> Double {
        guard let v = value(k) else { return fallback }
        guard let d = v.doubleValue, d.isFinite else { throw error(k, "expected a number") }
        return d
    }

    mutating func bool(_ k: String, _ fallback: Bool) throws -> Bool {
        guard let v = value(k) else { return fallback }
        guard let b = v.boolValue else { throw error(k, "expected true or false") }
        return b
    }

    mutating func string(_ k: String, _ fallback: String) throws -> String {
        guard let v = value(k) else { return fallback }
        guard let s = v.stringValue else { throw error(k, "expected a string") }
        return s
    }

    /// Marks fields that do not change the forward pass (token ids, dropout, init, bookkeeping).
    mutating func ignore(_ keys: [String]) { used.formUnion(keys) }

    /// Refuses every field nobody read, unless its value is null or false (a feature switched off).
    func finish(_ arch: HFArchitecture) throws {
        for (k, v) in object where !used.contains(k) && v != .null && v != .bool(false) {
            throw error(k, "not supported by Winnow's \(arch.rawValue) import (it would change the model's outputs, or Winnow does not know it)")
        }
    }

    /// Fields every PretrainedConfig may carry that do not affect the logits.
    static let inert = ["architectures", "model_type", "transformers_version", "dtype", "torch_dtype", "_name_or_path",
                        "bos_token_id", "eos_token_id", "pad_token_id", "sep_token_id", "decoder_start_token_id", "use_cache",
                        "initializer_range", "tokenizer_class", "output_attentions", "output_hidden_states", "return_dict",
                        "id2label", "label2id", "problem_type", "task_specific_params", "finetuning_task", "prefix",
                        "gradient_checkpointing", "torchscript", "chunk_size_feed_forward", "use_return_dict"]
}
