import WinnowCore
import WinnowText

/// MAP-CC's URL block list as CT-LLM's `url_filter` checks it: the URL stripped of surrounding
/// whitespace; if it then starts with `http://` or `https://`, its third `/`-separated field
/// (the host, with any port or user) must be an entry exactly; otherwise any entry found
/// anywhere in the URL (as given) blocks it. Entries are the lines of one file (CT-LLM reads the
/// `urls` files of a UT1 folder), kept verbatim; blank lines are skipped (CT-LLM would keep an
/// empty entry, which is inside every scheme-less URL).
struct URLBlocklist {
    let entries: Set<String>
    /// Entry lengths in bytes, bounding the substring search of scheme-less URLs.
    private let shortest: Int, longest: Int

    init(entries: Set<String>) {
        self.entries = entries
        let lengths = entries.map(\.utf8.count)
        shortest = lengths.min() ?? 0
        longest = lengths.max() ?? 0
    }

    init?(path: String) {
        guard let text = readTextFile(path) else { return nil }
        self.init(text: text)
    }

    init(text: String) {
        // Python's universal newlines: \n, \r\n and \r end a line.
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        self.init(entries: Set(lines.map(String.init)))
    }

    var isEmpty: Bool { entries.isEmpty }

    func blocks(_ url: String) -> Bool {
        let stripped = url.trimmingPythonWhitespace()
        if stripped.hasPrefix("http://") || stripped.hasPrefix("https://") {
            let fields = stripped.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            return fields.count > 2 && entries.contains(String(fields[2]))
        }
        // Every substring of the URL whose length some entry has.
        let bytes = Array(url.utf8)
        guard shortest <= bytes.count else { return false }
        for start in 0..<bytes.count {
            var length = shortest
            while length <= longest && start + length <= bytes.count {
                if let s = String(validating: bytes[start..<(start + length)], as: UTF8.self), entries.contains(s) { return true }
                length += 1
            }
        }
        return false
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
