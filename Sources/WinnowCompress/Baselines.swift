import CZlib
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

/// The other rows of EIW's Table 12, on the same documents: what each method turns a document
/// into, counted in bits (or tokens) per document.
public enum Baselines {
    /// Plain arithmetic coding under M1 ("AC"): one bit stream per document, M1's context reset
    /// every `contextLength − 1` bytes (it is trained on that length; the coder itself runs on
    /// through the whole document). Documents run in lockstep on `lanes` lanes.
    public static func plainACBits(_ documents: [[UInt8]], model: ByteModel, lanes: Int = 8) -> [Int] {
        let ctx = model.config.contextLength
        let state = ByteModelState(model: model, lanes: lanes, capacity: ctx)
        var bits = [Int](repeating: 0, count: documents.count)
        struct Lane { var doc = -1, at = 0, inContext = 0; var coder = ArithmeticEncoder(); var cdf: UnsafePointer<UInt32>? }
        var ls = [Lane](repeating: Lane(), count: lanes)
        var next = 0
        func take(_ i: Int) {
            while next < documents.count {
                let d = next
                next += 1
                if documents[d].isEmpty { continue }
                ls[i] = Lane(doc: d, at: 0, inContext: 0, coder: ArithmeticEncoder(), cdf: model.rootPointer)
                state.loadStart(lane: i)
                return
            }
            ls[i].doc = -1
        }
        for i in 0..<lanes { take(i) }
        var rowLanes: [Int] = [], rowTokens: [Int32] = []
        while true {
            rowLanes.removeAll(keepingCapacity: true); rowTokens.removeAll(keepingCapacity: true)
            for i in 0..<lanes {
                while ls[i].doc >= 0 {
                    let doc = documents[ls[i].doc], s = Int(doc[ls[i].at])
                    ls[i].coder.encode(s, ls[i].cdf!)
                    ls[i].at += 1; ls[i].inContext += 1
                    if ls[i].at == doc.count {
                        bits[ls[i].doc] = ls[i].coder.finish().count
                        take(i)
                    } else if ls[i].inContext == ctx - 1 {
                        ls[i].inContext = 0
                        ls[i].cdf = model.rootPointer
                        state.loadStart(lane: i)
                    } else if ls[i].inContext == 1 {
                        ls[i].cdf = state.loadFirstByte(lane: i, s)
                    } else {
                        rowLanes.append(i); rowTokens.append(Int32(s))
                        break
                    }
                }
            }
            if rowLanes.isEmpty { break }
            state.step(lanes: rowLanes, tokens: rowTokens)
            for (r, i) in rowLanes.enumerated() { ls[i].cdf = state.cdf(row: r) }
        }
        return bits
    }

    /// Byte counts of a corpus (StaticAC's unigram model).
    public static func byteCounts(_ documents: [[UInt8]]) -> [UInt64] {
        var c = [UInt64](repeating: 0, count: 256)
        for d in documents { for b in d { c[Int(b)] += 1 } }
        return c
    }

    /// StaticAC: arithmetic coding under one fixed byte distribution.
    public static func staticACBits(_ documents: [[UInt8]], cdf: [UInt32]) -> [Int] {
        cdf.withUnsafeBufferPointer { c in
            documents.map { d -> Int in
                guard !d.isEmpty else { return 0 }
                var e = ArithmeticEncoder()
                for b in d { e.encode(Int(b), c.baseAddress!) }
                return e.finish().count
            }
        }
    }

    /// GZip: each document as a gzip member (zlib level 9, header and trailer included).
    public static func gzipBytes(_ documents: [[UInt8]]) -> [Int] {
        documents.map { d in
            var zs = z_stream()
            deflateInit2_(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            defer { deflateEnd(&zs) }
            var out = [UInt8](repeating: 0, count: Int(deflateBound(&zs, UInt(d.count))) + 64)
            var input = d
            let n: Int = input.withUnsafeMutableBufferPointer { ib in
                out.withUnsafeMutableBufferPointer { ob in
                    zs.next_in = ib.baseAddress; zs.avail_in = UInt32(ib.count)
                    zs.next_out = ob.baseAddress; zs.avail_out = UInt32(ob.count)
                    _ = deflate(&zs, Z_FINISH)
                    return ob.count - Int(zs.avail_out)
                }
            }
            return n
        }
    }

    /// Tokens of a tokenizer (the project's BPE) per document.
    public static func tokenCounts(_ documents: [[UInt8]], tokenizer: any Tokenizer) -> [Int] {
        documents.map { tokenizer.encode(String(decoding: $0, as: UTF8.self)).count }
    }
}

/// One row of the compression table: a method's tokens for the documents, and its bits.
public struct CompressionRow: Sendable {
    public var method: String
    public var vocabulary: Int
    public var tokens: Int
    public var bytes: Int
    /// Bits the method's output takes (tokens · log2 v for fixed-width tokens).
    public var bits: Double
    public var paper: Double?
    public var note: String = ""
    public var ratio: Double { Double(bytes) / Double(max(tokens, 1)) }
    public var bitsPerByte: Double { bits / Double(max(bytes, 1)) }

    public init(method: String, vocabulary: Int, tokens: Int, bytes: Int, bits: Double, paper: Double? = nil, note: String = "") {
        self.method = method; self.vocabulary = vocabulary; self.tokens = tokens; self.bytes = bytes; self.bits = bits
        self.paper = paper; self.note = note
    }

    /// Tokens of t bits for bit strings of the given lengths (one sequence per document).
    public static func bitTokens(_ bits: [Int], tokenBits t: Int) -> Int { bits.reduce(0) { $0 + ($1 + t - 1) / t } }
}
