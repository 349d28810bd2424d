import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// Supervised fastText training (softmax or one-vs-all), as the official `fasttext supervised`
/// does it: dictionary with counts and thresholds, uniform input init, zero output init, SGD
/// over lines with a linearly decaying learning rate, Hogwild threads each reading its own
/// slice of the file, gradient averaged over the line's features. Writes a `.bin` that the
/// official library loads.
public struct FastTextTrainer {
    public struct Options: Sendable {
        public var args = FastTextArgs()
        public var lr = 0.1
        public var minCountLabel = 0
        public var threads = 2
        public var seed = 0
        public init() {
            args.loss = .softmax
        }
    }

    public struct Report: Sendable {
        public var words: Int
        public var labels: Int
        public var tokens: Int64
        public var seconds: Double
        public var averageLoss: Double
        public var tokensPerSecondPerThread: Double
    }

    public static func train(input: String, options: Options, progress: ((Double, Double) -> Void)? = nil) throws -> (FastTextModel, Report) {
        var args = options.args
        guard args.loss == .softmax || args.loss == .ova else {
            throw ModelError(input, "training supports the softmax and ova losses")
        }
        if args.wordNgrams <= 1 && args.maxn == 0 { args.bucket = 0 }
        let text = try BinaryReader(path: input).bytes
        let dict = try buildDictionary(text, args: args, minCountLabel: options.minCountLabel, path: input)
        guard dict.nlabels > 0 else { throw ModelError(input, "no labels found (lines must carry \(args.label)NAME tokens)") }
        let rowsIn = dict.nwords + args.bucket
        let inputM = DenseMatrix(rows: rowsIn, cols: args.dim)
        var rng = SplitMix64(seed: UInt64(options.seed))
        let bound = 1.0 / Double(args.dim)
        for i in 0..<(rowsIn * args.dim) { inputM.storage.pointer[i] = Float(rng.uniform(-bound, bound)) }
        let outputM = DenseMatrix(rows: dict.nlabels, cols: args.dim)

        let shared = TrainingState(total: Int64(args.epoch) * dict.ntokens)
        let threads = max(1, options.threads)
        let t0 = monotonicSeconds()
        let contexts = (0..<threads).map { id in
            ThreadContext(id: id, threads: threads, text: text, dict: dict, input: inputM, output: outputM, args: args,
                          lr: options.lr, seed: UInt64(options.seed + id), shared: shared)
        }
        var tids: [pthread_t] = []
        for c in contexts {
            var tid = pthread_t()
            let box = Unmanaged.passRetained(c).toOpaque()
            let rc = pthread_create(&tid, nil, { raw in
                let c = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                c.run()
                return nil
            }, box)
            guard rc == 0 else { throw ModelError(input, "cannot start a training thread: \(String(cString: strerror(rc)))") }
            tids.append(tid)
        }
        if let progress {
            while shared.tokens.load(ordering: .relaxed) < shared.total && shared.running.load(ordering: .relaxed) > 0 {
                usleep(200_000)
                progress(min(1, Double(shared.tokens.load(ordering: .relaxed)) / Double(shared.total)), contexts[0].averageLoss)
            }
        }
        for t in tids { pthread_join(t, nil) }
        let secs = monotonicSeconds() - t0
        let model = FastTextModel(args: args, dictionary: dict, input: inputM, output: outputM, quantized: false)
        let loss = contexts.map(\.averageLoss).reduce(0, +) / Double(threads)
        return (model, Report(words: dict.nwords, labels: dict.nlabels, tokens: dict.ntokens, seconds: secs, averageLoss: loss,
                              tokensPerSecondPerThread: Double(shared.total) / secs / Double(threads)))
    }

    /// Counts every token of the file (newlines as `</s>`), keeps words seen `minCount` times
    /// and labels seen `minCountLabel` times, words before labels, each by count descending.
    static func buildDictionary(_ text: [UInt8], args: FastTextArgs, minCountLabel: Int, path: String) throws -> FastTextDictionary {
        var index: [[UInt8]: Int] = [:]
        var entries: [FastTextDictionary.Entry] = []
        var ntokens: Int64 = 0
        let prefix = Array(args.label.utf8)
        text.withUnsafeBufferPointer { buf in
            var i = 0
            let n = buf.count
            var token: [UInt8] = []
            while i < n {
                token.removeAll(keepingCapacity: true)
                while i < n {
                    let c = buf[i]
                    if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0 {
                        if token.isEmpty {
                            i += 1
                            if c == 0x0A { token = FastTextDictionary.eos; break }
                            continue
                        }
                        break
                    }
                    token.append(c)
                    i += 1
                }
                if token.isEmpty { break }
                ntokens += 1
                if let k = index[token] {
                    entries[k].count += 1
                } else {
                    index[token] = entries.count
                    let isLabel = token.count >= prefix.count && Array(token[0..<prefix.count]) == prefix
                    entries.append(.init(word: token, count: 1, type: isLabel ? .label : .word))
                }
            }
        }
        let kept = entries.enumerated().filter { _, e in
            e.type == .word ? e.count >= Int64(args.minCount) : e.count >= Int64(minCountLabel)
        }.sorted { a, b in
            if a.element.type != b.element.type { return a.element.type.rawValue < b.element.type.rawValue }
            if a.element.count != b.element.count { return a.element.count > b.element.count }
            return a.offset < b.offset
        }.map(\.element)
        let nwords = kept.filter { $0.type == .word }.count
        return FastTextDictionary(entries: kept, nwords: nwords, nlabels: kept.count - nwords, ntokens: ntokens,
                                  pruneIndexSize: -1, pruneIndex: [:], args: args)
    }
}

/// Shared between training threads: tokens processed (drives the learning-rate decay).
final class TrainingState: Sendable {
    let tokens = Atomic<Int64>(0)
    let running = Atomic<Int>(0)
    let total: Int64
    init(total: Int64) { self.total = total }
}

/// One Hogwild training thread (weights are updated in place without locks, as in fastText).
final class ThreadContext: @unchecked Sendable {
    let id: Int, threads: Int
    let text: [UInt8]
    let dict: FastTextDictionary
    let input: DenseMatrix, output: DenseMatrix
    let args: FastTextArgs
    let lr0: Double
    var rng: SplitMix64
    let shared: TrainingState
    var lossSum = 0.0, examples = 0

    init(id: Int, threads: Int, text: [UInt8], dict: FastTextDictionary, input: DenseMatrix, output: DenseMatrix,
         args: FastTextArgs, lr: Double, seed: UInt64, shared: TrainingState) {
        self.id = id; self.threads = threads; self.text = text; self.dict = dict
        self.input = input; self.output = output; self.args = args; lr0 = lr
        rng = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        self.shared = shared
        shared.running.add(1, ordering: .relaxed)
    }

    var averageLoss: Double { examples > 0 ? lossSum / Double(examples) : 0 }

    func run() {
        defer { shared.running.subtract(1, ordering: .relaxed) }
        let dim = args.dim
        let nlabels = dict.nlabels
        var hidden = [Float](repeating: 0, count: dim)
        var grad = [Float](repeating: 0, count: dim)
        var out = [Float](repeating: 0, count: nlabels)
        var words: [Int32] = [], labels: [Int32] = []
        var local: Int64 = 0
        text.withUnsafeBufferPointer { buf in
            var pos = id * buf.count / threads
            while shared.tokens.load(ordering: .relaxed) < shared.total {
                let progress = Double(shared.tokens.load(ordering: .relaxed)) / Double(shared.total)
                let lr = Float(lr0 * (1.0 - progress))
                if pos >= buf.count { pos = 0 }  // wrap around, as fastText's reset() at end of file
                local += Int64(dict.features(buf, words: &words, labels: &labels, consumed: &pos))
                if !labels.isEmpty && !words.isEmpty {
                    hidden.withUnsafeMutableBufferPointer { h in
                        grad.withUnsafeMutableBufferPointer { g in
                            out.withUnsafeMutableBufferPointer { o in
                                update(words, labels, lr: lr, h.baseAddress!, g.baseAddress!, o)
                            }
                        }
                    }
                }
                if local > Int64(args.lrUpdateRate) {
                    shared.tokens.add(local, ordering: .relaxed)
                    local = 0
                }
            }
        }
    }

    private func update(_ words: [Int32], _ labels: [Int32], lr: Float, _ h: UnsafeMutablePointer<Float>,
                        _ g: UnsafeMutablePointer<Float>, _ o: UnsafeMutableBufferPointer<Float>) {
        let dim = args.dim
        for j in 0..<dim { h[j] = 0; g[j] = 0 }
        for w in words { input.addRow(Int(w), to: h, scale: 1) }
        let inv = Float(1.0 / Double(words.count))
        for j in 0..<dim { h[j] *= inv }
        var loss: Float = 0
        if args.loss == .softmax {
            let target = Int(labels[Int(rng.next() % UInt64(labels.count))])
            var mx = -Float.infinity
            for i in 0..<o.count { o[i] = output.dot(i, h); mx = max(mx, o[i]) }
            var z: Float = 0
            for i in 0..<o.count { o[i] = expf(o[i] - mx); z += o[i] }
            for i in 0..<o.count { o[i] /= z }
            for i in 0..<o.count {
                let alpha = lr * ((i == target ? 1 : 0) - o[i])
                let row = output.row(i)
                for j in 0..<dim { g[j] += alpha * row[j] }
                for j in 0..<dim { row[j] += alpha * h[j] }
            }
            loss = -logf(max(o[target], 1e-5))
        } else {
            for i in 0..<o.count {
                let positive = labels.contains(Int32(i))
                let score = Sigmoid.table(output.dot(i, h))
                let alpha = lr * ((positive ? 1 : 0) - score)
                let row = output.row(i)
                for j in 0..<dim { g[j] += alpha * row[j] }
                for j in 0..<dim { row[j] += alpha * h[j] }
                loss += -logf(max(positive ? score : 1 - score, 1e-5))
            }
        }
        lossSum += Double(loss)
        examples += 1
        for j in 0..<dim { g[j] *= inv }  // normalised gradient (supervised)
        for w in words {
            let row = input.row(Int(w))
            for j in 0..<dim { row[j] += g[j] }
        }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
