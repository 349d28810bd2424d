import WinnowTestSupport

enum LMTestPaths {
    static let root = TestPaths.repositoryRoot
    static let fixtures = TestPaths.fixtures("WinnowLMTests")
}

/// max|a − b| / max(max|b|, floor).
func relativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-30) -> Float {
    precondition(a.count == b.count)
    var d: Float = 0, m: Float = 0
    for i in a.indices { d = max(d, abs(a[i] - b[i])); m = max(m, abs(b[i])) }
    return d / max(m, floor)
}
