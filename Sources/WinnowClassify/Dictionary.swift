/// fastText's dictionary: words then labels (each sorted by count), with the exact hashing,
/// character n-gram and word n-gram features fastText computes, so that a line maps to the
/// same input rows as in the official library.
public final class FastTextDictionary: @unchecked Sendable {
    public enum EntryType: UInt8, Sendable { case word = 0, label = 1 }

    public struct Entry: Sendable {
        public var word: [UInt8]
        public var count: Int64
        public var type: EntryType
        var subwords: [Int32] = []
    }

    static let eos: [UInt8] = Array("</s>".utf8)
    static let bow: UInt8 = 0x3C  // "<"
    static let eow: UInt8 = 0x3E  // ">"

    public private(set) var entries: [Entry]
    public let nwords: Int
    public let nlabels: Int
    public let ntokens: Int64
    let labelPrefix: [UInt8]
    let minn: Int, maxn: Int, bucket: Int, wordNgrams: Int
    /// -1: not pruned; otherwise the kept n-gram buckets, remapped.
    let pruneIndexSize: Int64
    let pruneIndex: [Int32: Int32]
    private var ids: [[UInt8]: Int32] = [:]

    init(entries: [Entry], nwords: Int, nlabels: Int, ntokens: Int64, pruneIndexSize: Int64, pruneIndex: [Int32: Int32],
         args: FastTextArgs) {
        self.entries = entries
        self.nwords = nwords
        self.nlabels = nlabels
        self.ntokens = ntokens
        self.pruneIndexSize = pruneIndexSize
        self.pruneIndex = pruneIndex
        labelPrefix = Array(args.label.utf8)
        minn = args.minn; maxn = args.maxn; bucket = args.bucket; wordNgrams = args.wordNgrams
        ids.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { ids[e.word] = Int32(i) }
        for i in 0..<self.entries.count {
            var sub: [Int32] = [Int32(i)]
            if self.entries[i].word != Self.eos { computeSubwords([Self.bow] + self.entries[i].word + [Self.eow], into: &sub) }
            self.entries[i].subwords = sub
        }
    }

    /// FNV-1a over the bytes taken as signed chars, as fastText does.
    @inline(__always) static func hash(_ s: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in s {
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: b)))
            h = h &* 16_777_619
        }
        return h
    }

    static func hash(_ s: [UInt8]) -> UInt32 { s.withUnsafeBufferPointer { hash($0) } }

    public func id(of word: [UInt8]) -> Int32? { ids[word] }

    public func label(_ i: Int) -> String { String(decoding: entries[nwords + i].word, as: UTF8.self) }

    func isLabel(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.count >= labelPrefix.count else { return false }
        for i in 0..<labelPrefix.count where token[i] != labelPrefix[i] { return false }
        return true
    }

    @inline(__always) func pushHash(_ out: inout [Int32], _ id: Int32) {
        if pruneIndexSize == 0 || id < 0 { return }
        var id = id
        if pruneIndexSize > 0 {
            guard let mapped = pruneIndex[id] else { return }
            id = mapped
        }
        out.append(Int32(nwords) + id)
    }

    /// Character n-grams of `<word>` (lengths minn...maxn in code points), hashed into buckets.
    func computeSubwords(_ word: [UInt8], into out: inout [Int32]) {
        guard maxn > 0 else { return }
        let n = word.count
        var ngram: [UInt8] = []
        ngram.reserveCapacity(4 * maxn)
        for i in 0..<n {
            if word[i] & 0xC0 == 0x80 { continue }
            ngram.removeAll(keepingCapacity: true)
            var j = i, len = 1
            while j < n && len <= maxn {
                ngram.append(word[j]); j += 1
                while j < n && word[j] & 0xC0 == 0x80 { ngram.append(word[j]); j += 1 }
                if len >= minn && !(len == 1 && (i == 0 || j == n)) {
                    let h = ngram.withUnsafeBufferPointer { Self.hash($0) } % UInt32(bucket)
                    pushHash(&out, Int32(bitPattern: h))
                }
                len += 1
            }
        }
    }

    /// The feature rows of one line of text, as fastText's `getLine` computes them for
    /// supervised models: every whitespace-separated token (a newline ends the line and adds
    /// `</s>`), its subwords (or its character n-grams when out of vocabulary), then word
    /// n-grams. Labels found in the line go to `labels`. Returns the number of tokens.
    @discardableResult
    public func features(_ text: UnsafeBufferPointer<UInt8>, words: inout [Int32], labels: inout [Int32], consumed: inout Int) -> Int {
        words.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
        var wordHashes: [Int32] = []
        var ntokens = 0
        var i = consumed
        let n = text.count
        var token: [UInt8] = []
        token.reserveCapacity(64)
        while true {
            // readWord: skip separators; a newline before any byte is the token </s>.
            token.removeAll(keepingCapacity: true)
            var atEOS = false
            while i < n {
                let c = text[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0 {
                    if token.isEmpty {
                        i += 1
                        if c == 0x0A { token = Self.eos; atEOS = true; break }
                        continue
                    }
                    break  // the separator (a newline too) is read again next time
                }
                token.append(c)
                i += 1
            }
            if token.isEmpty { break }
            ntokens += 1
            let h = token.withUnsafeBufferPointer { Self.hash($0) }
            let wid = ids[token]
            let isLabelToken = wid.map { Int($0) >= nwords } ?? token.withUnsafeBufferPointer { isLabel($0) }
            if !isLabelToken {
                if let wid {
                    if maxn <= 0 { words.append(wid) } else { words.append(contentsOf: entries[Int(wid)].subwords) }
                } else if token != Self.eos {
                    computeSubwords([Self.bow] + token + [Self.eow], into: &words)
                }
                wordHashes.append(Int32(bitPattern: h))
            } else if let wid {
                labels.append(wid - Int32(nwords))
            }
            if atEOS || token == Self.eos { break }  // a literal "</s>" ends the line too, as in fastText
        }
        consumed = i
        addWordNgrams(&words, wordHashes)
        return ntokens
    }

    func addWordNgrams(_ line: inout [Int32], _ hashes: [Int32]) {
        guard wordNgrams > 1 else { return }
        for i in 0..<hashes.count {
            var h = UInt64(bitPattern: Int64(hashes[i]))
            var j = i + 1
            while j < hashes.count && j < i + wordNgrams {
                h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(hashes[j]))
                pushHash(&line, Int32(h % UInt64(bucket)))
                j += 1
            }
        }
    }

    // MARK: file format

    static func read(_ r: inout BinaryReader, args: FastTextArgs) throws -> FastTextDictionary {
        let size = Int(try r.int32("dictionary size"))
        let nwords = Int(try r.int32("dictionary word count"))
        let nlabels = Int(try r.int32("dictionary label count"))
        let ntokens = try r.int64("dictionary token count")
        let pruneSize = try r.int64("dictionary prune index size")
        guard size >= 0, nwords >= 0, nlabels >= 0, nwords + nlabels == size, size < 100_000_000 else {
            throw ModelError(r.path, "dictionary header is inconsistent (\(size) entries, \(nwords) words, \(nlabels) labels)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(size)
        for i in 0..<size {
            let w = try r.cString("dictionary entry \(i)")
            let count = try r.int64("count of entry \(i)")
            let t = try r.uint8("type of entry \(i)")
            guard let type = EntryType(rawValue: t) else { throw ModelError(r.path, "dictionary entry \(i) has unknown type \(t)") }
            entries.append(Entry(word: w, count: count, type: type))
        }
        var prune: [Int32: Int32] = [:]
        if pruneSize > 0 {
            guard pruneSize < 1 << 31 else { throw ModelError(r.path, "prune index size \(pruneSize) is not plausible") }
            for _ in 0..<pruneSize {
                let a = try r.int32("prune index"), b = try r.int32("prune index")
                prune[a] = b
            }
        }
        return FastTextDictionary(entries: entries, nwords: nwords, nlabels: nlabels, ntokens: ntokens,
                                  pruneIndexSize: pruneSize, pruneIndex: prune, args: args)
    }

    func write(_ w: BinaryWriter) {
        w.int32(Int32(entries.count))
        w.int32(Int32(nwords))
        w.int32(Int32(nlabels))
        w.int64(ntokens)
        w.int64(pruneIndexSize)
        for e in entries {
            w.cString(e.word)
            w.int64(e.count)
            w.uint8(e.type.rawValue)
        }
        for (a, b) in pruneIndex.sorted(by: { $0.key < $1.key }) { w.int32(a); w.int32(b) }
    }

    /// Label counts, in label order (the hierarchical softmax tree is built from them).
    var labelCounts: [Int64] { entries[nwords...].map(\.count) }
}
