// Every document of many token shards (datatrove or megatron: formats that keep boundaries) in
// a compact index — one uint64 end per document, plus a few numbers per shard — and a source
// that reads any document's tokens (and loss flags) back by position, keeping a bounded number
// of files open. Used to merge and reshuffle shards without holding their tokens in memory.

#if canImport(Glibc)
import Glibc
#endif

public struct TokenDocumentIndex: Sendable {
    public struct Shard: Sendable, Equatable {
        public let format: TokenShardFormat
        public let files: TokenShardFiles
        public let width: TokenWidth
        public let tokens: Int
        public let hasLoss: Bool
        /// The shard's first document in the index's numbering.
        public let firstDocument: Int
        public let documents: Int
    }

    public private(set) var shards: [Shard] = []
    /// Per document, in index order: its end within its shard, in tokens.
    private var ends: [UInt64] = []
    public private(set) var tokenCount = 0

    public init() {}

    public var documentCount: Int { ends.count }

    /// Adds every document of one shard (the whole index file is checked by `TokenShardReader`:
    /// truncated, corrupt or mismatched files are errors naming the file).
    public mutating func add(format: TokenShardFormat, path: String) throws {
        guard format == .datatrove || format == .megatron else {
            throw TokenShardError(path: path, "\(format.rawValue) shards keep no document boundaries")
        }
        let r = try TokenShardReader(format: format, path: path)
        guard let e = r.documentEnds else { throw TokenShardError(path: r.files.tokens, "no document index (\(r.files.index ?? "index") is missing)") }
        if let w = shards.first?.width, w != r.width {
            throw TokenShardError(path: r.files.tokens, "holds \(r.width) tokens but \(shards[0].files.tokens) holds \(w) tokens")
        }
        shards.append(Shard(format: format, files: r.files, width: r.width, tokens: r.tokenCount, hasLoss: r.hasLoss,
                            firstDocument: ends.count, documents: e.count))
        ends.reserveCapacity(ends.count + e.count)
        for x in e { ends.append(UInt64(x)) }
        tokenCount += r.tokenCount
    }

    public var width: TokenWidth? { shards.first?.width }

    /// Which shard holds document `d`.
    public func shard(of d: Int) -> Int {
        var lo = 0, hi = shards.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if shards[mid].firstDocument <= d { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Document `d`: its shard, its index within the shard, and its token range there.
    public func location(_ d: Int) -> (shard: Int, document: Int, tokens: Range<Int>) {
        let s = shard(of: d)
        let start = d == shards[s].firstDocument ? 0 : Int(ends[d - 1])
        return (s, d - shards[s].firstDocument, start..<Int(ends[d]))
    }

    public func length(_ d: Int) -> Int { location(d).tokens.count }
}

/// Reads documents of a `TokenDocumentIndex` by number. At most `maxOpen` token (and loss)
/// files are open at once; the least recently opened is closed first.
public final class TokenDocumentSource {
    public let index: TokenDocumentIndex
    private let maxOpen: Int
    private var open: [Int: (tokens: ShardFileReader, loss: ShardFileReader?)] = [:]
    private var openOrder: [Int] = []
    private var raw: [UInt8] = []

    public init(index: TokenDocumentIndex, maxOpen: Int = 64) {
        self.index = index
        self.maxOpen = max(1, maxOpen)
    }

    private func files(_ s: Int) throws -> (tokens: ShardFileReader, loss: ShardFileReader?) {
        if let f = open[s] { return f }
        if open.count >= maxOpen, let oldest = openOrder.first {
            openOrder.removeFirst()
            open[oldest] = nil
        }
        let sh = index.shards[s]
        let t = try ShardFileReader(path: sh.files.tokens)
        // The shard must still be what the index saw.
        guard t.size == UInt64(sh.tokens * sh.width.rawValue) else {
            throw TokenShardError(path: sh.files.tokens, "has \(t.size) bytes, but held \(sh.tokens) \(sh.width) tokens when indexed (changed since?)")
        }
        let l = try sh.hasLoss ? sh.files.loss.map { try ShardFileReader(path: $0) } : nil
        open[s] = (t, l)
        openOrder.append(s)
        return (t, l)
    }

    /// Document `d`'s tokens into `ids` (replacing its contents).
    public func read(document d: Int, into ids: inout [UInt32]) throws {
        var none: [Bool] = []
        try read(document: d, into: &ids, loss: &none, withLoss: false)
    }

    /// Document `d`'s tokens into `ids` and, `withLoss`, its loss flags into `loss` (all true
    /// when its shard has none).
    public func read(document d: Int, into ids: inout [UInt32], loss: inout [Bool], withLoss: Bool) throws {
        let (s, _, r) = index.location(d)
        let f = try files(s)
        let w = index.shards[s].width.rawValue
        ids.removeAll(keepingCapacity: true)
        if !r.isEmpty {
            raw = try f.tokens.read(at: UInt64(r.lowerBound * w), count: r.count * w)
            ids.reserveCapacity(r.count)
            raw.withUnsafeBytes { b in
                if w == 2 {
                    for i in 0..<r.count { ids.append(UInt32(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
                } else {
                    for i in 0..<r.count { ids.append(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                }
            }
        }
        if withLoss {
            loss.removeAll(keepingCapacity: true)
            if let lf = f.loss, !r.isEmpty {
                for byte in try lf.read(at: UInt64(r.lowerBound), count: r.count) { loss.append(byte != 0) }
            } else {
                loss.append(contentsOf: repeatElement(true, count: r.count))
            }
        }
    }
}
