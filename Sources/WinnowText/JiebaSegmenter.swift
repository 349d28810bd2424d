import CICUShim
import Synchronization
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// jieba 0.42's default cut (`jieba.cut(text)`: accurate mode, HMM on for unknown words), what
/// MAP-CC's R3 measures words with. Built from jieba's own files in its package directory:
/// `dict.txt` (word, frequency, tag) and `finalseg/prob_{start,trans,emit}.py` (the HMM).
///
/// jieba's steps, as its code does them, on code points:
/// 1. Runs of `[\u4E00-\u9FD5a-zA-Z0-9+#&._%-]` are cut by the dictionary; outside them every
///    whitespace character (or `\r\n`) and every other character is a token of its own.
/// 2. Dictionary cut of a run: for each start, the dictionary words beginning there (a walk of
///    the prefix dictionary); the route that maximises the sum of log(freq / total), ties to
///    the longer word; a single character no word starts with weighs log(1 / total).
/// 3. Consecutive single characters of that route are gathered; two or more that are not
///    themselves a dictionary word go to the HMM (Viterbi over B/M/E/S on runs of
///    `[\u4E00-\u9FD5]`, other runs split around `[a-zA-Z0-9]+(\.\d+)?%?`).
public final class JiebaDictionary: Sendable {
    /// The prefix trie, one 64-bit slot per node in open-addressing tables keyed by (parent,
    /// character), so a step of a walk is one memory access that finds the child and tells what
    /// it is. A node's id is its slot index + 1 (0: the root, or none). Slot bits: 0–21 the
    /// parent's id, 22–37 the character's index (`charIndex`), 38–54 the index of the node's
    /// weight (0: a prefix only), 55–62 a signature of its children's characters (one of 8 bits
    /// per character, so most walks stop without a lookup), 63 whether a longer word continues
    /// it. 0 is an empty slot.
    /// The first `hotSlots` slots are a small table (256 KiB, it stays in cache) of the 16,384
    /// prefixes whose words are most frequent, where most steps in real text end; the rest,
    /// behind `edgeFilter`, hold the others.
    let slots: [UInt64]
    let hotSlots: Int, coldShift: Int
    static let hotLog2 = 15
    /// Per BMP first character: its node id in bits 0–21 (0: no word starts with it) and its
    /// slot's weight and children bits, so the first step of every walk stays out of the table.
    let rootEntry: [UInt64]
    /// Dense index (from 1) of each BMP character in the dictionary, 0 for the others; the few
    /// characters beyond the BMP in `extraChars`.
    let charIndex: [UInt16]
    let extraChars: [UInt32: UInt16]
    /// One bit per (parent, character) key hash, set for every edge: most walks end on a
    /// character that continues no word, and this 512 KiB filter (it stays in cache) answers
    /// those without touching the 8 MiB table.
    let edgeFilter: [UInt64]
    static let filterBits = 22
    /// log(freq) − log(total) of each distinct frequency.
    let weights: [Double]
    let missingWeight: Double
    let hmm: JiebaHMM

    static let maxNodes = 1 << 20  // at most 2^21 + 2^15 slots, so ids fit 22 bits
    static let keyMask: UInt64 = 1 << 38 - 1

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String), malformed(String, Int, String), tooLarge(String)
        public var description: String {
            switch self {
            case .missing(let p): return "cannot read \(p) (give the directory of the installed jieba package: dict.txt and finalseg/)"
            case .malformed(let p, let line, let why): return "\(p):\(line): \(why)"
            case .tooLarge(let p): return "\(p): more than \(JiebaDictionary.maxNodes) dictionary prefixes, 65,535 distinct characters or 131,071 distinct frequencies"
            }
        }
    }

    /// Loads `DIR/dict.txt` and `DIR/finalseg/prob_*.py`.
    public convenience init(directory: String) throws {
        let dictPath = directory + "/dict.txt"
        guard let dict = readFileBytes(dictPath) else { throw LoadError.missing(dictPath) }
        let hmm = try JiebaHMM(directory: directory + "/finalseg")
        try self.init(dictionary: dict, path: dictPath, hmm: hmm)
    }

    init(dictionary bytes: [UInt8], path: String, hmm: JiebaHMM) throws {
        // First a plain trie (node ids in creation order, so parents come before children) ...
        var lines = 0
        for b in bytes where b == 0x0A { lines += 1 }
        var builder = TrieBuilder(expectedNodes: lines * 3 / 2 + 16)
        var total = 0
        var line = 0
        var i = 0
        var charIndex = [UInt16](repeating: 0, count: 0x10000)
        var extraChars: [UInt32: UInt16] = [:]
        var distinctChars = 0
        var word: [UInt32] = []
        word.reserveCapacity(32)
        while i < bytes.count {
            line += 1
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            // Python's bytes.strip(): ASCII whitespace at both ends; then word and frequency are
            // the first two fields split on single spaces.
            var a = i, b = end
            while a < b && Self.isASCIISpace(bytes[a]) { a += 1 }
            while b > a && Self.isASCIISpace(bytes[b - 1]) { b -= 1 }
            i = end + 1
            var sp = a
            while sp < b && bytes[sp] != 0x20 { sp += 1 }
            var fe = sp + 1
            while fe < b && bytes[fe] != 0x20 { fe += 1 }
            guard sp < b, let freq = Self.parseInt(bytes, sp + 1, min(fe, b)) else {
                throw LoadError.malformed(path, line, "expected `word frequency [tag]`")
            }
            word.removeAll(keepingCapacity: true)
            Self.decode(bytes, a, sp, into: &word)
            guard !word.isEmpty else { throw LoadError.malformed(path, line, "empty word") }
            total += freq
            for c in word {
                if c < 0x10000 ? charIndex[Int(c)] != 0 : extraChars[c] != nil { continue }
                distinctChars += 1
                guard distinctChars <= 0xFFFF else { throw LoadError.tooLarge(path) }
                if c < 0x10000 { charIndex[Int(c)] = UInt16(distinctChars) } else { extraChars[c] = UInt16(distinctChars) }
            }
            guard builder.insert(word, freq: freq) else { throw LoadError.tooLarge(path) }
        }
        // ... then packed: each node into the slot its (parent, character) hashes to, the nodes
        // under the most frequent words first (a parent's words include its children's, so
        // parents still come before their children), half a table's worth into the hot one.
        let logTotal = log(Double(total))
        var weightOf: [Int: UInt64] = [:]
        var weights = [0.0]
        let count = builder.parents.count
        var under = builder.freqs
        for old in stride(from: count - 1, to: 0, by: -1) { under[Int(builder.parents[old])] += under[old] }
        // Most frequent first, then by id: one sort of packed (clamped) keys.
        let cap = 1 << 43 - 1
        var packed = [UInt64](repeating: 0, count: count - 1)
        for id in 1..<count { packed[id - 1] = UInt64(cap - min(under[id], cap)) << 21 | UInt64(id) }
        packed.sort()
        let order = packed.map { Int($0 & 0x1F_FFFF) }
        var signature = [UInt8](repeating: 0, count: count)
        for old in 1..<count {
            let c = builder.chars[old]
            signature[Int(builder.parents[old])] |= Self.signatureBit(c < 0x10000 ? charIndex[Int(c)] : extraChars[c]!)
        }
        let hotSlots = 1 << Self.hotLog2
        var coldLog2 = 4
        while (1 << coldLog2) < count * 2 { coldLog2 += 1 }
        var slots = [UInt64](repeating: 0, count: hotSlots + 1 << coldLog2)
        let coldShift = 64 - coldLog2
        var newID = [UInt32](repeating: 0, count: count)
        var rootEntry = [UInt64](repeating: 0, count: 0x10000)
        var filter = [UInt64](repeating: 0, count: 1 << (Self.filterBits - 6))
        for (rank, old) in order.enumerated() {
            let c = builder.chars[old], freq = builder.freqs[old]
            let ci = UInt64(c < 0x10000 ? charIndex[Int(c)] : extraChars[c]!)
            let key = UInt64(newID[Int(builder.parents[old])]) | ci << 22
            var w: UInt64 = 0
            if freq > 0 {
                if let k = weightOf[freq] { w = k } else {
                    w = UInt64(weights.count); weightOf[freq] = w; weights.append(log(Double(freq)) - logTotal)
                }
            }
            var at: Int
            if rank < hotSlots / 2 {
                at = Self.home(key, 64 - Self.hotLog2)
                while slots[at] != 0 { at = (at + 1) & (hotSlots - 1) }
            } else {
                var k = Self.home(key, coldShift)
                while slots[hotSlots + k] != 0 { k = (k + 1) & (1 << coldLog2 - 1) }
                at = hotSlots + k
                let bit = Self.filterBit(key)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            guard w < 1 << 17 else { throw LoadError.tooLarge(path) }
            slots[at] = key | w << 38 | UInt64(signature[old]) << 55 | (builder.hasChildren[old] ? 1 << 63 : 0)
            newID[old] = UInt32(at + 1)
            if builder.parents[old] == 0 && c < 0x10000 { rootEntry[Int(c)] = slots[at] & ~Self.keyMask | UInt64(at + 1) }
        }
        self.slots = slots
        self.hotSlots = hotSlots
        self.coldShift = coldShift
        edgeFilter = filter
        self.rootEntry = rootEntry
        self.charIndex = charIndex
        self.extraChars = extraChars
        self.weights = weights
        // `log(FREQ.get(c) or 1) - logtotal` for a character no word starts with.
        missingWeight = log(1.0) - logTotal
        self.hmm = hmm
    }

    /// The bit a character sets in its parent's children signature.
    @inline(__always) static func signatureBit(_ ci: UInt16) -> UInt8 {
        1 << UInt8(truncatingIfNeeded: (UInt64(ci) &* 0x9E37_79B9_7F4A_7C15) >> 61)
    }

    @inline(__always) static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// A decimal integer (optional sign) in bytes[a..<b], as Python's int() reads one.
    static func parseInt(_ bytes: [UInt8], _ a: Int, _ b: Int) -> Int? {
        var i = a
        var negative = false
        if i < b && (bytes[i] == 0x2B || bytes[i] == 0x2D) { negative = bytes[i] == 0x2D; i += 1 }
        guard i < b else { return nil }
        var v = 0
        while i < b {
            let d = Int(bytes[i]) - 0x30
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            v = r
            i += 1
        }
        return negative ? -v : v
    }

    /// Appends the code points of the UTF-8 in bytes[a..<b] (a broken sequence as U+FFFD).
    static func decode(_ bytes: [UInt8], _ a: Int, _ b: Int, into out: inout [UInt32]) {
        var i = a
        while i < b {
            let c = bytes[i]
            let (length, initial): (Int, UInt32) = c < 0x80 ? (1, UInt32(c)) : c < 0xE0 ? (2, UInt32(c & 0x1F)) : c < 0xF0 ? (3, UInt32(c & 0x0F)) : (4, UInt32(c & 0x07))
            guard c < 0x80 || (c >= 0xC2 && i + length <= b) else { out.append(0xFFFD); i += 1; continue }
            var v = initial
            var ok = true
            for k in 1..<max(length, 1) where ok {
                let t = bytes[i + k]
                if t & 0xC0 != 0x80 { ok = false } else { v = v << 6 | UInt32(t & 0x3F) }
            }
            if ok { out.append(v); i += length } else { out.append(0xFFFD); i += 1 }
        }
    }

    @inline(__always) static func home(_ key: UInt64, _ shift: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    @inline(__always) static func filterBit(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - filterBits))
    }

    /// The lookup tables, as pointers for the hot loops.
    struct Tables {
        let slots: UnsafeBufferPointer<UInt64>
        let hotSlots: Int, coldShift: Int
        let charIndex: UnsafeBufferPointer<UInt16>
        let filter: UnsafeBufferPointer<UInt64>
        let extra: [UInt32: UInt16]

        /// The child of `node` by `c` (0: none) and its slot.
        @inline(__always) func child(_ node: UInt32, _ c: UInt32) -> (UInt32, UInt64) {
            let ci = c < 0x10000 ? charIndex[Int(c)] : (extra[c] ?? 0)
            if ci == 0 { return (0, 0) }
            return child(node, index: ci)
        }

        /// Fetches the lines `child(node, index:)` will read.
        @inline(__always) func prefetch(_ node: UInt32, index ci: UInt16) {
            let key = UInt64(node) | UInt64(ci) << 22
            guard let base = slots.baseAddress, let bits = filter.baseAddress else { return }
            cicu_prefetch(base + home(key, 64 - hotLog2))
            cicu_prefetch(bits + (filterBit(key) >> 6))
            cicu_prefetch(base + hotSlots + home(key, coldShift))
        }

        /// The same, from the character's index (not 0).
        @inline(__always) func child(_ node: UInt32, index ci: UInt16) -> (UInt32, UInt64) {
            let key = UInt64(node) | UInt64(ci) << 22
            var at = home(key, 64 - hotLog2)
            while true {
                let slot = slots[at]
                if slot == 0 { break }
                if slot & keyMask == key { return (UInt32(at + 1), slot) }
                at = (at + 1) & (hotSlots - 1)
            }
            let bit = filterBit(key)
            if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return (0, 0) }
            let mask = slots.count - hotSlots - 1
            var k = home(key, coldShift)
            while true {
                let slot = slots[hotSlots + k]
                if slot == 0 { return (0, 0) }
                if slot & keyMask == key { return (UInt32(hotSlots + k + 1), slot) }
                k = (k + 1) & mask
            }
        }
    }

    func withTables<R>(_ body: (Tables) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            charIndex.withUnsafeBufferPointer { charIndex in
                edgeFilter.withUnsafeBufferPointer { filter in
                    body(Tables(slots: slots, hotSlots: hotSlots, coldShift: coldShift, charIndex: charIndex, filter: filter, extra: extraChars))
                }
            }
        }
    }

    /// Whether `s` is a dictionary word with a positive frequency (`FREQ.get(buf)` truthy).
    func isWord(_ s: UnsafeBufferPointer<UInt32>) -> Bool {
        withTables { t in
            var node: UInt32 = 0, slot: UInt64 = 0
            for c in s {
                (node, slot) = t.child(node, c)
                if node == 0 { return false }
            }
            return (slot >> 38) & 0x1_FFFF != 0
        }
    }

    /// The same directory loaded once per process.
    public static func shared(directory: String) throws -> JiebaDictionary {
        if let d = cache.withLock({ $0[directory] }) { return d }
        let d = try JiebaDictionary(directory: directory)
        cache.withLock { $0[directory] = d }
        return d
    }
    private static let cache = Mutex<[String: JiebaDictionary]>([:])
}

/// A plain trie while the dictionary is read: per node its parent, character, frequency and
/// whether it has children; edges (parent << 21 | character → child) in an open-addressing
/// table, grown as it fills.
struct TrieBuilder {
    var parents: [UInt32] = [0], chars: [UInt32] = [0], freqs: [Int] = [0], hasChildren: [Bool] = [false]
    private var keys: [UInt64]
    private var children: [UInt32]

    init(expectedNodes: Int) {
        var size = 1 << 10
        while size < expectedNodes * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        children = [UInt32](repeating: 0, count: size)
        parents.reserveCapacity(expectedNodes); chars.reserveCapacity(expectedNodes)
        freqs.reserveCapacity(expectedNodes); hasChildren.reserveCapacity(expectedNodes)
    }

    /// Adds `word` (its last frequency wins, as in a Python dict); false past the size limit.
    mutating func insert(_ word: [UInt32], freq: Int) -> Bool {
        var node: UInt32 = 0
        for c in word {
            let key = UInt64(node) << 21 | UInt64(c) | 1 << 63  // never 0, the empty key
            var at = slot(key)
            if keys[at] == key { node = children[at]; continue }
            guard parents.count < JiebaDictionary.maxNodes else { return false }
            let next = UInt32(parents.count)
            parents.append(node); chars.append(c); freqs.append(0); hasChildren.append(false)
            hasChildren[Int(node)] = true
            if parents.count * 2 > keys.count { grow(); at = slot(key) }
            keys[at] = key
            children[at] = next
            node = next
        }
        freqs[Int(node)] = freq
        return true
    }

    /// Where `key` is, or the empty slot where it would go.
    private func slot(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var at = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while keys[at] != 0 && keys[at] != key { at = (at + 1) & mask }
        return at
    }

    private mutating func grow() {
        let (oldKeys, oldChildren) = (keys, children)
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        children = [UInt32](repeating: 0, count: oldKeys.count * 2)
        for (k, c) in zip(oldKeys, oldChildren) where k != 0 {
            let at = slot(k)
            keys[at] = k
            children[at] = c
        }
    }
}

/// jieba's `finalseg` HMM: start, transition and emission log-probabilities of the states
/// B, E, M, S (indexed in that, alphabetical, order, which is how Python's `max` over
/// `(prob, state)` tuples breaks ties).
struct JiebaHMM: Sendable {
    static let minFloat = -3.14e100
    static let hanLow: UInt32 = 0x4E00, hanHigh: UInt32 = 0x9FD5
    var start = [Double](repeating: minFloat, count: 4)
    var trans = [Double](repeating: minFloat, count: 16)  // [from * 4 + to]
    /// Per Han character (U+4E00–U+9FD5, the only ones the HMM sees) and state: [c * 4 + state].
    var emit = [Double](repeating: minFloat, count: Int(hanHigh - hanLow + 1) * 4)

    static func state(_ c: UInt32) -> Int? {
        switch c { case 0x42: return 0; case 0x45: return 1; case 0x4D: return 2; case 0x53: return 3; default: return nil }
    }

    init(directory: String) throws {
        func load(_ name: String) throws -> [(String, [(UInt32, Double)])] {
            let path = directory + "/" + name
            guard let bytes = readFileBytes(path) else { throw JiebaDictionary.LoadError.missing(path) }
            guard let d = PythonDictLiteral.parse(bytes) else { throw JiebaDictionary.LoadError.malformed(path, 0, "not a dict literal `P={...}`") }
            return d
        }
        for (s, entries) in try load("prob_start.py") {
            guard let k = Self.state(Scalars.of(s).first ?? 0), let v = entries.first else { continue }
            start[k] = v.1
        }
        for (s, entries) in try load("prob_trans.py") {
            guard let from = Self.state(Scalars.of(s).first ?? 0) else { continue }
            for (c, v) in entries { if let to = Self.state(c) { trans[from * 4 + to] = v } }
        }
        for (s, entries) in try load("prob_emit.py") {
            guard let st = Self.state(Scalars.of(s).first ?? 0) else { continue }
            for (c, v) in entries where c >= Self.hanLow && c <= Self.hanHigh { emit[Int(c - Self.hanLow) * 4 + st] = v }
        }
    }
}

/// Just enough of Python's literal syntax for jieba's `P={...}` files: string keys (with
/// `\uXXXX` escapes) mapping to floats or to dicts of one-character string → float.
enum PythonDictLiteral {
    /// Outer keys in file order; a float value comes back as one entry keyed 0.
    static func parse(_ b: [UInt8]) -> [(String, [(UInt32, Double)])]? {
        var i = 0
        // Skip to `P=`'s opening brace (after any `from __future__` line).
        guard let eq = firstIndex(b, of: "P", "=") else { return nil }
        i = eq + 2
        func skipSpace() { while i < b.count && (b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 || b[i] == 0x2C) { i += 1 } }
        func string() -> [UInt32]? {
            guard i < b.count, b[i] == 0x27 || b[i] == 0x22 else { return nil }
            let quote = b[i]
            i += 1
            var raw: [UInt8] = []
            var out: [UInt32] = []
            while i < b.count && b[i] != quote {
                if b[i] == 0x5C, i + 5 < b.count, b[i + 1] == 0x75, let v = UInt32(String(decoding: b[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) {
                    out += raw.withUnsafeBufferPointer { Scalars.decode($0) }; raw.removeAll()
                    out.append(v)
                    i += 6
                } else {
                    raw.append(b[i]); i += 1
                }
            }
            out += raw.withUnsafeBufferPointer { Scalars.decode($0) }
            i += 1
            return out
        }
        func number() -> Double? {
            let s = i
            while i < b.count, let c = Optional(b[i]), (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 { i += 1 }
            return Double(String(decoding: b[s..<i], as: UTF8.self))
        }
        skipSpace()
        guard i < b.count, b[i] == 0x7B else { return nil }
        i += 1
        var out: [(String, [(UInt32, Double)])] = []
        while true {
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == 0x7D { return out }
            guard let key = string() else { return nil }
            skipSpace()
            guard i < b.count, b[i] == 0x3A else { return nil }
            i += 1
            skipSpace()
            var entries: [(UInt32, Double)] = []
            if i < b.count && b[i] == 0x7B {
                i += 1
                while true {
                    skipSpace()
                    guard i < b.count else { return nil }
                    if b[i] == 0x7D { i += 1; break }
                    guard let k = string(), k.count == 1 else { return nil }
                    skipSpace()
                    guard i < b.count, b[i] == 0x3A else { return nil }
                    i += 1
                    skipSpace()
                    guard let v = number() else { return nil }
                    entries.append((k[0], v))
                }
            } else {
                guard let v = number() else { return nil }
                entries.append((0, v))
            }
            out.append((Scalars.string(key[...]), entries))
        }
    }

    private static func firstIndex(_ b: [UInt8], of a: Character, _ c: Character) -> Int? {
        let x = a.asciiValue!, y = c.asciiValue!
        var i = 0
        while i + 1 < b.count {
            if b[i] == x && b[i + 1] == y && (i == 0 || b[i - 1] == 0x0A) { return i }
            i += 1
        }
        return nil
    }
}

/// Receives the end of each token in order (tokens cover the text without gaps).
protocol JiebaTokenSink {
    mutating func word(_ end: Int)
    mutating func whitespace(_ end: Int)
}

struct TokenEnds: JiebaTokenSink {
    var ends: [Int32]
    mutating func word(_ end: Int) { ends.append(Int32(end)) }
    mutating func whitespace(_ end: Int) { ends.append(Int32(end)) }
}

/// Counts the tokens that are not whitespace, and their characters.
struct WordCount: JiebaTokenSink {
    var last = 0, words = 0, chars = 0
    @inline(__always) mutating func word(_ end: Int) { words += 1; chars += end - last; last = end }
    @inline(__always) mutating func whitespace(_ end: Int) { last = end }
}

/// A jieba cut with reusable scratch space (one per thread of work; the dictionary is shared).
public struct JiebaSegmenter {
    public let dictionary: JiebaDictionary
    private var routeScore: [Double] = []
    private var routeEnd: [Int32] = []
    private var viterbiBack: [UInt8] = []

    public init(dictionary: JiebaDictionary) { self.dictionary = dictionary }

    @inline(__always) public static func inDictionaryRun(_ c: UInt32) -> Bool {
        // [\u4E00-\u9FD5a-zA-Z0-9+#&._%-]
        if c >= 0x4E00 { return c <= 0x9FD5 }
        if c >= 0x80 { return false }
        return (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x2B || c == 0x23 || c == 0x26 || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2D
    }

    /// The tokens of `text`, as `jieba.lcut(text)` gives them.
    public mutating func tokens(_ text: String) -> [String] {
        let s = Scalars.of(text)
        var sink = TokenEnds(ends: [])
        s.withUnsafeBufferPointer { cut($0, into: &sink) }
        var out: [String] = []
        var start = 0
        for e in sink.ends { out.append(Scalars.string(s[start..<Int(e)])); start = Int(e) }
        return out
    }

    /// Words (tokens that are not whitespace) and their characters: what R3 averages.
    public mutating func wordStats(_ s: UnsafeBufferPointer<UInt32>) -> (words: Int, chars: Int) {
        var count = WordCount()
        cut(s, into: &count)
        return (count.words, count.chars)
    }

    /// The tokens of `s`, in order, to `sink`.
    mutating func cut<Sink: JiebaTokenSink>(_ s: UnsafeBufferPointer<UInt32>, into sink: inout Sink) {
        var i = 0
        let n = s.count
        let cc = CharClass.local
        while i < n {
            if Self.inDictionaryRun(s[i]) {
                var j = i + 1
                while j < n && Self.inDictionaryRun(s[j]) { j += 1 }
                cutRun(s, i, j, into: &sink)
                i = j
            } else if cc.of(s[i]) & CharClass.space != 0 {
                // `\r\n` is one token, any other whitespace character one of its own.
                i += (s[i] == 0x0D && i + 1 < n && s[i + 1] == 0x0A) ? 2 : 1
                sink.whitespace(i)
            } else {
                i += 1
                sink.word(i)
            }
        }
    }

    /// The dictionary cut of s[lo..<hi], with unknown stretches handed to the HMM.
    private mutating func cutRun<Sink: JiebaTokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, into sink: inout Sink) {
        let n = hi - lo
        if routeScore.count < n + 1 {
            routeScore = [Double](repeating: 0, count: n + 1)
            routeEnd = [Int32](repeating: 0, count: n + 1)
        }
        let d = dictionary
        d.withTables { t in
        d.rootEntry.withUnsafeBufferPointer { root in
        d.weights.withUnsafeBufferPointer { weights in
        routeScore.withUnsafeMutableBufferPointer { score in
        routeEnd.withUnsafeMutableBufferPointer { routeEnd in
            score[n] = 0
            var k = n - 1
            while k >= 0 {
                // The second step of the walk a few positions on (the walks go right to left):
                // its table lines are fetched now, so that the misses overlap.
                if k >= 4 {
                    let p = lo + k - 4
                    if s[p] < 0x10000 && s[p + 1] < 0x10000 {
                        let entry = root[Int(s[p])]
                        let ci = t.charIndex[Int(s[p + 1])]
                        if entry >> 63 != 0 && ci != 0 && UInt8(truncatingIfNeeded: entry >> 55) & JiebaDictionary.signatureBit(ci) != 0 {
                            t.prefetch(UInt32(truncatingIfNeeded: entry & 0x3F_FFFF), index: ci)
                        }
                    }
                }
                // Words starting at k (the DAG row), best by score then by end.
                var best = -Double.infinity, bestEnd = -1
                let c0 = s[lo + k]
                var node: UInt32, slot: UInt64
                if c0 < 0x10000 {
                    slot = root[Int(c0)]
                    node = UInt32(truncatingIfNeeded: slot & 0x3F_FFFF)
                } else {
                    (node, slot) = t.child(0, c0)
                }
                var x = k
                while node != 0 {
                    let w = Int(truncatingIfNeeded: (slot >> 38) & 0x1_FFFF)
                    if w != 0 {
                        let v = weights[w] + score[x + 1]
                        if v >= best { best = v; bestEnd = x }
                    }
                    x += 1
                    if x >= n || slot >> 63 == 0 { break }
                    let c = s[lo + x]
                    let ci = c < 0x10000 ? t.charIndex[Int(c)] : (t.extra[c] ?? 0)
                    if ci == 0 || UInt8(truncatingIfNeeded: slot >> 55) & JiebaDictionary.signatureBit(ci) == 0 { break }
                    (node, slot) = t.child(node, index: ci)
                }
                if bestEnd < 0 { best = d.missingWeight + score[k + 1]; bestEnd = k }
                score[k] = best
                routeEnd[k] = Int32(bestEnd)
                k -= 1
            }
        }}}}}
        // Walk the route; runs of single characters are gathered into `buf`.
        var x = 0
        var bufStart = -1
        while x < n {
            let y = Int(routeEnd[x]) + 1
            if y - x == 1 {
                if bufStart < 0 { bufStart = x }
            } else {
                if bufStart >= 0 { flush(s, lo + bufStart, lo + x, into: &sink); bufStart = -1 }
                sink.word(lo + y)
            }
            x = y
        }
        if bufStart >= 0 { flush(s, lo + bufStart, lo + n, into: &sink) }
    }

    /// A run of single-character route steps: one token if one character; each character if
    /// the run is itself a dictionary word; otherwise the HMM's cut.
    private mutating func flush<Sink: JiebaTokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, into sink: inout Sink) {
        if hi - lo == 1 { sink.word(hi); return }
        if dictionary.isWord(UnsafeBufferPointer(rebasing: s[lo..<hi])) {
            for e in (lo + 1)...hi { sink.word(e) }
            return
        }
        // finalseg.cut: Han runs through Viterbi; the rest split around [a-zA-Z0-9]+(\.\d+)?%?.
        var i = lo
        while i < hi {
            if s[i] >= JiebaHMM.hanLow && s[i] <= JiebaHMM.hanHigh {
                var j = i + 1
                while j < hi && s[j] >= JiebaHMM.hanLow && s[j] <= JiebaHMM.hanHigh { j += 1 }
                viterbi(s, i, j, into: &sink)
                i = j
                continue
            }
            var j = i
            while j < hi && !(s[j] >= JiebaHMM.hanLow && s[j] <= JiebaHMM.hanHigh) { j += 1 }
            splitAlnum(s, i, j, into: &sink)
            i = j
        }
    }

    @inline(__always) static func isAlnum(_ c: UInt32) -> Bool { (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) }
    @inline(__always) static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `re.split("([a-zA-Z0-9]+(?:\.\d+)?%?)", block)`, empty pieces dropped.
    private func splitAlnum<Sink: JiebaTokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, into sink: inout Sink) {
        var i = lo
        var pieceStart = lo
        while i < hi {
            guard Self.isAlnum(s[i]) else { i += 1; continue }
            if i > pieceStart { sink.word(i) }
            var j = i + 1
            while j < hi && Self.isAlnum(s[j]) { j += 1 }
            if j + 1 < hi && s[j] == 0x2E && Self.isDigit(s[j + 1]) {
                j += 2
                while j < hi && Self.isDigit(s[j]) { j += 1 }
            }
            if j < hi && s[j] == 0x25 { j += 1 }
            sink.word(j)
            i = j
            pieceStart = j
        }
        if hi > pieceStart { sink.word(hi) }
    }

    /// finalseg's Viterbi over B/E/M/S on the Han run s[lo..<hi], then its cut: a word ends at
    /// each E (from the last B) and at each S; anything left after the last is one word.
    private mutating func viterbi<Sink: JiebaTokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, into sink: inout Sink) {
        let n = hi - lo
        if viterbiBack.count < n * 4 { viterbiBack = [UInt8](repeating: 0, count: n * 4) }
        let hmm = dictionary.hmm
        var (vB, vE, vM, vS) = (0.0, 0.0, 0.0, 0.0)
        hmm.emit.withUnsafeBufferPointer { emit in
        hmm.trans.withUnsafeBufferPointer { tr in
        viterbiBack.withUnsafeMutableBufferPointer { back in
            var c = Int(s[lo] - JiebaHMM.hanLow) * 4
            vB = hmm.start[0] + emit[c]; vE = hmm.start[1] + emit[c + 1]
            vM = hmm.start[2] + emit[c + 2]; vS = hmm.start[3] + emit[c + 3]
            // Each state from its two predecessors (B ← E,S; E ← B,M; M ← B,M; S ← E,S), the
            // sums in jieba's order; on a tie Python's max over (prob, state) takes the later
            // letter, here the second of each pair.
            @inline(__always) func best(_ l: Double, _ li: UInt8, _ h: Double, _ hi: UInt8) -> (Double, UInt8) { h >= l ? (h, hi) : (l, li) }
            var t = 1
            while t < n {
                c = Int(s[lo + t] - JiebaHMM.hanLow) * 4
                let (b, fb) = best(vE + tr[1 * 4 + 0] + emit[c], 1, vS + tr[3 * 4 + 0] + emit[c], 3)
                let (e, fe) = best(vB + tr[0 * 4 + 1] + emit[c + 1], 0, vM + tr[2 * 4 + 1] + emit[c + 1], 2)
                let (m, fm) = best(vB + tr[0 * 4 + 2] + emit[c + 2], 0, vM + tr[2 * 4 + 2] + emit[c + 2], 2)
                let (z, fz) = best(vE + tr[1 * 4 + 3] + emit[c + 3], 1, vS + tr[3 * 4 + 3] + emit[c + 3], 3)
                back[t * 4] = fb; back[t * 4 + 1] = fe; back[t * 4 + 2] = fm; back[t * 4 + 3] = fz
                (vB, vE, vM, vS) = (b, e, m, z)
                t += 1
            }
            // The last state is E or S (S on a tie); walking back, a word ends at each E or S
            // (words are contiguous: after the first state every path is B/M…E or S).
            var state = vE > vS ? 1 : 3
            t = n - 1
            while t >= 0 {
                if state == 1 || state == 3 { back[t * 4] |= 0x80 } else { back[t * 4] &= 0x7F }
                if t > 0 { state = Int(back[t * 4 + state] & 0x7F) }
                t -= 1
            }
            var nexti = 0
            for i in 0..<n where back[i * 4] & 0x80 != 0 {
                sink.word(lo + i + 1); nexti = i + 1
            }
            if nexti < n { sink.word(hi) }
        }}}
    }

}
