import WinnowCore

/// The `optimizer:` section: AdamW, schedule, clipping, accumulation, z-loss.
public struct OptimizerConfig: Equatable, Sendable {
    public var lr = 3e-4
    public var minLR = 0.0
    public var warmup = 0
    public var schedule = LRSchedule.Kind.cosine
    public var beta1 = 0.9, beta2 = 0.95, eps = 1e-8
    public var weightDecay = 0.1
    public var noDecay: Set<ParameterKind> = [.norm, .bias]
    /// Global-norm clipping threshold; 0 = off.
    public var clip = 1.0
    public var gradAccum = 1
    public var zLoss = 0.0

    public init() {}

    public static let keys = ["lr", "min_lr", "warmup", "schedule", "beta1", "beta2", "eps", "weight_decay", "no_decay",
                              "clip", "grad_accum", "z_loss"]

    public init(_ node: ConfigNode?, path: String, mark: SourceMark) throws {
        var m = try ConfigMap(node, path: path, mark: mark)
        try m.expectOnly(Self.keys)
        lr = try m.double("lr", default: lr)
        minLR = try m.double("min_lr", default: minLR)
        warmup = try m.int("warmup", default: warmup)
        schedule = LRSchedule.Kind(rawValue: try m.choice("schedule", LRSchedule.Kind.allCases.map(\.rawValue), default: schedule.rawValue))!
        beta1 = try m.double("beta1", default: beta1); beta2 = try m.double("beta2", default: beta2); eps = try m.double("eps", default: eps)
        weightDecay = try m.double("weight_decay", default: weightDecay)
        let kinds = try m.strings("no_decay", default: ["norm", "bias"])
        noDecay = []
        for k in kinds {
            guard let kind = ParameterKind(rawValue: k), kind != .residualWeight else {
                throw m.error("no_decay", "no_decay entries are norm, bias, embedding or weight; found '\(k)'")
            }
            noDecay.insert(kind)
            if kind == .weight { noDecay.insert(.residualWeight) }
        }
        clip = try m.double("clip", default: clip)
        gradAccum = try m.int("grad_accum", default: gradAccum)
        zLoss = try m.double("z_loss", default: zLoss)
        try m.finish()
        guard lr > 0, warmup >= 0, gradAccum >= 1, clip >= 0, zLoss >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2), eps > 0 else {
            throw ConfigError("optimizer: lr > 0, warmup ≥ 0, grad_accum ≥ 1, clip ≥ 0, z_loss ≥ 0, betas in [0, 1), eps > 0",
                              at: m.mark, path: path)
        }
    }

    public var json: JSONValue {
        .object(JSONObject([
            ("lr", .number(String(lr))), ("min_lr", .number(String(minLR))), ("warmup", .int(warmup)),
            ("schedule", .string(schedule.rawValue)), ("beta1", .number(String(beta1))), ("beta2", .number(String(beta2))),
            ("eps", .number(String(eps))), ("weight_decay", .number(String(weightDecay))),
            ("no_decay", .array(noDecay.filter { $0 != .residualWeight }.map(\.rawValue).sorted().map { .string($0) })),
            ("clip", .number(String(clip))), ("grad_accum", .int(gradAccum)), ("z_loss", .number(String(zLoss))),
        ]))
    }

    public func makeAdamW(_ p: ParameterStore) -> AdamW {
        AdamW(parameterCount: p.count, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, noDecay: noDecay)
    }

    public func schedule(totalSteps: Int) -> LRSchedule {
        LRSchedule(kind: schedule, peak: lr, minLR: minLR, warmup: warmup, total: totalSteps)
    }
}
