import WinnowCore
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// Word and block lists: UTF-8 text, one entry a line, `#` lines are comments. A file that is
/// not text (a NUL byte, invalid UTF-8: a binary or mis-encoded file) is an error naming the
/// file and line, and so is a list with no entries unless the stage says `allow_empty: true`:
/// an empty or unreadable list must never silently switch a filter off.
public enum ListFile {
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The file's bytes after those checks.
    public static func bytes(_ path: String, allowEmpty: Bool = false) throws -> [UInt8] {
        guard let data = readFileBytes(path) else {
            throw LoadError(description: "\(path): cannot read: \(String(cString: strerror(errno)))")
        }
        try data.withUnsafeBufferPointer { b in
            if let base = b.baseAddress, let nul = memchr(base, 0, b.count) {
                let at = UnsafePointer<UInt8>(nul.assumingMemoryBound(to: UInt8.self)) - base
                throw LoadError(description: "\(path):\(lineNumber(b, at)): a NUL byte: not a text list (a binary file?)")
            }
            if !Charset.isValidUTF8(b) {
                var start = 0
                for i in 0...b.count where i == b.count || b[i] == 0x0A {
                    if !Charset.isValidUTF8(UnsafeBufferPointer(rebasing: b[start..<i])) {
                        throw LoadError(description: "\(path):\(lineNumber(b, start)): not valid UTF-8: lists must be UTF-8 text")
                    }
                    start = i + 1
                }
            }
            if !allowEmpty && !hasEntry(b) {
                throw LoadError(description: "\(path): the list has no entries; an empty list would switch the filter off (set allow_empty: true if that is meant)")
            }
        }
        return data
    }

    /// The file's lines (without line ends), after the checks of `bytes`.
    public static func lines(_ path: String, allowEmpty: Bool = false) throws -> [Substring] {
        let text = String(decoding: try bytes(path, allowEmpty: allowEmpty), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline)
    }

    static func lineNumber(_ b: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var n = 1
        for i in 0..<offset where b[i] == 0x0A { n += 1 }
        return n
    }

    /// A line with something other than whitespace that is not a `#` comment.
    static func hasEntry(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var lineStart = true, comment = false
        for c in b {
            if c == 0x0A { lineStart = true; comment = false; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D { continue }
            if lineStart && c == 0x23 { comment = true }
            lineStart = false
            if !comment { return true }
        }
        return false
    }
}
