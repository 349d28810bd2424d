import WinnowCore

/// fastText's training arguments as stored in a model file.
public struct FastTextArgs: Sendable, Equatable {
    public enum Loss: Int32, Sendable, CaseIterable { case hs = 1, ns = 2, softmax = 3, ova = 4 }
    public enum ModelKind: Int32, Sendable { case cbow = 1, skipgram = 2, supervised = 3 }

    public var dim = 100
    public var ws = 5
    public var epoch = 5
    public var minCount = 1
    public var neg = 5
    public var wordNgrams = 1
    public var loss = Loss.softmax
    public var model = ModelKind.supervised
    public var bucket = 2_000_000
    public var minn = 0
    public var maxn = 0
    public var lrUpdateRate = 100
    public var t = 1e-4
    /// Not stored in the file; fastText's default.
    public var label = "__label__"

    public init() {}

    static func read(_ r: inout BinaryReader) throws -> FastTextArgs {
        var a = FastTextArgs()
        a.dim = Int(try r.int32("args.dim")); a.ws = Int(try r.int32("args.ws")); a.epoch = Int(try r.int32("args.epoch"))
        a.minCount = Int(try r.int32("args.minCount")); a.neg = Int(try r.int32("args.neg"))
        a.wordNgrams = Int(try r.int32("args.wordNgrams"))
        let loss = try r.int32("args.loss"), model = try r.int32("args.model")
        guard let l = Loss(rawValue: loss) else { throw ModelError(r.path, "unknown loss \(loss)") }
        guard let m = ModelKind(rawValue: model) else { throw ModelError(r.path, "unknown model kind \(model)") }
        a.loss = l; a.model = m
        a.bucket = Int(try r.int32("args.bucket")); a.minn = Int(try r.int32("args.minn")); a.maxn = Int(try r.int32("args.maxn"))
        a.lrUpdateRate = Int(try r.int32("args.lrUpdateRate")); a.t = try r.double("args.t")
        guard a.dim > 0, a.dim <= 10_000, a.bucket >= 0, a.minn >= 0, a.maxn >= 0, a.maxn < 100, a.wordNgrams >= 0 else {
            throw ModelError(r.path, "implausible arguments (dim \(a.dim), bucket \(a.bucket), minn \(a.minn), maxn \(a.maxn))")
        }
        return a
    }

    func write(_ w: BinaryWriter) {
        for v in [dim, ws, epoch, minCount, neg, wordNgrams] { w.int32(Int32(v)) }
        w.int32(loss.rawValue); w.int32(model.rawValue)
        for v in [bucket, minn, maxn, lrUpdateRate] { w.int32(Int32(v)) }
        w.double(t)
    }
}

/// A fastText model (`.bin` or quantized `.ftz`), loaded as is, predicting as the official
/// library does: same features, averaging, losses, and top-k selection.
public final class FastTextModel: @unchecked Sendable {
    static let magic: Int32 = 793_712_314
    static let version: Int32 = 12

    public let args: FastTextArgs
    public let dictionary: FastTextDictionary
    let input: any FastTextMatrix
    let output: any FastTextMatrix
    public let quantized: Bool
    let tree: HuffmanTree?

    init(args: FastTextArgs, dictionary: FastTextDictionary, input: any FastTextMatrix, output: any FastTextMatrix, quantized: Bool) {
        self.args = args
        self.dictionary = dictionary
        self.input = input
        self.output = output
        self.quantized = quantized
        tree = args.loss == .hs ? HuffmanTree(counts: args.model == .supervised ? dictionary.labelCounts : []) : nil
    }

    public var labels: [String] { (0..<dictionary.nlabels).map(dictionary.label) }

    public static func load(path: String) throws -> FastTextModel {
        var r = try BinaryReader(path: path)
        let magic = try r.int32("magic number")
        guard magic == Self.magic else {
            throw ModelError(path, "not a fastText model (magic \(magic), expected \(Self.magic))")
        }
        let version = try r.int32("version")
        guard version == 11 || version == 12 else { throw ModelError(path, "fastText format version \(version) is not supported (11, 12 are)") }
        var args = try FastTextArgs.read(&r)
        if version == 11 && args.model == .supervised { args.maxn = 0 }  // as fastText does for old models
        guard args.model == .supervised else {
            throw ModelError(path, "this is an unsupervised (\(args.model)) model; only supervised classifiers predict labels")
        }
        let dict = try FastTextDictionary.read(&r, args: args)
        let quantInput = try r.bool("quantization flag")
        let input: any FastTextMatrix = quantInput ? try QuantMatrix.read(&r, "input matrix") : try DenseMatrix.read(&r, "input matrix")
        let quantOutput = try r.bool("output quantization flag")
        let output: any FastTextMatrix = quantOutput ? try QuantMatrix.read(&r, "output matrix") : try DenseMatrix.read(&r, "output matrix")
        guard input.cols == args.dim, output.cols == args.dim else {
            throw ModelError(path, "matrix widths \(input.cols)/\(output.cols) differ from dim \(args.dim)")
        }
        guard dict.nlabels > 0 else { throw ModelError(path, "dictionary: a classifier without labels") }
        // The hierarchical-softmax tree adds label counts up: their sum must stay clear of overflow.
        var labelTotal: Int64 = 0
        for c in dict.labelCounts {
            let s = labelTotal.addingReportingOverflow(c)
            guard !s.overflow, s.partialValue < 1 << 62 else {
                throw ModelError(path, "dictionary: label counts add up past 2^62 (a damaged count?)")
            }
            labelTotal = s.partialValue
        }
        let ngramRows = dict.pruneIndexSize > 0 ? Int(dict.pruneIndexSize) : (dict.pruneIndexSize == 0 ? 0 : args.bucket)
        guard input.rows >= dict.nwords + ngramRows else {
            throw ModelError(path, "input matrix: \(input.rows) rows, fewer than the \(dict.nwords) words and \(ngramRows) n-gram rows need")
        }
        // Character and word n-grams hash modulo the bucket count.
        guard args.bucket > 0 || dict.pruneIndexSize == 0 || (args.maxn == 0 && args.wordNgrams <= 1) else {
            throw ModelError(path, "args.bucket: 0 buckets for a model with n-gram features")
        }
        let expectedOut = args.loss == .hs ? max(dict.nlabels - 1, 0) : dict.nlabels
        guard output.rows >= expectedOut else {
            throw ModelError(path, "output matrix: \(output.rows) rows for \(dict.nlabels) labels")
        }
        if r.remaining != 0 { throw ModelError(path, "\(r.remaining) unexpected bytes after the model") }
        return FastTextModel(args: args, dictionary: dict, input: input, output: output, quantized: quantInput)
    }

    public func save(path: String) throws {
        guard let inp = input as? DenseMatrix, let out = output as? DenseMatrix else {
            throw ModelError(path, "saving quantized models is not supported")
        }
        let w = try BinaryWriter(path: path)
        w.int32(Self.magic)
        w.int32(Self.version)
        args.write(w)
        dictionary.write(w)
        w.bool(false)
        inp.write(w)
        w.bool(false)
        out.write(w)
        try w.commit()
    }

    public struct Prediction: Sendable, Equatable {
        public var label: String
        /// As the official bindings report it: exp(log(p + 1e-5)).
        public var probability: Float
        public var labelIndex: Int
    }

    /// Scratch space for one thread's predictions.
    public final class Scratch {
        var words: [Int32] = []
        var labels: [Int32] = []
        var hidden: [Float]
        var output: [Float]
        init(dim: Int, labels: Int) {
            hidden = [Float](repeating: 0, count: dim)
            output = [Float](repeating: 0, count: max(labels, 1))
        }
    }

    public func makeScratch() -> Scratch { Scratch(dim: args.dim, labels: dictionary.nlabels) }

    /// Predicts for one line of text (fastText appends the newline the Python binding adds).
    public func predict(_ text: String, k: Int = 1, threshold: Float = 0, scratch: Scratch? = nil) -> [Prediction] {
        var t = text
        return t.withUTF8 { predict(utf8: $0, k: k, threshold: threshold, scratch: scratch ?? makeScratch()) }
    }

    /// Predicts for UTF-8 text, read up to its first newline (which ends the line, with `</s>`,
    /// as in fastText's `predictLine`); text without a newline is read as if it had one.
    public func predict(utf8 text: UnsafeBufferPointer<UInt8>, k: Int, threshold: Float, scratch s: Scratch) -> [Prediction] {
        var consumed = 0
        let hasNewline = text.contains(0x0A)
        if hasNewline {
            dictionary.features(text, words: &s.words, labels: &s.labels, consumed: &consumed)
        } else {
            var line = Array(text)
            line.append(0x0A)
            line.withUnsafeBufferPointer { _ = dictionary.features($0, words: &s.words, labels: &s.labels, consumed: &consumed) }
        }
        return predict(features: s.words, k: k, threshold: threshold, scratch: s)
    }

    /// Top-k labels for precomputed feature rows.
    func predict(features words: [Int32], k: Int, threshold: Float, scratch s: Scratch) -> [Prediction] {
        guard !words.isEmpty, k > 0 else { return [] }
        computeHidden(words, &s.hidden)
        var heap: [(Float, Int)] = []
        s.hidden.withUnsafeBufferPointer { h in
            switch args.loss {
            case .hs:
                tree!.predict(k: k, threshold: threshold, heap: &heap, hidden: h.baseAddress!, output: output)
            case .softmax:
                s.output.withUnsafeMutableBufferPointer { o in
                    for i in 0..<dictionary.nlabels { o[i] = output.dot(i, h.baseAddress!) }
                    var mx = o[0]
                    for i in 0..<dictionary.nlabels { mx = max(o[i], mx) }
                    var z: Float = 0
                    for i in 0..<dictionary.nlabels { o[i] = expf(o[i] - mx); z += o[i] }
                    for i in 0..<dictionary.nlabels { o[i] /= z }
                    Self.findKBest(k: k, threshold: threshold, heap: &heap, output: o)
                }
            case .ns, .ova:
                s.output.withUnsafeMutableBufferPointer { o in
                    for i in 0..<dictionary.nlabels { o[i] = Sigmoid.table(output.dot(i, h.baseAddress!)) }
                    Self.findKBest(k: k, threshold: threshold, heap: &heap, output: o)
                }
            }
        }
        heap.sort { $0.0 > $1.0 }
        return heap.map { Prediction(label: dictionary.label($0.1), probability: expf($0.0), labelIndex: $0.1) }
    }

    func computeHidden(_ words: [Int32], _ hidden: inout [Float]) {
        hidden.withUnsafeMutableBufferPointer { h in
            for j in 0..<h.count { h[j] = 0 }
            for w in words { input.addRow(Int(w), to: h.baseAddress!, scale: 1) }
            let inv = Float(1.0 / Double(words.count))
            for j in 0..<h.count { h[j] *= inv }
        }
    }

    /// `log(x + 1e-5)` in double, rounded to Float — fastText's `std_log`.
    @inline(__always) static func stdLog(_ x: Float) -> Float { Float(log(Double(x) + 1e-5)) }

    static func findKBest(k: Int, threshold: Float, heap: inout [(Float, Int)], output: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<output.count {
            if output[i] < threshold { continue }
            let score = stdLog(output[i])
            TopK.push(&heap, (score, i), k: k)
        }
    }
}

/// A bounded min-heap on score keeping the k best (ties keep the earlier entry, as a
/// std::push_heap/pop_heap pair on fastText's comparator does for distinct scores).
enum TopK {
    static func push(_ heap: inout [(Float, Int)], _ item: (Float, Int), k: Int) {
        if heap.count == k, let worst = heap.min(by: { $0.0 < $1.0 }), item.0 < worst.0 { return }
        heap.append(item)
        if heap.count > k {
            var wi = 0
            for i in 1..<heap.count where heap[i].0 < heap[wi].0 { wi = i }
            heap.remove(at: wi)
        }
    }
}

/// fastText's sigmoid lookup table (512 steps over [-8, 8]), used by ns/ova prediction and training.
enum Sigmoid {
    static let maxSigmoid: Float = 8
    static let size = 512
    static let values: [Float] = (0...size).map { i in
        let x = Float(i * 2 * 8) / Float(size) - maxSigmoid
        return Float(1.0 / (1.0 + Double(expf(-x))))
    }
    @inline(__always) static func table(_ x: Float) -> Float {
        if !(x >= -maxSigmoid) { return 0 }  // also NaN (finite weights can still overflow to inf − inf)
        if x > maxSigmoid { return 1 }
        return values[Int((x + maxSigmoid) * Float(size) / maxSigmoid / 2)]
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension FastTextModel {
    public struct TestResult: Sendable {
        public var examples: Int
        public var precision: Double
        public var recall: Double
    }

    /// fastText's `test`: over lines carrying labels, precision and recall at k.
    public func test(path: String, k: Int = 1, threshold: Float = 0) throws -> TestResult {
        let text = try BinaryReader(path: path).bytes
        let s = makeScratch()
        var n = 0, predicted = 0, gold = 0, correct = 0
        text.withUnsafeBufferPointer { buf in
            var pos = 0
            while pos < buf.count {
                let tokens = dictionary.features(buf, words: &s.words, labels: &s.labels, consumed: &pos)
                if tokens == 0 { break }
                guard !s.labels.isEmpty else { continue }
                let preds = predict(features: s.words, k: k, threshold: threshold, scratch: s)
                n += 1
                gold += s.labels.count
                predicted += preds.count
                correct += preds.filter { s.labels.contains(Int32($0.labelIndex)) }.count
            }
        }
        return TestResult(examples: n, precision: predicted > 0 ? Double(correct) / Double(predicted) : .nan,
                          recall: gold > 0 ? Double(correct) / Double(gold) : .nan)
    }
}
