#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// What `fasttext predict[-prob]` prints, reproduced for scripts that switch over.
public enum FastTextOutput {
    /// C++ ostream's default float formatting (`%g`, 6 significant digits).
    public static func formatG(_ x: Float) -> String {
        var buf = [CChar](repeating: 0, count: 32)
        _ = withVaList([Double(x)]) { vsnprintf(&buf, buf.count, "%g", $0) }
        return stringFromCBuffer(buf)
    }

    /// One output line: `label[ prob]` per prediction, separated by spaces.
    public static func line(_ predictions: [FastTextModel.Prediction], probabilities: Bool) -> String {
        predictions.map { probabilities ? "\($0.label) \(formatG($0.probability))" : $0.label }.joined(separator: " ")
    }
}
