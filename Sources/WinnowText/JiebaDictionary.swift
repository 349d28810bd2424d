import CICUShim
import Synchronization
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// jieba's prefix dictionary (see `JiebaSegmenter` for the cut that walks it).
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
        // The file as code points, broken UTF-8 repaired to U+FFFD (jieba itself would refuse
        // the file; a word with U+FFFD simply never matches text).
        let text = Scalars.of(String(decoding: bytes, as: UTF8.self))
        // First a plain trie (node ids in creation order, so parents come before children) ...
        var lines = 0
        for c in text where c == 0x0A { lines += 1 }
        var builder = TrieBuilder(expectedNodes: lines * 3 / 2 + 16)
        var total = 0
        var line = 0
        var i = 0
        var charIndex = [UInt16](repeating: 0, count: 0x10000)
        var extraChars: [UInt32: UInt16] = [:]
        var distinctChars = 0
        while i < text.count {
            line += 1
            var end = i
            while end < text.count && text[end] != 0x0A { end += 1 }
            // Python's bytes.strip(): ASCII whitespace at both ends; then word and frequency are
            // the first two fields split on single spaces.
            var a = i, b = end
            while a < b && Self.isASCIISpace(text[a]) { a += 1 }
            while b > a && Self.isASCIISpace(text[b - 1]) { b -= 1 }
            i = end + 1
            var sp = a
            while sp < b && text[sp] != 0x20 { sp += 1 }
            var fe = sp + 1
            while fe < b && text[fe] != 0x20 { fe += 1 }
            guard sp < b, let freq = Self.parseInt(text[(sp + 1)..<min(fe, b)]) else {
                throw LoadError.malformed(path, line, "expected `word frequency [tag]`")
            }
            let word = text[a..<sp]
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

    @inline(__always) static func isASCIISpace(_ c: UInt32) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// A decimal integer (optional sign), as Python's int() reads one.
    static func parseInt(_ digits: ArraySlice<UInt32>) -> Int? {
        var rest = digits[...]
        var negative = false
        if let f = rest.first, f == 0x2B || f == 0x2D { negative = f == 0x2D; rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var v = 0
        for c in rest {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(Int(c - 0x30))
            guard !o1 && !o2 else { return nil }
            v = r
        }
        return negative ? -v : v
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
    mutating func insert(_ word: ArraySlice<UInt32>, freq: Int) -> Bool {
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
