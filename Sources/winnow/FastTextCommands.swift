import ArgumentParser
import WinnowClassify
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

struct FastTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fasttext",
        abstract: "fastText-compatible commands (same arguments and output as the fasttext binary).",
        subcommands: [FastTextPredict.self, FastTextPredictProb.self])
}

/// Shared by predict and predict-prob: `MODEL INPUT|- [k] [threshold]`.
struct PredictArguments: ParsableArguments {
    @Argument(help: "Model (.bin or .ftz).") var model: String
    @Argument(help: "Input text, one document per line ('-' for stdin).") var input: String
    @Argument(help: "Number of labels.") var k: Int = 1
    @Argument(help: "Probability threshold.") var threshold: Float = 0

    func run(probabilities: Bool) throws {
        let m = try FastTextModel.load(path: model)
        let scratch = m.makeScratch()
        let f: UnsafeMutablePointer<FILE>? = input == "-" ? fdopen(0, "rb") : fopen(input, "rb")
        guard let f else { throw ValidationError("cannot open \(input)") }
        defer { if input != "-" { fclose(f) } }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        var line: UnsafeMutablePointer<CChar>?
        var cap = 0
        while true {
            let n = getline(&line, &cap, f)
            if n < 0 { break }
            let preds = line!.withMemoryRebound(to: UInt8.self, capacity: n) {
                m.predict(utf8: UnsafeBufferPointer(start: $0, count: n), k: k, threshold: threshold, scratch: scratch)
            }
            out.append(contentsOf: FastTextOutput.line(preds, probabilities: probabilities).utf8)
            out.append(0x0A)
            if out.count > 1 << 16 { flush(&out) }
        }
        free(line)
        flush(&out)
    }

    func flush(_ out: inout [UInt8]) {
        out.withUnsafeBytes { b in _ = write(1, b.baseAddress, b.count) }
        out.removeAll(keepingCapacity: true)
    }
}

struct FastTextPredict: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Print the most likely labels of each line.")
    @OptionGroup var options: PredictArguments
    func run() throws { try options.run(probabilities: false) }
}

struct FastTextPredictProb: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict-prob", abstract: "Print the most likely labels of each line with their probabilities.")
    @OptionGroup var options: PredictArguments
    func run() throws { try options.run(probabilities: true) }
}

struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Train and evaluate fastText-compatible text classifiers.",
        subcommands: [ClassifierTrain.self, ClassifierTest.self])
}

struct ClassifierTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a supervised classifier (like `fasttext supervised`); writes a .bin the official library loads.",
        discussion: "Input lines look like `__label__good some text ...`, as for fastText.")

    @Option(name: [.long, .customLong("input", withSingleDash: true)], help: "Training file.") var input: String
    @Option(name: [.long, .customLong("output", withSingleDash: true)], help: "Model path (.bin is added if missing).") var output: String
    @Option(name: [.long, .customLong("lr", withSingleDash: true)], help: "Learning rate.") var lr: Double = 0.1
    @Option(name: [.long, .customLong("dim", withSingleDash: true)], help: "Vector size.") var dim: Int = 100
    @Option(name: [.long, .customLong("epoch", withSingleDash: true)], help: "Epochs.") var epoch: Int = 5
    @Option(name: [.customLong("word-ngrams"), .customLong("wordNgrams", withSingleDash: true)], help: "Word n-gram length.") var wordNgrams: Int = 1
    @Option(name: [.customLong("min-count"), .customLong("minCount", withSingleDash: true)], help: "Minimal word count.") var minCount: Int = 1
    @Option(name: [.customLong("min-count-label"), .customLong("minCountLabel", withSingleDash: true)], help: "Minimal label count.") var minCountLabel: Int = 0
    @Option(name: [.long, .customLong("minn", withSingleDash: true)], help: "Min char n-gram length.") var minn: Int = 0
    @Option(name: [.long, .customLong("maxn", withSingleDash: true)], help: "Max char n-gram length.") var maxn: Int = 0
    @Option(name: [.long, .customLong("bucket", withSingleDash: true)], help: "Hash buckets for n-grams.") var bucket: Int = 2_000_000
    @Option(name: [.long, .customLong("loss", withSingleDash: true)], help: "softmax or ova (one-vs-all).") var loss: String = "softmax"
    @Option(name: [.long, .customLong("thread", withSingleDash: true)], help: "Threads.") var thread: Int = 2
    @Option(name: [.customLong("lr-update-rate"), .customLong("lrUpdateRate", withSingleDash: true)], help: "Tokens between learning-rate updates.") var lrUpdateRate: Int = 100
    @Option(name: [.long, .customLong("label", withSingleDash: true)], help: "Label prefix.") var label: String = "__label__"
    @Option(help: "Random seed.") var seed: Int = 0

    func run() throws {
        var o = FastTextTrainer.Options()
        o.lr = lr; o.minCountLabel = minCountLabel; o.threads = thread; o.seed = seed
        o.args.dim = dim; o.args.epoch = epoch; o.args.wordNgrams = wordNgrams; o.args.minCount = minCount
        o.args.minn = minn; o.args.maxn = maxn; o.args.bucket = bucket; o.args.lrUpdateRate = lrUpdateRate; o.args.label = label
        switch loss {
        case "softmax": o.args.loss = .softmax
        case "ova", "one-vs-all": o.args.loss = .ova
        default: throw ValidationError("--loss must be softmax or ova")
        }
        let tty = isatty(2) != 0
        let (model, r) = try FastTextTrainer.train(input: input, options: o, progress: tty ? { p, l in
            eprintRaw("\rProgress: \(Int(p * 100))%  avg.loss: \(Int(l * 10000) / 10000)")
        } : nil)
        if tty { eprint("") }
        let path = output.hasSuffix(".bin") ? output : output + ".bin"
        try model.save(path: path)
        eprint("Read \(r.tokens) tokens; \(r.words) words, \(r.labels) labels")
        eprint("trained in \(Int(r.seconds * 1000)) ms: \(Int(r.tokensPerSecondPerThread)) words/sec/thread, avg.loss \(r.averageLoss)")
        print(path)
    }
}

struct ClassifierTest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Precision and recall at k on labelled lines (like `fasttext test`).")
    @Argument(help: "Model (.bin or .ftz).") var model: String
    @Argument(help: "Labelled test file.") var input: String
    @Argument(help: "k.") var k: Int = 1
    @Argument(help: "Probability threshold.") var threshold: Float = 0
    func run() throws {
        let r = try FastTextModel.load(path: model).test(path: input, k: k, threshold: threshold)
        func f3(_ x: Double) -> String { x.isNaN ? "-nan" : String(Int((x * 1000).rounded()) / 1000) + "." + String(repeating: "0", count: 3 - String(Int((x * 1000).rounded()) % 1000).count) + String(Int((x * 1000).rounded()) % 1000) }
        print("N\t\(r.examples)\nP@\(k)\t\(f3(r.precision))\nR@\(k)\t\(f3(r.recall))")
    }
}

func eprintRaw(_ s: String) {
    var t = s
    t.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
}
