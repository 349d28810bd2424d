#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// What a parameter is, for weight-decay exclusion and initialisation.
public enum ParameterKind: String, Sendable {
    case embedding, norm, bias, weight
    /// A linear layer writing into the residual stream (attention out, MLP down): GPT-2 scales
    /// its init by 1/sqrt(2 · layers).
    case residualWeight
}

public struct ParameterInfo: Sendable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public let kind: ParameterKind
    public var count: Int { shape.reduce(1, *) }
}

/// All parameters in one contiguous Float buffer (and their gradients in another), so the
/// optimizer, clipping and zeroing are single loops and checkpoints are one pass.
public final class ParameterStore: @unchecked Sendable {
    public let infos: [ParameterInfo]
    public let count: Int
    public let values: UnsafeMutablePointer<Float>
    public let grads: UnsafeMutablePointer<Float>
    private let index: [String: Int]

    init(_ specs: [(String, [Int], ParameterKind)]) {
        var infos: [ParameterInfo] = []
        var off = 0
        for (n, s, k) in specs {
            infos.append(ParameterInfo(name: n, shape: s, offset: off, kind: k))
            off += s.reduce(1, *)
        }
        self.infos = infos
        count = off
        values = .allocate(capacity: max(off, 1)); values.initialize(repeating: 0, count: max(off, 1))
        grads = .allocate(capacity: max(off, 1)); grads.initialize(repeating: 0, count: max(off, 1))
        var idx: [String: Int] = [:]
        for (i, p) in infos.enumerated() { idx[p.name] = i }
        index = idx
    }

    deinit { values.deallocate(); grads.deallocate() }

    public func info(_ name: String) -> ParameterInfo? { index[name].map { infos[$0] } }

    /// Offset of a parameter that the layout guarantees exists.
    func offset(_ name: String) -> Int { infos[index[name]!].offset }
    func optionalOffset(_ name: String) -> Int? { index[name].map { infos[$0].offset } }

    public func zeroGrads() { grads.update(repeating: 0, count: count) }

    public func value(_ name: String) -> [Float] {
        let p = infos[index[name]!]
        return Array(UnsafeBufferPointer(start: values + p.offset, count: p.count))
    }

    public func grad(_ name: String) -> [Float] {
        let p = infos[index[name]!]
        return Array(UnsafeBufferPointer(start: grads + p.offset, count: p.count))
    }

    /// Loads every parameter from a safetensors file: names and shapes must match exactly.
    public func load(_ file: SafetensorsFile) throws {
        let known = Set(infos.map(\.name))
        for n in file.names where !known.contains(n) {
            throw SafetensorsError(file.path, "tensor '\(n)' is not a parameter of this model")
        }
        for p in infos {
            guard let e = file.entry(p.name) else { throw SafetensorsError(file.path, "missing parameter '\(p.name)' \(p.shape)") }
            guard e.shape == p.shape else {
                throw SafetensorsError(file.path, "parameter '\(p.name)': shape \(e.shape) in the file, the model needs \(p.shape)")
            }
            let v = try file.floats(p.name)
            for (i, x) in v.enumerated() {
                guard x.isFinite else { throw SafetensorsError(file.path, "parameter '\(p.name)' has a non-finite value at \(i)") }
                values[p.offset + i] = x
            }
        }
    }

    /// Copies `v` into parameter `name` (the layout guarantees it exists and the caller checked
    /// the size); a non-finite value is an error naming `source`.
    func assign(_ name: String, _ v: UnsafeBufferPointer<Float>, source: String) throws {
        let p = infos[index[name]!]
        precondition(v.count == p.count, "\(name): \(v.count) values for \(p.count)")
        for i in 0..<p.count {
            guard v[i].isFinite else { throw LMError("\(source): non-finite value at \(i) (for '\(name)')") }
            values[p.offset + i] = v[i]
        }
    }

    public func addValues(to w: inout SafetensorsWriter, prefix: String = "") {
        for p in infos { w.add(prefix + p.name, shape: p.shape, floats: UnsafeBufferPointer(start: values + p.offset, count: p.count)) }
    }

    public func addGrads(to w: inout SafetensorsWriter, prefix: String) {
        for p in infos { w.add(prefix + p.name, shape: p.shape, floats: UnsafeBufferPointer(start: grads + p.offset, count: p.count)) }
    }

    /// GPT-2/Llama-style seeded init: normal(0, 0.02) for weights and embeddings, residual
    /// projections 0.02/sqrt(2·effective layers), biases 0, norm weights 1.
    public func initialize(seed: UInt64, effectiveLayers: Int) {
        var rng = SplitMix64(seed: seed)
        let residualStd = 0.02 / Double(2 * effectiveLayers).squareRoot()
        for p in infos {
            let v = values + p.offset
            switch p.kind {
            case .bias: v.update(repeating: 0, count: p.count)
            case .norm: v.update(repeating: p.name.hasSuffix(".bias") ? 0 : 1, count: p.count)
            case .embedding, .weight, .residualWeight:
                let std = p.kind == .residualWeight ? residualStd : 0.02
                var i = 0
                while i < p.count {
                    // Box–Muller: two normals per pair of uniforms.
                    let u1 = max(rng.uniform(0, 1), 1e-300), u2 = rng.uniform(0, 1)
                    let r = (-2 * log(u1)).squareRoot()
                    v[i] = Float(std * r * cos(2 * Double.pi * u2))
                    if i + 1 < p.count { v[i + 1] = Float(std * r * sin(2 * Double.pi * u2)) }
                    i += 2
                }
            }
        }
    }
}
