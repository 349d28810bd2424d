#if canImport(Glibc)
import Glibc
#endif

/// Expands input patterns: `*`, `?` and `[...]` within a path segment, `**` across directories.
/// Results are sorted so that task assignment is deterministic.
public enum FileGlob {
    public static func hasWildcard(_ s: String) -> Bool { s.contains { "*?[".contains($0) } }

    /// Files matching one pattern (a plain path is returned as is if it exists).
    public static func expand(_ pattern: String) -> [String] {
        guard hasWildcard(pattern) else { return isFile(pattern) ? [pattern] : [] }
        let absolute = pattern.hasPrefix("/")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var fixed: [String] = []
        var i = 0
        while i < segments.count && !hasWildcard(segments[i]) { fixed.append(segments[i]); i += 1 }
        let root = (absolute ? "/" : "") + fixed.joined(separator: "/")
        var out: [String] = []
        walk(dir: root.isEmpty ? "." : root, prefix: root, rest: Array(segments[i...]), into: &out)
        return Array(Set(out)).sorted()
    }

    /// Every pattern expanded, in order, duplicates removed.
    public static func expand(_ patterns: [String]) -> (files: [String], unmatched: [String]) {
        var seen = Set<String>()
        var files: [String] = []
        var unmatched: [String] = []
        for p in patterns {
            let m = expand(p)
            if m.isEmpty { unmatched.append(p) }
            for f in m where seen.insert(f).inserted { files.append(f) }
        }
        return (files, unmatched)
    }

    private static func join(_ a: String, _ b: String) -> String {
        a.isEmpty ? b : (a.hasSuffix("/") ? a + b : a + "/" + b)
    }

    private static func walk(dir: String, prefix: String, rest: [String], into out: inout [String]) {
        guard let seg = rest.first else { return }
        let remaining = Array(rest.dropFirst())
        if seg == "**" && remaining.isEmpty {
            // A trailing `**`: every file below.
            for (name, isDir) in entries(dir) where !name.hasPrefix(".") {
                if isDir { walk(dir: join(dir, name), prefix: join(prefix, name), rest: rest, into: &out) } else { out.append(join(prefix, name)) }
            }
            return
        }
        if seg == "**" {
            // Zero directories…
            walk(dir: dir, prefix: prefix, rest: remaining, into: &out)
            // …or one more, keeping "**".
            for (name, isDir) in entries(dir) where isDir {
                walk(dir: join(dir, name), prefix: join(prefix, name), rest: rest, into: &out)
            }
            return
        }
        for (name, isDir) in entries(dir) where fnmatch(seg, name, FNM_PERIOD) == 0 {
            let path = join(prefix, name)
            if remaining.isEmpty {
                if !isDir { out.append(path) }
            } else if isDir {
                walk(dir: join(dir, name), prefix: path, rest: remaining, into: &out)
            }
        }
    }

    private static func entries(_ dir: String) -> [(String, Bool)] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [(String, Bool)] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            out.append((name, isDirectory(join(dir, name))))
        }
        return out
    }

    public static func isDirectory(_ p: String) -> Bool {
        var st = stat()
        return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func isFile(_ p: String) -> Bool {
        var st = stat()
        return stat(p, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
    }
}
