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
///
/// Scratch space is reused (one segmenter per thread of work; the dictionary is shared).
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
