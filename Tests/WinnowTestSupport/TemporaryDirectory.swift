import Foundation
import XCTest

extension XCTestCase {
    /// A new empty directory under /tmp, removed with everything in it when the test ends.
    public func temporaryDirectory() -> String {
        var template = Array("/tmp/winnow-test-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
