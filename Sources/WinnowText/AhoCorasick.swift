/// Multi-pattern substring search over UTF-8 bytes (Aho–Corasick automaton with a dense
/// transition table per state), for block lists such as ChineseWebText's sensitive words.
public struct AhoCorasick: Sendable {
    private var next: [[Int32]] = [[Int32](repeating: -1, count: 256)]
    private var fail: [Int32] = [0]
    /// Pattern ids ending at each state (including through failure links).
    private var outputs: [[Int32]] = [[]]
    public let patternCount: Int
    /// The transitions as one table (`state << 8 | byte`) and which states have outputs.
    private var flat: [Int32] = []
    private var hasOutput: [Bool] = []

    public init(_ patterns: [String]) {
        var count = 0
        for p in patterns where !p.isEmpty {
            var s = 0
            for b in p.utf8 {
                if next[s][Int(b)] < 0 {
                    next[s][Int(b)] = Int32(next.count)
                    next.append([Int32](repeating: -1, count: 256)); fail.append(0); outputs.append([])
                }
                s = Int(next[s][Int(b)])
            }
            outputs[s].append(Int32(count))
            count += 1
        }
        patternCount = count
        defer {
            flat = next.flatMap { $0 }
            hasOutput = outputs.map { !$0.isEmpty }
        }
        // Breadth-first: failure links, and missing transitions filled in (a DFA).
        var queue: [Int] = []
        for b in 0..<256 {
            if next[0][b] < 0 { next[0][b] = 0 } else { fail[Int(next[0][b])] = 0; queue.append(Int(next[0][b])) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            outputs[s] += outputs[Int(fail[s])]
            for b in 0..<256 {
                let t = next[s][b]
                if t < 0 {
                    next[s][b] = next[Int(fail[s])][b]
                } else {
                    fail[Int(t)] = next[Int(fail[s])][b]
                    queue.append(Int(t))
                }
            }
        }
    }

    /// The ids of the distinct patterns that occur in `text`.
    public func distinctMatches(_ text: String) -> Set<Int32> {
        var found = Set<Int32>()
        var s = 0
        var t = text
        t.withUTF8 { bytes in
            flat.withUnsafeBufferPointer { dfa in
                hasOutput.withUnsafeBufferPointer { out in
                    for b in bytes {
                        s = Int(dfa[s << 8 | Int(b)])
                        if out[s] { for o in outputs[s] { found.insert(o) } }
                    }
                }
            }
        }
        return found
    }
}
