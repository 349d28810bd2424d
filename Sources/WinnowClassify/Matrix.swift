/// fastText's matrices: dense rows of `Float`, or product-quantized rows (`.ftz`).
protocol FastTextMatrix: Sendable {
    var rows: Int { get }
    var cols: Int { get }
    /// `x += scale * row(i)`.
    func addRow(_ i: Int, to x: UnsafeMutablePointer<Float>, scale: Float)
    /// `row(i) · x`, accumulated left to right in Float as fastText does.
    func dot(_ i: Int, _ x: UnsafePointer<Float>) -> Float
}

struct DenseMatrix: FastTextMatrix, @unchecked Sendable {
    let rows: Int
    let cols: Int
    /// Row-major; a class box so training threads can update it in place (Hogwild).
    let storage: FloatBuffer

    init(rows: Int, cols: Int, data: [Float]) {
        self.rows = rows
        self.cols = cols
        storage = FloatBuffer(data)
    }

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        storage = FloatBuffer(count: rows * cols)
    }

    @inline(__always) func row(_ i: Int) -> UnsafeMutablePointer<Float> { storage.pointer + i * cols }

    func addRow(_ i: Int, to x: UnsafeMutablePointer<Float>, scale: Float) {
        let r = row(i)
        if scale == 1 { for j in 0..<cols { x[j] += r[j] } } else { for j in 0..<cols { x[j] += scale * r[j] } }
    }

    func dot(_ i: Int, _ x: UnsafePointer<Float>) -> Float {
        let r = row(i)
        var d: Float = 0
        for j in 0..<cols { d += r[j] * x[j] }
        return d
    }

    func write(_ w: BinaryWriter) {
        w.int64(Int64(rows))
        w.int64(Int64(cols))
        w.floats(storage.pointer, count: rows * cols)
    }

    static func read(_ r: inout BinaryReader, _ what: String) throws -> DenseMatrix {
        let m = try r.int64("\(what) rows"), n = try r.int64("\(what) columns")
        guard m >= 0, n >= 0, m < 1 << 34, n < 1 << 20, m * n <= Int64(r.remaining / 4) else {
            throw ModelError(r.path, "\(what) claims \(m)×\(n) floats but the file holds \(r.remaining) more bytes")
        }
        return DenseMatrix(rows: Int(m), cols: Int(n), data: try r.finiteFloats(Int(m * n), what))
    }
}

/// Floats in one allocation shared by reference (model weights, updated in place by trainers).
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    convenience init(_ data: [Float]) {
        self.init(count: data.count)
        data.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: data.count) }
    }
    deinit { pointer.deallocate() }
}

/// Bytes in one allocation (quantization codes), read through a stable pointer.
final class ByteBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt8>
    init(_ data: [UInt8]) {
        pointer = .allocate(capacity: max(data.count, 1))
        data.withUnsafeBufferPointer { if let b = $0.baseAddress { pointer.update(from: b, count: data.count) } }
    }
    deinit { pointer.deallocate() }
}

/// fastText's product quantizer: `nsubq` sub-vectors of `dsub` floats (the last `lastdsub`),
/// each coded by one byte indexing 256 centroids.
struct ProductQuantizer: Sendable {
    static let ksub = 256
    let dim: Int
    let nsubq: Int
    let dsub: Int
    let lastdsub: Int
    let centroids: [Float]
    private let table: FloatBuffer

    init(dim: Int, nsubq: Int, dsub: Int, lastdsub: Int, centroids: [Float]) {
        self.dim = dim; self.nsubq = nsubq; self.dsub = dsub; self.lastdsub = lastdsub
        self.centroids = centroids
        table = FloatBuffer(centroids)
    }

    static func read(_ r: inout BinaryReader, _ what: String) throws -> ProductQuantizer {
        let dim = Int(try r.int32("\(what) dim")), nsubq = Int(try r.int32("\(what) nsubq"))
        let dsub = Int(try r.int32("\(what) dsub")), lastdsub = Int(try r.int32("\(what) lastdsub"))
        guard dim > 0, nsubq > 0, dsub > 0, lastdsub > 0, (nsubq - 1) * dsub + lastdsub == dim, dim * ksub <= r.remaining / 4 else {
            throw ModelError(r.path, "\(what): inconsistent product quantizer (dim \(dim), nsubq \(nsubq), dsub \(dsub), lastdsub \(lastdsub))")
        }
        return ProductQuantizer(dim: dim, nsubq: nsubq, dsub: dsub, lastdsub: lastdsub,
                                centroids: try r.finiteFloats(dim * ksub, "\(what) centroids"))
    }

    @inline(__always) func centroid(_ m: Int, _ code: UInt8) -> Int {
        m == nsubq - 1 ? m * Self.ksub * dsub + Int(code) * lastdsub : (m * Self.ksub + Int(code)) * dsub
    }

    func addCode(_ x: UnsafeMutablePointer<Float>, codes: UnsafePointer<UInt8>, alpha: Float) {
        let c = table.pointer
        for m in 0..<nsubq {
            let src = c + centroid(m, codes[m])
            let dst = x + m * dsub
            let d = m == nsubq - 1 ? lastdsub : dsub
            for n in 0..<d { dst[n] += alpha * src[n] }
        }
    }

    func mulCode(_ x: UnsafePointer<Float>, codes: UnsafePointer<UInt8>, alpha: Float) -> Float {
        var res: Float = 0
        let c = table.pointer
        for m in 0..<nsubq {
            let src = c + centroid(m, codes[m])
            let v = x + m * dsub
            let d = m == nsubq - 1 ? lastdsub : dsub
            for n in 0..<d { res += v[n] * src[n] }
        }
        return res * alpha
    }
}

struct QuantMatrix: FastTextMatrix {
    let rows: Int
    let cols: Int
    let codes: [UInt8]
    private let codeBuffer: ByteBuffer
    let pq: ProductQuantizer
    let normCodes: [UInt8]?
    let npq: ProductQuantizer?

    static func read(_ r: inout BinaryReader, _ what: String) throws -> QuantMatrix {
        let qnorm = try r.bool("\(what) qnorm")
        let m = try r.int64("\(what) rows"), n = try r.int64("\(what) columns")
        let codesize = try r.int32("\(what) code size")
        guard m >= 0, n > 0, codesize >= 0 else {
            throw ModelError(r.path, "\(what): bad quantized matrix header (\(m)×\(n), \(codesize) code bytes)")
        }
        let codes = try r.byteArray(Int(codesize), "\(what) codes")
        let pq = try ProductQuantizer.read(&r, "\(what) quantizer")
        let expectedCodes = Int(m).multipliedReportingOverflow(by: pq.nsubq)
        guard pq.dim == Int(n), !expectedCodes.overflow, Int(codesize) == expectedCodes.partialValue else {
            throw ModelError(r.path, "\(what): \(codesize) code bytes do not fit \(m) rows of \(pq.nsubq) sub-quantizers of a \(n)-wide matrix")
        }
        var normCodes: [UInt8]?
        var npq: ProductQuantizer?
        if qnorm {
            normCodes = try r.byteArray(Int(m), "\(what) norm codes")
            let q = try ProductQuantizer.read(&r, "\(what) norm quantizer")
            guard q.dim == 1 else { throw ModelError(r.path, "\(what) norm quantizer: \(q.dim) dimensions, norms have 1") }
            npq = q
        }
        return QuantMatrix(rows: Int(m), cols: Int(n), codes: codes, codeBuffer: ByteBuffer(codes), pq: pq, normCodes: normCodes, npq: npq)
    }

    @inline(__always) func norm(_ i: Int) -> Float {
        guard let normCodes, let npq else { return 1 }
        return npq.centroids[npq.centroid(0, normCodes[i])]
    }

    func addRow(_ i: Int, to x: UnsafeMutablePointer<Float>, scale: Float) {
        pq.addCode(x, codes: codeBuffer.pointer + i * pq.nsubq, alpha: norm(i) * scale)
    }

    func dot(_ i: Int, _ x: UnsafePointer<Float>) -> Float {
        pq.mulCode(x, codes: codeBuffer.pointer + i * pq.nsubq, alpha: norm(i))
    }
}
