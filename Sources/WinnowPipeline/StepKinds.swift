import WinnowSteps
import WinnowDedup

/// The step kinds a pipeline can name, one line each: the YAML key and its parser. A step
/// without any of these keys is a plain `stages` step.
public enum StepKinds {
    public static let registry: [StepKindParser] = [
        MinHashDedup.minhashParser,
        MinHashDedup.exactParser,
        MinHashDedup.urlParser,
        LineDedupStep.parser,
        SampleStep.parser,
        TokenizeStep.parser,
        CompressStep.parser,
        PackStep.parser,
        MergeStep.parser,
        TrainStep.parser,
        EvalStep.parser,
    ]

    public static var keys: [String] { registry.map(\.key) }
}
