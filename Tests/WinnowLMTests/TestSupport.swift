#if canImport(Glibc)
import Glibc
#endif

enum LMTestPaths {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let fixtures = root + "/Tests/WinnowLMTests/Fixtures"

    static func temporaryDirectory() -> String {
        var t = Array("/tmp/winnow-lm-XXXXXX".utf8CString)
        return t.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
}

/// max|a − b| / max(max|b|, floor).
func relativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-30) -> Float {
    precondition(a.count == b.count)
    var d: Float = 0, m: Float = 0
    for i in a.indices { d = max(d, abs(a[i] - b[i])); m = max(m, abs(b[i])) }
    return d / max(m, floor)
}
