// Reading tokenizer.json: every field that changes the encoding is either implemented or
// refused with a TokenizerError naming it.
import WinnowCore
import WinnowText

struct HFTokenizerConfig {
    var normalizers: [HFNormalizer] = []
    var preTokenizers: [HFPreTokenizer] = []
    var decoders: [HFDecoder] = []
    var added: [HFAddedToken] = []
    var prefixIDs: [UInt32] = []
    var suffixIDs: [UInt32] = []
    var model: HFBPEModel
    var modelTokenStrings: [String?] = []

    init(bytes: [UInt8], path: String) throws {
        func fail(_ m: String) -> TokenizerError { TokenizerError(path: path, m) }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw fail("not valid JSON: \(error)") }
        guard root.objectValue != nil else { throw fail("not a JSON object") }
        for key in ["truncation", "padding"] {
            if let v = root[key], v != .null { throw fail("\(key) is set; Winnow encodes whole documents (remove it)") }
        }
        if let n = root["normalizer"], n != .null { normalizers = try Self.normalizers(n, "normalizer", fail) }
        if let p = root["pre_tokenizer"], p != .null { preTokenizers = try Self.preTokenizers(p, "pre_tokenizer", fail) }
        if let d = root["decoder"], d != .null { decoders = try Self.decoders(d, "decoder", fail) }
        let isByteLevel = preTokenizers.contains { if case .byteLevel = $0 { return true } else { return false } }

        // model
        guard let m = root["model"]?.objectValue else { throw fail("no model") }
        let mv = JSONValue.object(m)
        if let t = mv["type"]?.stringValue, t != "BPE" { throw fail("model.type '\(t)' is not supported (BPE only)") }
        if let d = mv["dropout"], d != .null, d.doubleValue != 0 { throw fail("model.dropout is set; Winnow encodes deterministically") }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = mv[key], v != .null, v.stringValue != "" { throw fail("model.\(key) is not supported") }
        }
        guard let vocabObj = mv["vocab"]?.objectValue else { throw fail("model.vocab is missing") }
        var tokens: [([UInt8], UInt32)] = []
        tokens.reserveCapacity(vocabObj.count)
        var strings: [String?] = []
        for (k, v) in vocabObj {
            guard let id = v.intValue, id >= 0, id < Int(UInt32.max) else { throw fail("model.vocab['\(k)'] is not a token id") }
            guard id < ByteStringTable.maxSparseID(count: vocabObj.count) else {
                throw fail("model.vocab: id \(id) among \(vocabObj.count) tokens: ids must number the tokens densely")
            }
            if strings.count <= id { strings += [String?](repeating: nil, count: id + 1 - strings.count) }
            if strings[id] != nil { throw fail("model.vocab: id \(id) appears twice") }
            strings[id] = k
            if isByteLevel {
                if let b = GPT2ByteMap.unmap(k) { tokens.append((b, UInt32(id))) }
            } else {
                tokens.append((Array(k.utf8), UInt32(id)))
            }
        }
        modelTokenStrings = strings
        let vocab: ByteStringTable
        do { vocab = try ByteStringTable(tokens: tokens) } catch {
            switch error {
            case .duplicate(let id, _): throw fail("model.vocab: token \(id) duplicates another token's bytes")
            case .sparse(let maxID, let count): throw fail("model.vocab: id \(maxID) among \(count) tokens: ids must number the tokens densely")
            }
        }
        func key(_ s: String) -> [UInt8]? { isByteLevel ? GPT2ByteMap.unmap(s) : Array(s.utf8) }
        func lookup(_ b: [UInt8]) -> UInt32? { b.isEmpty ? nil : b.withUnsafeBufferPointer { vocab.lookup($0.baseAddress!, $0.count) } }

        guard let merges = mv["merges"]?.arrayValue else { throw fail("model.merges is missing") }
        let pairs = PairMergeTable(expected: merges.count + 16, maxID: vocab.capacity - 1, maxRank: merges.count)
        for (rank, mg) in merges.enumerated() {
            let a: String, b: String
            if let s = mg.stringValue {
                let parts = s.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw fail("model.merges[\(rank)] '\(s)' is not two tokens") }
                a = String(parts[0]); b = String(parts[1])
            } else if let arr = mg.arrayValue, arr.count == 2, let x = arr[0].stringValue, let y = arr[1].stringValue {
                a = x; b = y
            } else {
                throw fail("model.merges[\(rank)] is neither \"a b\" nor [a, b]")
            }
            guard let ka = key(a), let kb = key(b), let ia = lookup(ka), let ib = lookup(kb) else {
                throw fail("model.merges[\(rank)]: '\(a)' or '\(b)' is not in the vocab")
            }
            guard let im = lookup(ka + kb) else { throw fail("model.merges[\(rank)]: '\(a)\(b)' is not in the vocab") }
            pairs.insert(ia, ib, rank: UInt32(rank), merged: im, replace: true)
        }
        let ignoreMerges = mv["ignore_merges"]?.boolValue ?? false
        let fuseUnk = mv["fuse_unk"]?.boolValue ?? false
        var unk: UInt32?
        if let u = mv["unk_token"]?.stringValue {
            guard let id = key(u).flatMap(lookup) else { throw fail("model.unk_token '\(u)' is not in the vocab") }
            unk = id
        }
        var fallback: [UInt32]?
        if mv["byte_fallback"]?.boolValue == true {
            if isByteLevel { throw fail("model.byte_fallback with a ByteLevel pre-tokenizer is not supported") }
            var fb = [UInt32](repeating: 0, count: 256)
            for b in 0..<256 {
                let name = "<0x" + String(b, radix: 16, uppercase: true).leftPadded(2) + ">"
                guard let id = lookup(Array(name.utf8)) else { throw fail("model.byte_fallback: '\(name)' is not in the vocab") }
                fb[b] = id
            }
            fallback = fb
        }
        var byteLevelCore: ByteLevelBPE?
        if isByteLevel {
            var bt = [UInt32](repeating: 0, count: 256)
            for b in 0..<256 {
                if let id = lookup([UInt8(b)]) { bt[b] = id; continue }
                // Bytes that valid UTF-8 never contains may be absent (GPT-NeoX drops them).
                guard b == 0xC0 || b == 0xC1 || b >= 0xF5 else { throw fail("model.vocab lacks the byte-level token of byte \(b)") }
                bt[b] = UInt32.max
            }
            byteLevelCore = ByteLevelBPE(vocab: vocab, pairs: pairs, byteTokens: bt, lookupWholePiece: ignoreMerges, rules: nil)
        }
        model = HFBPEModel(byteLevel: byteLevelCore, vocab: vocab, pairs: pairs, ignoreMerges: ignoreMerges,
                           unk: unk, fuseUnk: fuseUnk, fallbackBytes: fallback)

        // added tokens
        for (i, t) in (root["added_tokens"]?.arrayValue ?? []).enumerated() {
            guard let content = t["content"]?.stringValue, let id = t["id"]?.intValue, id >= 0, id < Int(UInt32.max) else {
                throw fail("added_tokens[\(i)] lacks content or id")
            }
            for flag in ["single_word", "lstrip", "rstrip"] where t[flag]?.boolValue == true {
                throw fail("added_tokens[\(i)] ('\(content)'): \(flag)=true is not supported")
            }
            added.append(HFAddedToken(content: content, id: UInt32(id), special: t["special"]?.boolValue ?? false,
                                      normalized: t["normalized"]?.boolValue ?? !(t["special"]?.boolValue ?? false)))
        }

        // post-processor
        if let p = root["post_processor"], p != .null {
            try Self.postProcessor(p, "post_processor", added, &prefixIDs, &suffixIDs, fail)
        }
    }

    static func normalizers(_ v: JSONValue, _ at: String, _ fail: (String) -> TokenizerError) throws -> [HFNormalizer] {
        let type = v["type"]?.stringValue ?? ""
        switch type {
        case "Sequence":
            var out: [HFNormalizer] = []
            for (i, n) in (v["normalizers"]?.arrayValue ?? []).enumerated() { out += try normalizers(n, "\(at).normalizers[\(i)]", fail) }
            return out
        case "NFC": return [.nfc]
        case "NFKC": return [.nfkc]
        case "Prepend":
            guard let p = v["prepend"]?.stringValue else { throw fail("\(at).prepend is missing") }
            return [.prepend(Array(p.utf8))]
        case "Replace":
            guard let p = v["pattern"]?["String"]?.stringValue else { throw fail("\(at).pattern: only String patterns are supported") }
            return [.replace(Array(p.utf8), Array((v["content"]?.stringValue ?? "").utf8))]
        default:
            throw fail("\(at).type '\(type)' is not supported (NFC, NFKC, Prepend, Replace, Sequence)")
        }
    }

    static func preTokenizers(_ v: JSONValue, _ at: String, _ fail: (String) -> TokenizerError) throws -> [HFPreTokenizer] {
        let type = v["type"]?.stringValue ?? ""
        switch type {
        case "Sequence":
            var out: [HFPreTokenizer] = []
            for (i, p) in (v["pretokenizers"]?.arrayValue ?? []).enumerated() { out += try preTokenizers(p, "\(at).pretokenizers[\(i)]", fail) }
            return out
        case "ByteLevel":
            return [.byteLevel(addPrefixSpace: v["add_prefix_space"]?.boolValue ?? true, useRegex: v["use_regex"]?.boolValue ?? true)]
        case "Split":
            guard let re = v["pattern"]?["Regex"]?.stringValue else { throw fail("\(at).pattern: only Regex patterns are supported") }
            guard var rules = SplitPattern.known[re] else { throw fail("\(at).pattern '\(re)' is not one of the split patterns Winnow implements (GPT-2, cl100k/Llama-3, o200k, Qwen, Qwen3.5)") }
            // Oniguruma (Ruby syntax) reads tiktoken's possessive `\p{N}{1,3}+` as `(\p{N}{1,3})+`: any digit run.
            if re.contains(#"\p{N}{1,3}+"#) { rules.maxDigits = Int.max }
            guard (v["behavior"]?.stringValue ?? "Isolated") == "Isolated" else { throw fail("\(at).behavior '\(v["behavior"]?.stringValue ?? "")' is not supported (Isolated)") }
            guard v["invert"]?.boolValue != true else { throw fail("\(at).invert=true is not supported") }
            return [.split(rules)]
        case "Metaspace":
            let rep = Array((v["replacement"]?.stringValue ?? "\u{2581}").utf8)
            var scheme = HFPreTokenizer.MetaspacePrepend.always
            if let s = v["prepend_scheme"]?.stringValue {
                switch s {
                case "always": scheme = .always
                case "first": scheme = .first
                case "never": scheme = .never
                default: throw fail("\(at).prepend_scheme '\(s)' is not supported")
                }
            } else if v["add_prefix_space"]?.boolValue == false {
                scheme = .never
            }
            return [.metaspace(replacement: rep, prepend: scheme, split: v["split"]?.boolValue ?? true)]
        default:
            throw fail("\(at).type '\(type)' is not supported (ByteLevel, Split, Metaspace, Sequence)")
        }
    }

    static func decoders(_ v: JSONValue, _ at: String, _ fail: (String) -> TokenizerError) throws -> [HFDecoder] {
        let type = v["type"]?.stringValue ?? ""
        switch type {
        case "Sequence":
            var out: [HFDecoder] = []
            for (i, d) in (v["decoders"]?.arrayValue ?? []).enumerated() { out += try decoders(d, "\(at).decoders[\(i)]", fail) }
            return out
        case "ByteLevel": return [.byteLevel]
        case "ByteFallback": return [.byteFallback]
        case "Fuse": return [.fuse]
        case "Replace":
            guard let p = v["pattern"]?["String"]?.stringValue else { throw fail("\(at).pattern: only String patterns are supported") }
            return [.replace(Array(p.utf8), Array((v["content"]?.stringValue ?? "").utf8))]
        case "Strip":
            return [.strip(content: Array((v["content"]?.stringValue ?? " ").utf8), start: v["start"]?.intValue ?? 0, stop: v["stop"]?.intValue ?? 0)]
        case "Metaspace":
            let rep = Array((v["replacement"]?.stringValue ?? "\u{2581}").utf8)
            let never = v["prepend_scheme"]?.stringValue == "never" || v["add_prefix_space"]?.boolValue == false
            return [.metaspace(replacement: rep, stripFirst: !never)]
        default:
            throw fail("\(at).type '\(type)' is not supported (ByteLevel, ByteFallback, Fuse, Replace, Strip, Metaspace, Sequence)")
        }
    }

    static func postProcessor(_ v: JSONValue, _ at: String, _ added: [HFAddedToken], _ prefix: inout [UInt32], _ suffix: inout [UInt32],
                              _ fail: (String) -> TokenizerError) throws {
        let type = v["type"]?.stringValue ?? ""
        switch type {
        case "ByteLevel": return
        case "Sequence":
            for (i, p) in (v["processors"]?.arrayValue ?? []).enumerated() {
                try postProcessor(p, "\(at).processors[\(i)]", added, &prefix, &suffix, fail)
            }
        case "TemplateProcessing":
            guard let single = v["single"]?.arrayValue else { throw fail("\(at).single is missing") }
            var seenSequence = false
            for item in single {
                if item["Sequence"] != nil { seenSequence = true; continue }
                guard let name = item["SpecialToken"]?["id"]?.stringValue else { throw fail("\(at).single has an item Winnow does not know") }
                guard let ids = v["special_tokens"]?[name]?["ids"]?.arrayValue?.compactMap({ $0.intValue }) else {
                    throw fail("\(at).special_tokens['\(name)'] is missing")
                }
                if seenSequence { suffix += ids.map { UInt32($0) } } else { prefix += ids.map { UInt32($0) } }
            }
        default:
            throw fail("\(at).type '\(type)' is not supported (TemplateProcessing, ByteLevel, Sequence)")
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
