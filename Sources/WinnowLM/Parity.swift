import WinnowCore

/// The parity exchange with bench/parity/lm_parity.py, one safetensors file each way.
/// In: metadata `config` (model JSON) and `optimizer` (JSON) and `steps`; tensors `param.<name>`
/// (the init), `tokens`/`targets` [steps·grad_accum (at least 1), batch, seq] and optionally
/// `segments` of the same shape. Out: the first micro-batch's `logits` and `loss`, the first
/// step's accumulated gradients before clipping (`grad.<name>`), and per step `losses` and
/// `grad_norms`. `winnow lm parity-dump --model DIR` takes the model from a directory instead.
public struct ParityOutput {
    public var logits: [Float]
    public var loss: Double
    public var grads: [String: [Float]]
    public var losses: [Double]
    public var gradNorms: [Double]

    public func write(to path: String, model: Transformer) throws {
        var w = SafetensorsWriter()
        w.add("logits", shape: [logits.count], floats: logits)
        w.add("loss", shape: [1], floats: [Float(loss)])
        for p in model.params.infos { w.add("grad.\(p.name)", shape: p.shape, floats: grads[p.name]!) }
        w.add("losses", shape: [losses.count], floats: losses.map { Float($0) })
        w.add("grad_norms", shape: [gradNorms.count], floats: gradNorms.map { Float($0) })
        try w.write(to: path)
    }
}

public enum Parity {
    public static func load(_ f: SafetensorsFile) throws -> (Transformer, OptimizerConfig, steps: Int) {
        func meta(_ k: String) throws -> ConfigNode {
            guard let s = f.metadata[k] else { throw SafetensorsError(f.path, "__metadata__ has no '\(k)'") }
            do { return ConfigNode(json: try JSONParser.parse(s), file: "\(f.path):\(k)") } catch {
                throw SafetensorsError(f.path, "__metadata__.\(k): \(error)")
            }
        }
        let mark = SourceMark(file: f.path, line: 0, column: 0)
        let config = try ModelConfig(try meta("config"), path: "config", mark: mark)
        let opt = try OptimizerConfig(try meta("optimizer"), path: "optimizer", mark: mark)
        let steps = Int(f.metadata["steps"] ?? "0") ?? 0
        let model = try Transformer(config: config)
        var w = SafetensorsWriter()
        // Re-key `param.<name>` to `<name>` so the store's strict loader checks names and shapes.
        for e in f.entries where e.name.hasPrefix("param.") {
            w.add(String(e.name.dropFirst(6)), shape: e.shape, floats: try f.floats(e.name))
        }
        try model.params.load(try SafetensorsFile(bytes: w.serialized(), path: f.path))
        return (model, opt, steps)
    }

    /// With `model` (e.g. a transformers directory loaded by `Transformer.load`), the file's
    /// config and `param.*` are not read and no training steps run: logits, loss and gradients
    /// of the first micro-batch only.
    public static func run(_ f: SafetensorsFile, threads: Int = 1, model given: Transformer? = nil) throws -> (ParityOutput, Transformer) {
        let model: Transformer, opt: OptimizerConfig, steps: Int
        if let given { (model, opt, steps) = (given, OptimizerConfig(), 0) } else { (model, opt, steps) = try load(f) }
        model.threads = threads
        guard let te = f.entry("tokens"), te.shape.count == 3 else { throw SafetensorsError(f.path, "tokens must be [n, batch, seq]") }
        let (n, B, T) = (te.shape[0], te.shape[1], te.shape[2])
        guard n >= max(1, steps * opt.gradAccum) else {
            throw SafetensorsError(f.path, "\(n) micro-batches for \(steps) steps × grad_accum \(opt.gradAccum)")
        }
        let tokens = try f.ints("tokens").map { Int32(truncatingIfNeeded: $0) }
        let targets = try f.ints("targets").map { Int32(truncatingIfNeeded: $0) }
        let segments = try f.entry("segments").map { _ in try f.ints("segments").map { Int32(truncatingIfNeeded: $0) } }
        guard targets.count == tokens.count, segments.map({ $0.count == tokens.count }) ?? true else {
            throw SafetensorsError(f.path, "targets/segments must have the shape of tokens")
        }
        func batch(_ i: Int) -> Transformer.Batch {
            let r = (i * B * T)..<((i + 1) * B * T)
            return Transformer.Batch(tokens: Array(tokens[r]), targets: Array(targets[r]), segments: segments.map { Array($0[r]) }, batch: B, seq: T)
        }
        // Gradients of the first step, before clipping.
        model.params.zeroGrads()
        var firstLoss = 0.0, logits: [Float] = []
        for a in 0..<opt.gradAccum where a < n {
            let l = try model.forward(batch(a), zLoss: opt.zLoss)
            if a == 0 { firstLoss = l.loss; logits = Array(model.logits!) }
            model.backward(scale: 1 / Float(opt.gradAccum))
        }
        var grads: [String: [Float]] = [:]
        for p in model.params.infos { grads[p.name] = model.params.grad(p.name) }
        let adam = opt.makeAdamW(model.params)
        let sched = opt.schedule(totalSteps: steps)
        var losses: [Double] = [], norms: [Double] = []
        for s in 0..<steps {
            let micro = (0..<opt.gradAccum).map { batch(s * opt.gradAccum + $0) }
            let r = try trainStep(model: model, optimizer: adam, config: opt, lr: sched.lr(at: s), microBatches: micro)
            losses.append(r.loss); norms.append(r.gradNorm)
        }
        return (ParityOutput(logits: logits, loss: firstLoss, grads: grads, losses: losses, gradNorms: norms), model)
    }
}
