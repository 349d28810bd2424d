import WinnowCore
import WinnowText

/// MAP-CC's URL block list as CT-LLM's `url_filter` checks it. The URL is first stripped of
/// surrounding whitespace (Python's `str.strip()`). Two releases of `filter/filter.py` differ:
/// - `prefix` (the one with `utils.py`, SPECS §2.1 B.1): `http://` or `https://` is removed from
///   the URL and from every entry (each line stripped), and the URL is blocked when an entry is
///   a prefix of it: the character trie's `search`. A blank line is an empty entry, which blocks
///   only an empty URL (the trie looks for an entry's end after each character).
/// - `host` (the earlier one, commit 92e2f32): a URL starting with `http://` or `https://` is
///   blocked when its third `/`-separated field (the host, with any port or user) is an entry
///   exactly; any other URL when an entry is found anywhere in it. Entries are the lines kept
///   verbatim; blank lines are skipped (an empty entry would be inside every scheme-less URL).
/// Entries are the lines of one file (CT-LLM reads the `urls` files of a UT1 folder).
struct URLBlocklist {
    enum Match: String, CaseIterable { case prefix, host }
    let match: Match
    /// The non-empty entries, looked up by the URL's bytes (no String per probe).
    private var entries = ByteStringSet()
    /// The entries' distinct lengths in bytes, ascending: the prefixes (`prefix`) or substrings
    /// (`host`, scheme-less URLs) worth probing.
    private let lengths: [Int]
    /// `prefix`: the list had a blank line.
    private let emptyEntry: Bool

    /// `entries` as they would be matched (for `prefix`, already without scheme and whitespace);
    /// repeats are fine.
    init<Entries: Collection<String>>(entries: Entries, match: Match) {
        self.match = match
        self.entries.reserve(entries.count)
        var lengths = Set<Int>(), empty = false
        for e in entries {
            if e.isEmpty { empty = true; continue }
            self.entries.insert(e)
            lengths.insert(e.utf8.count)
        }
        emptyEntry = match == .prefix && empty
        self.lengths = lengths.sorted()
    }

    /// The lines of a list file, as Python's `readlines()` in text mode gives them (universal
    /// newlines: \n, \r\n and \r end a line; no empty line after a final break).
    init(text: String, match: Match) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        switch match {
        case .host:
            self.init(entries: lines.map(String.init), match: .host)
        case .prefix:
            self.init(entries: lines.map { Self.withoutScheme(String($0).trimmingPythonWhitespace()) }, match: .prefix)
        }
    }

    var isEmpty: Bool { entries.count == 0 && !emptyEntry }

    func blocks(_ url: String) -> Bool {
        let stripped = url.trimmingPythonWhitespace()
        if match == .prefix {
            var url = Self.withoutScheme(stripped)
            if url.isEmpty { return emptyEntry }
            return url.withUTF8 { bytes in
                // (Bytes equal to an entry's, which is whole UTF-8, end at a character boundary.)
                for n in lengths {
                    if n > bytes.count { return false }
                    if entries.contains(UnsafeBufferPointer(rebasing: bytes[0..<n])) { return true }
                }
                return false
            }
        }
        if stripped.hasPrefix("http://") || stripped.hasPrefix("https://") {
            let fields = stripped.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count > 2 else { return false }
            var host = fields[2]
            return host.withUTF8 { entries.contains($0) }
        }
        // Every substring of the URL as given (CT-LLM tests `entry in line['url']`, unstripped)
        // whose length some entry has. UTF-8 bytes equal to an entry's start and end at
        // character boundaries, so this is Python's code-point substring test.
        var given = url
        return given.withUTF8 { bytes in
            for start in 0..<bytes.count {
                for n in lengths {
                    if start + n > bytes.count { break }
                    if entries.contains(UnsafeBufferPointer(rebasing: bytes[start..<(start + n)])) { return true }
                }
            }
            return false
        }
    }

    /// CT-LLM's `remove_url_head`: one leading `http://` or `https://` removed (case-sensitive).
    static func withoutScheme(_ s: String) -> String {
        if s.hasPrefix("http://") { return String(s.utf8.dropFirst(7))! }
        if s.hasPrefix("https://") { return String(s.utf8.dropFirst(8))! }
        return s
    }
}

extension String {
    /// Python's `str.strip()`: whitespace as `str.isspace()` defines it, from both ends.
    func trimmingPythonWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { CharClass.of($0) & CharClass.space == 0 }) else { return "" }
        let last = scalars.lastIndex(where: { CharClass.of($0) & CharClass.space == 0 })!
        return String(scalars[first...last])
    }
}
