/// One optimizer step: zero the gradients, forward/backward each micro-batch with the loss
/// scaled by 1/grad_accum (torch: `(loss / accum).backward()`), clip, then AdamW at the
/// scheduled learning rate.
public struct StepResult: Sendable {
    /// Mean over micro-batches of the optimised loss (cross-entropy + z-loss).
    public var loss: Double
    public var crossEntropy: Double
    public var gradNorm: Double
    public var lr: Double
    public var tokens: Int
}

public func trainStep(model: Transformer, optimizer: AdamW, config: OptimizerConfig, lr: Double,
                      microBatches: [Transformer.Batch]) throws -> StepResult {
    model.params.zeroGrads()
    var loss = 0.0, ce = 0.0, tokens = 0
    let scale = 1 / Float(microBatches.count)
    for b in microBatches {
        let l = try model.forward(b, zLoss: config.zLoss)
        model.backward(scale: scale)
        loss += l.loss; ce += l.crossEntropy; tokens += b.batch * b.seq
    }
    let norm = clipGradNorm(model.params, maxNorm: config.clip > 0 ? config.clip : nil)
    guard norm.isFinite else { throw LMError("the gradient norm is not finite (\(norm)): training diverged") }
    optimizer.update(model.params, lr: lr)
    let n = Double(microBatches.count)
    return StepResult(loss: loss / n, crossEntropy: ce / n, gradNorm: norm, lr: lr, tokens: tokens)
}
