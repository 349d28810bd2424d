import WinnowCore
import WinnowSteps
import WinnowText
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// The four MinHash steps' unit work. Files between the steps (datatrove's layout and record
/// formats): `steps/<name>.signatures/bucket_BBB/NNNNN.minhash.sig` — per band and input unit,
/// records of `rows` little-endian hashes (u64, or u32 for 32-bit) and a u32 document index,
/// sorted; `steps/<name>.buckets/BBBBB.dups` — pairs `(unit, doc, unit, doc)` as 4 × u32;
/// `steps/<name>.cluster/NNNNN.remove` — per input unit, sorted u32 indices of the documents
/// to drop; with `cluster_ids` / `cluster_sizes`, `NNNNN.clusters` / `NNNNN.sizes` — pairs
/// (document index, cluster id or size) as 2 × u32 for every document in a cluster, as
/// datatrove writes them (ids numbered in order of the clusters' first documents). Memory is bounded by one unit's signatures, one block per file in the merge, and the union-find
/// over documents that have duplicates.
enum MinHashSteps {
    static func shingler(_ m: MinHashSpec) throws -> Shingler {
        var nltk: NLTKWordTokenizer? = nil
        if m.preset == "fineweb-2024" {
            let model = try PunktModel.load(try PunktModel.locate(explicit: m.punkt))
            nltk = NLTKWordTokenizer(punkt: model, release: NLTKRelease(rawValue: m.nltk) ?? .nltk38)
        }
        return Shingler(unit: Shingler.Unit(rawValue: m.shingles)!, n: m.ngrams, hash: ShingleHash(rawValue: m.hash)!, bits: m.bits, fineweb2024: nltk)
    }

    static func recordSize(_ m: MinHashSpec) -> Int { m.rows * (m.bits / 8) + 4 }

    static func sigPath(_ dir: String, band: Int, unit: Int) -> String {
        let b = String(band), pad = String(repeating: "0", count: max(0, 3 - b.count))
        return "\(dir)/bucket_\(pad)\(b)/\(RunPlan.shardName(unit)).minhash.sig"
    }

    // MARK: 1. signatures

    static func signatures(_ m: MinHashSpec, reader: DocumentReader, dir: String, unit: Int, stats: inout FileStats,
                           progress: (Int, Int) throws -> Void) throws {
        let sh = try shingler(m)
        let hasher = MinHasher(bands: m.bands, rows: m.rows, bits: m.bits, seed: m.seed, permutations: MinHasher.Permutations(rawValue: m.permutations)!)
        let scratch = Shingler.Scratch()
        var shingles: [UInt64] = []
        var sig: [UInt64] = []
        // Per band: (band signature, doc index), sorted at the end.
        var bands = [[([UInt64], UInt32)]](repeating: [], count: m.bands)
        var stage = StageStats(name: m.method == .minhash ? "minhash_signature" : "\(m.method.rawValue)_hash")
        var doc: UInt32 = 0
        let t0 = monotonicNanos()
        let simplifier = TextSimplifier()
        var normalized: [UInt8] = []
        while let d = try reader.next() {
            stage.docsIn += 1
            stage.bytesIn += d.text.utf8.count
            var signed: Bool
            switch m.method {
            case .minhash:
                sh.shingles(d.text, into: &shingles, scratch: scratch)
                signed = shingles.withUnsafeBufferPointer { hasher.signature($0, into: &sig) }
            case .exact:
                normalizeForExact(d.text, m.normalize, simplifier, into: &normalized)
                sig = [normalized.withUnsafeBytes { XXHash.hash64($0) }]
                signed = true
            case .url:
                if let url = d.metadata["url"]?.stringValue, !url.isEmpty {
                    let n = Array(normalizeURL(url).utf8)
                    sig = [n.withUnsafeBytes { XXHash.hash64($0) }]
                    signed = true
                } else {
                    signed = false
                }
            }
            if signed {
                for b in 0..<m.bands { bands[b].append((Array(sig[(b * m.rows)..<((b + 1) * m.rows)]), doc)) }
                stage.docsOut += 1
                stage.bytesOut += d.text.utf8.count
            } else {
                // No signature (too short to shingle, or no URL): never deduplicated, as datatrove.
                stage.drops[m.method == .url ? "unsigned_no_url" : "unsigned_too_short", default: 0] += 1
            }
            doc += 1
            if doc & 63 == 0 { try progress(Int(doc), reader.inputBytesRead) }
        }
        stats.written = bands.first?.count ?? 0
        stats.dropped = 0
        stage.nanoseconds = monotonicNanos() - t0
        stats.stages = [stage]
        let width = m.bits / 8
        for b in 0..<m.bands {
            bands[b].sort { l, r in l.0.lexicographicallyPrecedes(r.0) || (l.0 == r.0 && l.1 < r.1) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(bands[b].count * recordSize(m))
            for (s, d) in bands[b] {
                for v in s { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0.prefix(width)) } }
                withUnsafeBytes(of: d.littleEndian) { bytes.append(contentsOf: $0) }
            }
            try writeBinary(bytes, to: sigPath(dir, band: b, unit: unit))
        }
    }

    /// Whitespace runs → one space, trimmed (`whitespace`); datatrove's simplify_text
    /// (`simplify`); or the text as is (`none`).
    static func normalizeForExact(_ text: String, _ mode: String, _ simplifier: TextSimplifier, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var t = text
        t.withUTF8 { src in
            switch mode {
            case "simplify": simplifier.simplify(utf8: src, into: &out)
            case "none": out.append(contentsOf: src)
            default:
                var pending = false
                for b in src {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { pending = !out.isEmpty; continue }
                    if pending { out.append(0x20); pending = false }
                    out.append(b)
                }
            }
        }
    }

    /// Scheme and host lowercased, fragment removed.
    static func normalizeURL(_ url: String) -> String {
        var u = Substring(url)
        if let hash = u.firstIndex(of: "#") { u = u[..<hash] }
        guard let sep = u.firstRange(of: "://") else { return String(u) }
        let afterScheme = u[sep.upperBound...]
        let hostEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        return u[..<sep.lowerBound].lowercased() + "://" + afterScheme[..<hostEnd].lowercased() + afterScheme[hostEnd...]
    }

    // MARK: 2. buckets

    /// Sorted signature records of one file, streamed in 256 KiB blocks (so a band's merge
    /// holds one block per input unit, not the band).
    final class SigReader {
        let file: Int
        let size: Int
        let bits: Int
        let rows: Int
        private let handle: UnsafeMutablePointer<FILE>
        private let path: String
        private var block: [UInt8]
        private var filled = 0
        private var offset = 0
        var sig: [UInt64]
        var doc: UInt32 = 0

        init(path: String, file: Int, m: MinHashSpec) throws {
            self.file = file
            self.path = path
            size = recordSize(m); bits = m.bits; rows = m.rows
            guard let h = fopen(path, "rb") else { throw RunError("\(path): cannot open: \(String(cString: strerror(errno)))") }
            handle = h
            block = [UInt8](repeating: 0, count: (256 << 10) / size * size)
            sig = [UInt64](repeating: 0, count: m.rows)
        }

        deinit { fclose(handle) }

        func next() throws -> Bool {
            if offset >= filled {
                filled = block.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
                offset = 0
                if filled == 0 { return false }
                guard filled % size == 0 else { throw RunError("\(path): a partial \(size)-byte signature record (a damaged file)") }
            }
            let w = bits / 8
            block.withUnsafeBytes { b in
                for r in 0..<rows {
                    sig[r] = w == 8 ? UInt64(littleEndian: b.loadUnaligned(fromByteOffset: offset + r * 8, as: UInt64.self))
                                    : UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset + r * 4, as: UInt32.self)))
                }
                doc = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset + rows * w, as: UInt32.self))
            }
            offset += size
            return true
        }
    }

    static func buckets(_ m: MinHashSpec, band: Int, signatureDir: String, signatureUnits: Int, out: String, stats: inout FileStats) throws {
        var readers: [SigReader] = []
        for u in 0..<signatureUnits {
            let r = try SigReader(path: sigPath(signatureDir, band: band, unit: u), file: u, m: m)
            if try r.next() { readers.append(r) }
        }
        // K-way merge on (signature, file, doc); equal signatures next to each other are pairs.
        var heap = readers
        func less(_ a: SigReader, _ b: SigReader) -> Bool {
            if a.sig != b.sig { return a.sig.lexicographicallyPrecedes(b.sig) }
            return (a.file, a.doc) < (b.file, b.doc)
        }
        func siftDown(_ i: Int) {
            var i = i
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m); i = m
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var pairs: [UInt8] = []
        var prev: (sig: [UInt64], file: UInt32, doc: UInt32)?
        var merged = 0, found = 0
        while let top = heap.first {
            merged += 1
            if let p = prev, p.sig == top.sig {
                for v in [p.file, p.doc, UInt32(top.file), top.doc] { withUnsafeBytes(of: v.littleEndian) { pairs.append(contentsOf: $0) } }
                found += 1
            }
            prev = (top.sig, UInt32(top.file), top.doc)
            if try !top.next() { heap.swapAt(0, heap.count - 1); heap.removeLast() }
            if !heap.isEmpty { siftDown(0) }
        }
        stats.read.docsIn = merged
        stats.read.docsOut = merged
        stats.written = found
        try writeBinary(pairs, to: out)
    }

    // MARK: 3. cluster

    static func cluster(dupsFiles: [String], signatureUnits: Int, outDir: String, survivor: String = "first", ids: Bool = false, sizes: Bool = false,
                        stats: inout FileStats) throws {
        // Union-find keyed by (unit, doc). `first`: the smallest key of a cluster is its root, so
        // the first occurrence in input order survives whatever order the pairs come in. The
        // datatrove rules depend on the pairs' order, which is datatrove's (bands in turn, pairs
        // in merge order).
        var parent: [UInt64: UInt64] = [:]
        var setSize: [UInt64: Int] = [:]
        func find(_ x: UInt64) -> UInt64 {
            var r = x
            while let p = parent[r], p != r { r = p }
            var c = x
            while let p = parent[c], p != r { parent[c] = r; c = p }
            return r
        }
        var pairs = 0
        for f in dupsFiles {
            let data = try readBinary(f)
            guard data.count % 16 == 0 else { throw RunError("\(f): truncated pair file (\(data.count) bytes)") }
            data.withUnsafeBytes { b in
                var o = 0
                while o < data.count {
                    let f1 = UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                    let d1 = UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self)))
                    let f2 = UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self)))
                    let d2 = UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o + 12, as: UInt32.self)))
                    let a = f1 << 32 | d1, c = f2 << 32 | d2
                    if parent[a] == nil { parent[a] = a }
                    if parent[c] == nil { parent[c] = c }
                    let ra = find(a), rc = find(c)
                    if ra != rc {
                        switch survivor {
                        case "fineweb-2024":
                            parent[rc] = ra
                        case "datatrove-current":
                            let sa = setSize[ra, default: 1], sc = setSize[rc, default: 1]
                            let (big, small) = sa < sc ? (rc, ra) : (ra, rc)
                            parent[small] = big
                            setSize[big] = sa + sc
                            setSize[small] = nil
                        default:
                            if ra < rc { parent[rc] = ra } else { parent[ra] = rc }
                        }
                    }
                    pairs += 1
                    o += 16
                }
            }
        }
        var remove = [[UInt32]](repeating: [], count: signatureUnits)
        for k in parent.keys where find(k) != k {
            let unit = Int(k >> 32)
            if unit < signatureUnits { remove[unit].append(UInt32(truncatingIfNeeded: k)) }
        }
        if ids || sizes {
            var size: [UInt64: UInt32] = [:]
            for k in parent.keys { size[find(k), default: 0] += 1 }
            var clusterID: [UInt64: UInt32] = [:]
            var idPairs = [[UInt8]](repeating: [], count: signatureUnits), sizePairs = idPairs
            for k in parent.keys.sorted() {
                let root = find(k)
                if clusterID[root] == nil { clusterID[root] = UInt32(clusterID.count) }
                let unit = Int(k >> 32)
                guard unit < signatureUnits else { continue }
                let doc = UInt32(truncatingIfNeeded: k)
                if ids { withUnsafeBytes(of: doc.littleEndian) { idPairs[unit] += $0 }; withUnsafeBytes(of: clusterID[root]!.littleEndian) { idPairs[unit] += $0 } }
                if sizes { withUnsafeBytes(of: doc.littleEndian) { sizePairs[unit] += $0 }; withUnsafeBytes(of: size[root]!.littleEndian) { sizePairs[unit] += $0 } }
            }
            for u in 0..<signatureUnits {
                if ids { try writeBinary(idPairs[u], to: "\(outDir)/\(RunPlan.shardName(u)).clusters") }
                if sizes { try writeBinary(sizePairs[u], to: "\(outDir)/\(RunPlan.shardName(u)).sizes") }
            }
        }
        var removed = 0
        for u in 0..<signatureUnits {
            remove[u].sort()
            removed += remove[u].count
            var bytes: [UInt8] = []
            for d in remove[u] { withUnsafeBytes(of: d.littleEndian) { bytes.append(contentsOf: $0) } }
            try writeBinary(bytes, to: "\(outDir)/\(RunPlan.shardName(u)).remove")
        }
        stats.read.docsIn = pairs
        stats.read.docsOut = pairs
        stats.written = removed
    }

    /// `(document index, value)` pairs of a `.clusters` or `.sizes` file, in document order.
    static func pairList(_ path: String) throws -> [(UInt32, UInt32)] {
        let data = try readBinary(path)
        guard data.count % 8 == 0 else { throw RunError("\(path): truncated pair file (\(data.count) bytes)") }
        return data.withUnsafeBytes { b in
            (0..<(data.count / 8)).map { i in
                (UInt32(littleEndian: b.loadUnaligned(fromByteOffset: i * 8, as: UInt32.self)),
                 UInt32(littleEndian: b.loadUnaligned(fromByteOffset: i * 8 + 4, as: UInt32.self)))
            }
        }
    }

    static func removalList(_ path: String) throws -> [UInt32] {
        let data = try readBinary(path)
        return data.withUnsafeBytes { b in (0..<(data.count / 4)).map { UInt32(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) } }
    }
}
