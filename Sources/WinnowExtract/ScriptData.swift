#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// Where a script ends as HTML5 reads script data. After `<!--` in a script, a `<script`
/// opens a nested one whose `</script>` does not end the outer script, so an old page's
/// `<script><!-- document.write('<script src=…></script>'); //--></script>` ends at its last
/// `</script>`. libxml2 ends it at the first, and the rest of the code (`'); //-->`) became
/// text of the page. The prescan cuts such a script's content to where HTML5 ends it.
extension HTMLPrescan {
    /// The `<` of the `</script` that ends the script whose content starts at `from`, given the
    /// first `</script` after it (`first`, where libxml2 ends it). Only a script with `<!--`
    /// before that one is read byte by byte. A script HTML5 would run to the end of the page
    /// (an escape never closed) keeps libxml2's end: the page's text is not given up for it.
    /// The bytes read past `first` count against `budget` (the prescan's bound on its searches:
    /// a page of many such scripts, each read to the end, stays linear).
    static func scriptDataEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int, first: Int, _ budget: inout Int) -> Int {
        guard let open = find(p, "<!--", from: from, to: first) else { return first }
        let n = p.count
        var escaped = true, double = false
        // (From the `--` of `<!--`: `<!-->` and `<!--->` escape nothing.)
        var i = open + 2
        defer { budget -= max(0, min(i, n) - first) }
        while i < n {
            if i > first && i - first >= budget { return first }
            let c = p[i]
            if c == 0x2D {
                if i + 2 < n && p[i + 1] == 0x2D && p[i + 2] == 0x3E {
                    escaped = false; double = false
                    i += 3
                    continue
                }
            } else if c == 0x3C {
                if i + 1 < n && p[i + 1] == 0x2F && namesTag(p, i + 2, "script") {
                    if !double { return i }
                    double = false
                    i += 8
                    continue
                }
                if escaped && !double && namesTag(p, i + 1, "script") {
                    double = true
                    i += 7
                    continue
                }
                if !escaped && ASCIIBytes.hasPrefix(p, at: i, end: n, "<!--") {
                    escaped = true
                    i += 2
                    continue
                }
            }
            i += 1
        }
        return first
    }

    /// The index of the first `pattern` (which starts with `<`) in `p[from..<to]`, or nil.
    static func find(_ p: UnsafeBufferPointer<UInt8>, _ pattern: StaticString, from: Int, to: Int) -> Int? {
        guard let base = p.baseAddress else { return nil }
        var i = from
        while i < to, let hit = memchr(base + i, 0x3C, to - i) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if ASCIIBytes.hasPrefix(p, at: at, end: p.count, pattern) { return at }
            i = at + 1
        }
        return nil
    }
}
