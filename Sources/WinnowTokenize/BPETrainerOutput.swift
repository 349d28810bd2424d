// Writing a trained model: tokenizer.json laid out as HF tokenizers saves it (two-space
// indentation, vocabulary in id order, merges as pairs of strings), and a tiktoken rank file.

import WinnowCore

extension BPETrainedModel {
    /// tokenizer.json with pre-tokenizer Split(`pattern`, Isolated) then ByteLevel (no prefix
    /// space, no regex), the BPE model, and a ByteLevel decoder.
    public func tokenizerJSON(pattern: String) -> [UInt8] {
        var o = PrettyJSON()
        o.open("{")
        o.key("version"); o.string("1.0")
        o.key("truncation"); o.raw("null")
        o.key("padding"); o.raw("null")
        o.key("added_tokens")
        if specialTokens.isEmpty { o.raw("[]") } else {
            o.open("[")
            for (s, id) in specialTokens {
                o.item(); o.open("{")
                o.key("id"); o.raw(String(id))
                o.key("content"); o.string(s)
                for k in ["single_word", "lstrip", "rstrip", "normalized"] { o.key(k); o.raw("false") }
                o.key("special"); o.raw("true")
                o.close("}")
            }
            o.close("]")
        }
        o.key("normalizer"); o.raw("null")
        o.key("pre_tokenizer"); o.open("{")
        o.key("type"); o.string("Sequence")
        o.key("pretokenizers"); o.open("[")
        o.item(); o.open("{")
        o.key("type"); o.string("Split")
        o.key("pattern"); o.open("{"); o.key("Regex"); o.string(pattern); o.close("}")
        o.key("behavior"); o.string("Isolated")
        o.key("invert"); o.raw("false")
        o.close("}")
        o.item(); o.open("{")
        o.key("type"); o.string("ByteLevel")
        o.key("add_prefix_space"); o.raw("false")
        o.key("trim_offsets"); o.raw("true")
        o.key("use_regex"); o.raw("false")
        o.close("}")
        o.close("]")
        o.close("}")
        o.key("post_processor"); o.raw("null")
        o.key("decoder"); o.open("{")
        o.key("type"); o.string("ByteLevel")
        o.key("add_prefix_space"); o.raw("true")
        o.key("trim_offsets"); o.raw("true")
        o.key("use_regex"); o.raw("true")
        o.close("}")
        o.key("model"); o.open("{")
        o.key("type"); o.string("BPE")
        for k in ["dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix"] { o.key(k); o.raw("null") }
        for k in ["fuse_unk", "byte_fallback", "ignore_merges"] { o.key(k); o.raw("false") }
        o.key("vocab"); o.open("{")
        for (id, t) in vocab.enumerated() { o.key(t); o.raw(String(id)) }
        o.close("}")
        o.key("merges")
        let kept = savedMerges
        if kept.isEmpty { o.raw("[]") } else {
            o.open("[")
            for m in kept {
                o.item(); o.open("[")
                o.item(); o.string(vocab[Int(m.left)])
                o.item(); o.string(vocab[Int(m.right)])
                o.close("]")
            }
            o.close("]")
        }
        o.close("}")
        o.close("}")
        return o.out
    }

    /// The merges a saved model keeps: HF keys merges by pair, so a pair merged twice (possible
    /// only after a merge reused an existing token) keeps its later rank.
    public var savedMerges: [Merge] {
        var last: [UInt64: Int] = [:]
        for (i, m) in merges.enumerated() { last[pairKey(m.left, m.right)] = i }
        if last.count == merges.count { return merges }
        return merges.enumerated().filter { last[pairKey($0.element.left, $0.element.right)] == $0.offset }.map(\.element)
    }

    /// tiktoken ranks: `base64(bytes) id` for every non-special token, rank = tokenizer.json id.
    public func tiktokenRanks() -> [UInt8] {
        let specialIDs = Set(specialTokens.map(\.1))
        var out: [UInt8] = []
        for (id, t) in vocab.enumerated() where !specialIDs.contains(UInt32(id)) {
            guard let bytes = GPT2ByteMap.unmap(t) else { continue }
            out.append(contentsOf: Base64.encode(bytes).utf8)
            out.append(0x20)
            out.append(contentsOf: String(id).utf8)
            out.append(0x0A)
        }
        return out
    }
}

/// serde_json's pretty layout: one member or element per line, two spaces per level.
struct PrettyJSON {
    var out: [UInt8] = []
    private var depth = 0
    private var first = true

    private mutating func newline() {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }

    /// Starts the next member (or element) of the open object (or array).
    mutating func item() {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        newline()
    }

    mutating func key(_ k: String) {
        item()
        JSONWriter.writeString(k, to: &out)
        out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
    }

    mutating func open(_ bracket: StaticString) {
        out.append(bracket.utf8Start.pointee)
        depth += 1
        first = true
    }

    mutating func close(_ bracket: StaticString) {
        depth -= 1
        if !first { newline() }
        out.append(bracket.utf8Start.pointee)
        first = false
    }

    mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }
    mutating func string(_ s: String) { JSONWriter.writeString(s, to: &out) }
}
