/// fastText's dictionary: words then labels (each sorted by count), with the exact hashing,
/// character n-gram and word n-gram features fastText computes, so that a line maps to the
/// same input rows as in the official library.
#if canImport(Glibc)
import Glibc
#endif

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
    /// Open addressing on fastText's own hash (already computed per token), so a lookup
    /// costs one probe and a byte compare instead of hashing the token again.
    private var slots: [Int32] = []
    private var mask = 0
    /// `pruneIndex` as open addressing (key, value pairs; key −1 empty): one multiply and a probe
    /// per character n-gram instead of hashing the key with SipHash.
    private var pruneTable: [Int32] = []
    private var pruneShift: UInt32 = 32

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
        var cap = 16
        while cap < entries.count * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (i, e) in entries.enumerated() {
            var j = Int(Self.hash(e.word)) & mask
            while slots[j] != -1 { j = (j + 1) & mask }
            slots[j] = Int32(i)
        }
        if !pruneIndex.isEmpty {
            var bits: UInt32 = 4
            while (1 << bits) < pruneIndex.count * 2 { bits += 1 }
            pruneShift = 32 - bits
            var table = [Int32](repeating: -1, count: 2 << bits)
            let m = (1 << bits) - 1
            for (k, v) in pruneIndex {
                var j = Int((UInt32(bitPattern: k) &* 0x9E37_79B1) >> pruneShift)
                while table[2 * j] != -1 { j = (j + 1) & m }
                table[2 * j] = k; table[2 * j + 1] = v
            }
            pruneTable = table
        }
        for i in 0..<self.entries.count {
            var sub: [Int32] = [Int32(i)]
            if self.entries[i].word != Self.eos { computeSubwords([Self.bow] + self.entries[i].word + [Self.eow], into: &sub) }
            self.entries[i].subwords = sub
        }
        eosID = id(of: Self.eos)
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

    public func id(of word: [UInt8]) -> Int32? {
        word.withUnsafeBufferPointer { lookup($0, hash: Self.hash($0)) }
    }

    @inline(__always) func lookup(_ token: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        var j = Int(hash) & mask
        while true {
            let e = slots[j]
            if e < 0 { return nil }
            let w = entries[Int(e)].word
            if w.count == token.count && w.withUnsafeBufferPointer({ memcmp($0.baseAddress!, token.baseAddress!, token.count) == 0 }) {
                return e
            }
            j = (j + 1) & mask
        }
    }

    public func label(_ i: Int) -> String { String(decoding: entries[nwords + i].word, as: UTF8.self) }

    func isLabel(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.count >= labelPrefix.count else { return false }
        for i in 0..<labelPrefix.count where token[i] != labelPrefix[i] { return false }
        return true
    }

    @inline(__always) func pushHash(_ out: inout [Int32], _ id: Int32) {
        if pruneIndexSize == 0 || id < 0 { return }
        let row = pruneTable.withUnsafeBufferPointer { Self.prunedRow(id, pruned: pruneIndexSize > 0, table: $0, shift: pruneShift) }
        if let row { out.append(Int32(nwords) + row) }
    }

    /// The n-gram row of bucket `id`: itself when the model is not pruned, else its kept index
    /// (nil when pruned away).
    @inline(__always) static func prunedRow(_ id: Int32, pruned: Bool, table: UnsafeBufferPointer<Int32>, shift: UInt32) -> Int32? {
        guard pruned else { return id }
        let m = table.count / 2 - 1
        guard m >= 0 else { return nil }
        var j = Int((UInt32(bitPattern: id) &* 0x9E37_79B1) >> shift)
        while true {
            let k = table[2 * j]
            if k == id { return table[2 * j + 1] }
            if k == -1 { return nil }
            j = (j + 1) & m
        }
    }

    /// Character n-grams of `<word>` (lengths minn...maxn in code points), hashed into buckets.
    /// The FNV hash is extended byte by byte as the n-gram grows, so no n-gram is materialised.
    func computeSubwords(_ word: [UInt8], into out: inout [Int32]) {
        word.withUnsafeBufferPointer { computeSubwords($0, into: &out) }
    }

    func computeSubwords(_ word: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        guard maxn > 0 else { return }
        let n = word.count
        let buckets = UInt32(bucket)
        // h % buckets by Lemire's multiply-shift (exact for 32-bit operands), and the pruned
        // index held as a pointer: a long unspaced (Chinese) line has three n-grams a character.
        let reciprocal = UInt64.max / UInt64(max(buckets, 1)) &+ 1
        @inline(__always) func remainder(_ h: UInt32) -> UInt32 {
            buckets == 1 ? 0 : UInt32(truncatingIfNeeded: (reciprocal &* UInt64(h)).multipliedFullWidth(by: UInt64(buckets)).high)
        }
        pruneTable.withUnsafeBufferPointer { prune in
            let pruned = pruneIndexSize > 0, shift = pruneShift, first = Int32(nwords)
            @inline(__always) func push(_ id: Int32) {
                if pruneIndexSize == 0 { return }
                if let row = Self.prunedRow(id, pruned: pruned, table: prune, shift: shift) { out.append(first + row) }
            }
            for i in 0..<n {
                if word[i] & 0xC0 == 0x80 { continue }
                var h: UInt32 = 2_166_136_261
                var j = i, len = 1
                while j < n && len <= maxn {
                    h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: word[j])))) &* 16_777_619
                    j += 1
                    while j < n && word[j] & 0xC0 == 0x80 {
                        h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: word[j])))) &* 16_777_619
                        j += 1
                    }
                    if len >= minn && !(len == 1 && (i == 0 || j == n)) {
                        push(Int32(bitPattern: remainder(h)))
                    }
                    len += 1
                }
            }
        }
    }

    /// `<token>` for an out-of-vocabulary token, in a reused buffer.
    private func subwordsOfUnknown(_ token: UnsafeBufferPointer<UInt8>, into out: inout [Int32], scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(Self.bow)
        scratch.append(contentsOf: token)
        scratch.append(Self.eow)
        scratch.withUnsafeBufferPointer { computeSubwords($0, into: &out) }
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
        var wrapped: [UInt8] = []
        var ntokens = 0
        var i = consumed
        let n = text.count
        let base = text.baseAddress!
        let eos = Self.eos
        while true {
            // readWord: skip separators; a newline before any byte is the token </s>; the
            // separator after a token (a newline too) is read again next time.
            var start = i, end = i
            var atEOS = false
            while i < n {
                let c = text[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0 {
                    if end == start {
                        i += 1
                        if c == 0x0A { atEOS = true; break }
                        start = i; end = i
                        continue
                    }
                    break
                }
                i += 1
                end = i
            }
            if !atEOS && end == start { break }
            ntokens += 1
            let isEOS = atEOS || (end - start == 4 && memcmp(base + start, eos, 4) == 0)
            let token = atEOS ? nil : UnsafeBufferPointer(start: base + start, count: end - start)
            let h = token.map { Self.hash($0) } ?? Self.eosHash
            let wid = token.map { lookup($0, hash: h) } ?? eosID
            let isLabelToken = wid.map { Int($0) >= nwords } ?? (token.map { isLabel($0) } ?? false)
            if !isLabelToken {
                if let wid {
                    if maxn <= 0 { words.append(wid) } else { words.append(contentsOf: entries[Int(wid)].subwords) }
                } else if !isEOS, let token {
                    subwordsOfUnknown(token, into: &words, scratch: &wrapped)
                }
                wordHashes.append(Int32(bitPattern: h))
            } else if let wid {
                labels.append(wid - Int32(nwords))
            }
            if isEOS { break }  // a literal "</s>" ends the line too, as in fastText
        }
        consumed = i
        addWordNgrams(&words, wordHashes)
        return ntokens
    }

    static let eosHash = hash(eos)
    private var eosID: Int32?

    func addWordNgrams(_ line: inout [Int32], _ hashes: [Int32]) {
        guard wordNgrams > 1, bucket > 0, pruneIndexSize != 0 else { return }  // no n-gram rows
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
        // Each entry takes at least 10 bytes (NUL, count, type), each prune pair 8: sizes the
        // rest of the file cannot hold are damage, found before anything is allocated for them.
        guard size >= 0, nwords >= 0, nlabels >= 0, nwords + nlabels == size, size <= r.remaining / 10 else {
            throw ModelError(r.path, "dictionary: header is inconsistent (\(size) entries, \(nwords) words, \(nlabels) labels, \(r.remaining) bytes left)")
        }
        guard pruneSize >= -1, pruneSize <= Int64(r.remaining / 8) else {
            throw ModelError(r.path, "dictionary: prune index size \(pruneSize) does not fit the \(r.remaining) bytes left")
        }
        // Feature rows are Int32: the last n-gram row must fit.
        guard nwords + max(args.bucket, Int(pruneSize)) <= Int(Int32.max) else {
            throw ModelError(r.path, "dictionary: \(nwords) words and \(max(args.bucket, Int(pruneSize))) n-gram rows overflow the row index")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(size)
        for i in 0..<size {
            let w = try r.cString("dictionary entry \(i)")
            let count = try r.int64("count of entry \(i)")
            let t = try r.uint8("type of entry \(i)")
            guard let type = EntryType(rawValue: t) else { throw ModelError(r.path, "dictionary entry \(i): unknown type \(t)") }
            // fastText stores the words first, then the labels.
            guard type == (i < nwords ? .word : .label) else {
                throw ModelError(r.path, "dictionary entry \(i): a \(type) where \(i < nwords ? "words" : "labels") are expected")
            }
            guard count >= 0 else { throw ModelError(r.path, "dictionary entry \(i): negative count \(count)") }
            entries.append(Entry(word: w, count: count, type: type))
        }
        var prune: [Int32: Int32] = [:]
        if pruneSize > 0 {
            prune.reserveCapacity(Int(pruneSize))
            for j in 0..<Int(pruneSize) {
                let key = try r.int32("prune index key \(j)"), row = try r.int32("prune index row \(j)")
                // Keys are n-gram buckets; rows index the pruneSize n-gram rows after the words.
                guard key >= 0, Int(key) < max(args.bucket, 1), row >= 0, Int64(row) < pruneSize else {
                    throw ModelError(r.path, "dictionary: prune index pair \(j) (\(key) → \(row)) is out of range (\(args.bucket) buckets, \(pruneSize) rows)")
                }
                prune[key] = row
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
