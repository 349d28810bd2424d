// The words being merged (symbol ids back to back, each word shrinking in place), the pair
// counts and the candidate queue, with the update a merge makes to all three.

struct MergeState {
    /// Symbols of word w: `symbols[starts[w] ..< starts[w] + lengths[w]]`.
    var symbols: [UInt32]
    var starts: [Int]
    var lengths: [Int32]
    /// How often each word occurs.
    var weights: [Int64]
    var pairs: PairCounts
    var queue = MergeQueue()
    var lists = WordLists()
    /// (pair id << 32 | word) of every pair occurrence a merge created, for the new candidates.
    private var created: [UInt64] = []

    init(_ words: BPEWordCounts, _ byteID: [UInt32]) {
        let n = words.count
        symbols = words.arena.map { byteID[Int($0)] }
        starts = [Int](repeating: 0, count: n)
        lengths = [Int32](repeating: 0, count: n)
        weights = [Int64](repeating: 0, count: n)
        for w in 0..<n {
            starts[w] = words.start(w)
            lengths[w] = Int32(words.ends[w] - starts[w])
            weights[w] = Int64(clamping: words.counts[w])
        }
        pairs = PairCounts(expected: symbols.count / 4)
        countPairs()
    }

    /// Counts every adjacent pair and queues each with the (distinct, ascending) words holding it.
    private mutating func countPairs() {
        // Pair id at each symbol position (-1 past a word's last symbol).
        var at = [Int32](repeating: -1, count: symbols.count)
        var wordsPerPair: [Int32] = []
        var lastWord: [Int32] = []
        for w in 0..<starts.count {
            let s = starts[w], n = Int(lengths[w])
            guard n >= 2 else { continue }
            for i in s..<(s + n - 1) {
                let p = pairs.id(pairKey(symbols[i], symbols[i + 1]))
                if p == lastWord.count { lastWord.append(-1); wordsPerPair.append(0) }
                pairs.counts[p] += weights[w]
                at[i] = Int32(p)
                if lastWord[p] != Int32(w) { lastWord[p] = Int32(w); wordsPerPair[p] += 1 }
            }
        }
        var offsets = [Int](repeating: 0, count: wordsPerPair.count + 1)
        for p in 0..<wordsPerPair.count { offsets[p + 1] = offsets[p] + Int(wordsPerPair[p]) }
        var fill = offsets
        var items = [Int32](repeating: 0, count: offsets.last!)
        for p in 0..<lastWord.count { lastWord[p] = -1 }
        for w in 0..<starts.count {
            let s = starts[w], n = Int(lengths[w])
            guard n >= 2 else { continue }
            for i in s..<(s + n - 1) {
                let p = Int(at[i])
                if lastWord[p] != Int32(w) { lastWord[p] = Int32(w); items[fill[p]] = Int32(w); fill[p] += 1 }
            }
        }
        queue.reserve(wordsPerPair.count)
        for p in 0..<wordsPerPair.count {
            let list = lists.append(items[offsets[p]..<offsets[p + 1]])
            let c = pairs.counts[p]
            if c > 0 { queue.push(MergeCandidate(count: c, key: pairs.keys[p], pair: Int32(p), words: list)) }
        }
    }

    /// Merges the candidate's pair into `merged` in each of its words, updates the counts of
    /// the neighbouring pairs, and queues the pairs the merge created.
    mutating func apply(_ top: MergeCandidate, _ merged: UInt32) {
        let a = UInt32(truncatingIfNeeded: top.key >> 32), b = UInt32(truncatingIfNeeded: top.key)
        created.removeAll(keepingCapacity: true)
        for k in lists.range(top.words) {
            mergeWord(Int(lists.items[k]), a, b, merged)
        }
        created.sort()
        var i = 0
        var group: [Int32] = []
        while i < created.count {
            let p = Int(created[i] >> 32)
            group.removeAll(keepingCapacity: true)
            while i < created.count && Int(created[i] >> 32) == p {
                let w = Int32(truncatingIfNeeded: created[i])
                if group.last != w { group.append(w) }
                i += 1
            }
            let c = pairs.counts[p]
            if c > 0 { queue.push(MergeCandidate(count: c, key: pairs.keys[p], pair: Int32(p), words: lists.append(group))) }
        }
    }

    /// Replaces each (a, b) in word w, left to right without overlap, by `t`; every replaced
    /// occurrence takes one from the pairs it breaks and adds one to the pairs it makes.
    @inline(__always)
    private mutating func mergeWord(_ w: Int, _ a: UInt32, _ b: UInt32, _ t: UInt32) {
        let s = starts[w], n = Int(lengths[w])
        let weight = weights[w]
        var r = 0, o = 0
        while r < n {
            let x = symbols[s + r]
            if x == a && r + 1 < n && symbols[s + r + 1] == b {
                if o > 0 {
                    let prev = symbols[s + o - 1]
                    pairs.counts[pairs.id(pairKey(prev, a))] -= weight
                    made(pairKey(prev, t), w, weight)
                }
                if r + 2 < n {
                    let next = symbols[s + r + 2]
                    pairs.counts[pairs.id(pairKey(b, next))] -= weight
                    made(pairKey(t, next), w, weight)
                }
                symbols[s + o] = t
                o += 1; r += 2
            } else {
                symbols[s + o] = x
                o += 1; r += 1
            }
        }
        lengths[w] = Int32(o)
    }

    @inline(__always) private mutating func made(_ key: UInt64, _ w: Int, _ weight: Int64) {
        let p = pairs.id(key)
        pairs.counts[p] += weight
        created.append(UInt64(p) << 32 | UInt64(w))
    }
}
