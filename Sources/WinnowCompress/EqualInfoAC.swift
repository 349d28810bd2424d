#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// EqualInfoAC[b, v] (EIW §3.4, SPECS §4.3): text arithmetic-coded under M1 in windows of at
/// most b bits, the coder and M1's context reset at every window, each window's bits read as
/// b / log2(v) tokens of 8 or 16 bits.
///
/// **A window and its value.** Windows are filled greedily: bytes are added while the coder
/// interval of the window's bytes still contains a whole b-bit cell — some value V whose
/// zero-padded bits [V·2^−b, (V+1)·2^−b) lie inside it. The window is written as one such V.
///
/// **The decoder's rule** (deterministic, from V alone): start at the root interval; at each
/// node take the child (next byte) holding V, and go into it only if V's whole cell lies inside
/// that child and the child is not byte 255; otherwise stop. The bytes gone through are the
/// window. Byte 255 never occurs in UTF-8, so its (minimum-count) sub-interval of every node is
/// free to mean "stop here"; a cell that crosses a boundary between two children cannot belong
/// to either, so it also means "stop here". A window is also cut at `maxWindowBytes`.
///
/// **Why the paper's decoder fails and this one does not.** With zero padding, the value the
/// greedy encoder writes usually also lies in some child of the window's last interval, so a
/// decoder that keeps going while the bits fit decodes "phantom" bytes the encoder never had
/// (EIW: 99.4 % of sequences decode). Here the encoder simulates the decoder: for the greedy
/// window it looks for a value on which the decoder stops exactly there (the lowest such V:
/// `WindowInterval.stoppingValue`); if the greedy window has none, it gives up bytes from its
/// end until a shorter window has one. If not even one byte has such a value, it writes the
/// escape value 2^b − 1 (the top cell, inside the root's byte-255 child, which the decoder
/// maps to no bytes at all) followed by one raw window holding the byte in its top 8 bits.
/// The end of a document needs nothing special: the last window's value also makes the decoder
/// stop exactly after the document's last byte, so every document decodes from its tokens
/// alone. `EncodeStats` counts windows shortened, bytes given up and escapes; the cost against
/// the pure greedy rule is measured by `greedyOnly` (windows cut at the greedy limit and written
/// as their lowest value: what the paper's rule produces, phantom bytes and all).
public struct EqualInfoFormat: Sendable, Equatable {
    public let windowBits: Int
    public let tokenBits: Int
    public let maxWindowBytes: Int

    public static let supportedWindowBits = 16...40

    public init(windowBits: Int, tokenBits: Int, maxWindowBytes: Int = 256) throws {
        guard tokenBits == 8 || tokenBits == 16 else { throw CompressError("tokens are 8 or 16 bits (v = 256 or 65536), not \(tokenBits)") }
        guard Self.supportedWindowBits.contains(windowBits), windowBits % tokenBits == 0 else {
            throw CompressError("window bits b must be in 16…40 and a multiple of the token bits (\(tokenBits)); got \(windowBits)")
        }
        guard maxWindowBytes >= 1 else { throw CompressError("max window bytes must be positive") }
        self.windowBits = windowBits; self.tokenBits = tokenBits; self.maxWindowBytes = maxWindowBytes
    }

    public init(windowBits: Int, vocabularySize: Int) throws {
        guard vocabularySize == 256 || vocabularySize == 65_536 else { throw CompressError("v must be 256 or 65536, not \(vocabularySize)") }
        try self.init(windowBits: windowBits, tokenBits: vocabularySize == 256 ? 8 : 16)
    }

    public var vocabularySize: Int { 1 << tokenBits }
    public var tokensPerWindow: Int { windowBits / tokenBits }
    public var escape: UInt64 { (1 << UInt64(windowBits)) - 1 }

    /// The tokens of a document's windows, most significant bits first.
    public func tokens(_ windows: [UInt64]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(windows.count * tokensPerWindow)
        let mask = (UInt64(1) << UInt64(tokenBits)) - 1
        for w in windows {
            for t in stride(from: tokensPerWindow - 1, through: 0, by: -1) { out.append(UInt32(w >> UInt64(t * tokenBits) & mask)) }
        }
        return out
    }

    public func windows(_ tokens: [UInt32]) throws -> [UInt64] {
        guard tokens.count % tokensPerWindow == 0 else {
            throw CompressError("\(tokens.count) tokens are not a whole number of \(tokensPerWindow)-token windows")
        }
        var out: [UInt64] = []
        out.reserveCapacity(tokens.count / tokensPerWindow)
        var i = 0
        while i < tokens.count {
            var w: UInt64 = 0
            for j in 0..<tokensPerWindow {
                guard tokens[i + j] < UInt32(vocabularySize) else { throw CompressError("token \(tokens[i + j]) is outside the vocabulary (\(vocabularySize))") }
                w = w << UInt64(tokenBits) | UInt64(tokens[i + j])
            }
            out.append(w)
            i += tokensPerWindow
        }
        return out
    }
}

public struct EncodeStats: Sendable, Equatable {
    public var documents = 0
    public var bytes = 0
    /// Windows written, escapes and raw windows included.
    public var windows = 0
    /// Windows that end before the greedy limit because the greedy window had no value on which
    /// the decoder stops there, and the bytes they gave up (coded again in the next window).
    public var shortened = 0
    public var bytesGivenUp = 0
    /// Bytes written as escape + raw window.
    public var escapes = 0
    /// Windows cut by `maxWindowBytes`.
    public var capped = 0
    /// −log2 of the quantised probabilities of the coded bytes under M1 with the context reset
    /// at every window: what the windows' bytes cost before padding (b · windows − this is the
    /// padding, escapes included). Summed in units of 2^−32 bits, so the total does not depend
    /// on the order windows finish in.
    public var informationUnits: UInt64 = 0
    public var informationBits: Double { Double(informationUnits) / 4_294_967_296 }

    public init() {}

    /// −log2(count / 2^14) in units of 2^−32 bits.
    static func cost(_ count: UInt32) -> UInt64 { UInt64(((Double(QuantizedCDF.precision) - log2(Double(count))) * 4_294_967_296).rounded()) }

    public mutating func add(_ o: EncodeStats) {
        documents += o.documents; bytes += o.bytes; windows += o.windows; shortened += o.shortened
        bytesGivenUp += o.bytesGivenUp; escapes += o.escapes; capped += o.capped; informationUnits += o.informationUnits
    }
}

/// One coding engine: a `ByteModelState` with `lanes` windows in flight at once (documents are
/// dealt to lanes; every model step feeds one byte of each busy lane, so the weights are read
/// once per step for all of them). Not thread-safe: one per thread.
public final class EqualInfoCoder {
    public let model: ByteModel
    public let format: EqualInfoFormat
    public let lanes: Int
    /// How much of each window's M1 state comes from `ByteModel`'s prefix cache instead of model
    /// steps: 2 = the start marker and the first byte (two steps saved per window), 1 = the
    /// marker only, 0 = nothing (for measuring what the cache saves). Same CDFs either way.
    public var cachedPrefix = 2
    let state: ByteModelState
    let cap: Int

    public init(model: ByteModel, format: EqualInfoFormat, lanes: Int = 8) {
        self.model = model
        self.format = format
        self.lanes = max(1, lanes)
        cap = min(format.maxWindowBytes, model.config.contextLength - 1)
        state = ByteModelState(model: model, lanes: self.lanes, capacity: cap + 1)
    }

    private struct Lane {
        var doc = -1
        var pos = 0, end = 0
        var k = 0
        var interval: WindowInterval
        var bestK = 0, bestV: UInt64 = 0
        var cdf: UnsafePointer<UInt32>?
    }

    /// Windows of each document (in order). With `greedyOnly`, windows end at the greedy limit
    /// and hold the lowest value inside them, as the paper's rule writes them (for measuring
    /// that rule: its window count, and how many documents then decode wrongly).
    public func encode(_ documents: [[UInt8]], greedyOnly: Bool = false) -> (windows: [[UInt64]], stats: EncodeStats) {
        var flat: [UInt8] = [], starts: [Int] = []
        for d in documents { starts.append(flat.count); flat += d }
        starts.append(flat.count)
        var results = [[UInt64]](repeating: [], count: documents.count)
        var stats = EncodeStats()
        stats.documents = documents.count
        stats.bytes = flat.count
        flat.withUnsafeBufferPointer { text in
            encode(text: text, starts: starts, greedyOnly: greedyOnly, results: &results, stats: &stats)
        }
        return (results, stats)
    }

    private func encode(text: UnsafeBufferPointer<UInt8>, starts: [Int], greedyOnly: Bool, results: inout [[UInt64]], stats: inout EncodeStats) {
        let b = format.windowBits
        var lanesState = [Lane](repeating: Lane(interval: WindowInterval(bits: b)), count: lanes)
        var outs = [[UInt64]](repeating: [], count: lanes)
        // Cumulative information of the window's first k bytes, per lane.
        var info = [[UInt64]](repeating: [UInt64](repeating: 0, count: cap + 1), count: lanes)
        var nextDoc = 0
        let docs = starts.count - 1
        let root = model.rootPointer
        var rowLanes: [Int] = [], rowTokens: [Int32] = []
        rowLanes.reserveCapacity(lanes); rowTokens.reserveCapacity(lanes)

        func startWindow(_ i: Int) {
            lanesState[i].interval = WindowInterval(bits: b)
            lanesState[i].k = 0; lanesState[i].bestK = 0
            if cachedPrefix >= 1 {
                lanesState[i].cdf = root
                state.loadStart(lane: i)
            } else {
                lanesState[i].cdf = nil
                state.reset(lane: i)
            }
        }
        func takeDocument(_ i: Int) -> Bool {
            while nextDoc < docs {
                let d = nextDoc
                nextDoc += 1
                if starts[d] == starts[d + 1] { continue }   // an empty document has no windows
                lanesState[i].doc = d; lanesState[i].pos = starts[d]; lanesState[i].end = starts[d + 1]
                outs[i] = []
                startWindow(i)
                return true
            }
            lanesState[i].doc = -1
            return false
        }
        /// Runs lane i until it needs a model step (returns the byte to feed) or has no work.
        func advance(_ i: Int) -> Int32? {
            while true {
                var L = lanesState[i]
                if L.doc < 0 { return nil }
                if L.k == 0 && L.cdf == nil { return ByteModel.startMarker }
                if L.k >= 1 && !greedyOnly {
                    let v = L.k == cap ? L.interval.anyValue() : L.interval.stoppingValue(L.cdf!)
                    if let v { L.bestK = L.k; L.bestV = v }
                }
                let at = L.pos + L.k
                if L.k < cap && at < L.end {
                    let s = Int(text[at])
                    if s != 255 {
                        let c = L.interval.state.child(L.cdf!, s)
                        if L.interval.holdsCell(c.low, c.high) {
                            L.interval.enter(c.low, c.high)
                            L.k += 1
                            info[i][L.k] = info[i][L.k - 1] + EncodeStats.cost(L.cdf![s + 1] - L.cdf![s])
                            if L.k == cap {
                                L.cdf = nil
                                lanesState[i] = L
                                continue
                            }
                            if L.k == 1 && cachedPrefix >= 2 {
                                L.cdf = state.loadFirstByte(lane: i, s)
                                lanesState[i] = L
                                continue
                            }
                            lanesState[i] = L
                            return Int32(s)
                        }
                    }
                }
                // The window ends here.
                if greedyOnly && L.k > 0 {
                    // The paper's rule: the greedy window, written as the lowest value inside it.
                    outs[i].append(L.interval.anyValue()!)
                    stats.windows += 1
                    stats.informationUnits += info[i][L.k]
                    if L.k == cap { stats.capped += 1 }
                    L.pos += L.k
                } else if L.bestK > 0 {
                    outs[i].append(L.bestV)
                    stats.windows += 1
                    stats.informationUnits += info[i][L.bestK]
                    if L.bestK < L.k { stats.shortened += 1; stats.bytesGivenUp += L.k - L.bestK }
                    if L.bestK == cap { stats.capped += 1 }
                    L.pos += L.bestK
                } else {
                    outs[i].append(format.escape)
                    outs[i].append(UInt64(text[L.pos]) << UInt64(b - 8))
                    stats.windows += 2
                    stats.escapes += 1
                    L.pos += 1
                }
                lanesState[i] = L
                if L.pos >= L.end {
                    results[L.doc] = outs[i]
                    if !takeDocument(i) { return nil }
                } else {
                    startWindow(i)
                }
            }
        }

        for i in 0..<lanes { _ = takeDocument(i) }
        while true {
            rowLanes.removeAll(keepingCapacity: true); rowTokens.removeAll(keepingCapacity: true)
            for i in 0..<lanes {
                if let t = advance(i) { rowLanes.append(i); rowTokens.append(t) }
            }
            if rowLanes.isEmpty { break }
            state.step(lanes: rowLanes, tokens: rowTokens)
            for (r, i) in rowLanes.enumerated() { lanesState[i].cdf = state.cdf(row: r) }
        }
    }

    /// The bytes of each document from its windows. Throws on a window no encoder writes.
    public func decode(_ documents: [[UInt64]]) throws -> [[UInt8]] {
        let esc = format.escape, b = format.windowBits
        var results = [[UInt8]](repeating: [], count: documents.count)
        struct DLane {
            var doc = -1, window = 0, k = 0
            var value: UInt64 = 0
            var interval: WindowInterval
            var cdf: UnsafePointer<UInt32>?
            var out: [UInt8] = []
        }
        var ls = [DLane](repeating: DLane(interval: WindowInterval(bits: b)), count: lanes)
        var nextDoc = 0
        let root = model.rootPointer
        var failure: CompressError?
        var rowLanes: [Int] = [], rowTokens: [Int32] = []

        /// Sets up lane i's next window (raw windows handled at once); false when the lane's
        /// document is done.
        func openWindow(_ i: Int) -> Bool {
            let ws = documents[ls[i].doc]
            while ls[i].window < ws.count {
                let v = ws[ls[i].window]
                if v == esc {
                    guard ls[i].window + 1 < ws.count else { failure = CompressError("document \(ls[i].doc): escape in the last window"); return false }
                    let raw = ws[ls[i].window + 1]
                    guard raw & ((1 << UInt64(b - 8)) - 1) == 0, raw >> UInt64(b) == 0 else {
                        failure = CompressError("document \(ls[i].doc): raw window \(ls[i].window + 1) has bits below its byte"); return false
                    }
                    ls[i].out.append(UInt8(raw >> UInt64(b - 8)))
                    ls[i].window += 2
                    continue
                }
                guard v >> UInt64(b) == 0 else { failure = CompressError("document \(ls[i].doc): window value \(v) has more than \(b) bits"); return false }
                ls[i].value = v; ls[i].k = 0
                ls[i].interval = WindowInterval(bits: b)
                if cachedPrefix >= 1 {
                    ls[i].cdf = root
                    state.loadStart(lane: i)
                } else {
                    ls[i].cdf = nil
                    state.reset(lane: i)
                }
                return true
            }
            return false
        }
        func takeDocument(_ i: Int) -> Bool {
            while nextDoc < documents.count && failure == nil {
                ls[i].doc = nextDoc; ls[i].window = 0; ls[i].out = []
                nextDoc += 1
                if openWindow(i) { return true }
                results[ls[i].doc] = ls[i].out
            }
            ls[i].doc = -1
            return false
        }
        func advance(_ i: Int) -> Int32? {
            while failure == nil {
                if ls[i].doc < 0 { return nil }
                if ls[i].k == 0 && ls[i].cdf == nil { return ByteModel.startMarker }
                if ls[i].k < cap {
                    let d = ls[i].interval.descend(ls[i].value, ls[i].cdf!)
                    if d.enters {
                        ls[i].interval.enter(d.low, d.high)
                        ls[i].out.append(UInt8(d.symbol))
                        ls[i].k += 1
                        if ls[i].k == cap { ls[i].cdf = nil; continue }
                        if ls[i].k == 1 && cachedPrefix >= 2 { ls[i].cdf = state.loadFirstByte(lane: i, d.symbol); continue }
                        return Int32(d.symbol)
                    }
                }
                if ls[i].k == 0 {
                    failure = CompressError("document \(ls[i].doc): window \(ls[i].window) (value \(ls[i].value)) decodes to no bytes")
                    return nil
                }
                ls[i].window += 1
                if !openWindow(i) {
                    if failure != nil { return nil }
                    results[ls[i].doc] = ls[i].out
                    if !takeDocument(i) { return nil }
                }
            }
            return nil
        }

        for i in 0..<lanes { _ = takeDocument(i) }
        while failure == nil {
            rowLanes.removeAll(keepingCapacity: true); rowTokens.removeAll(keepingCapacity: true)
            for i in 0..<lanes {
                if let t = advance(i) { rowLanes.append(i); rowTokens.append(t) }
            }
            if rowLanes.isEmpty { break }
            state.step(lanes: rowLanes, tokens: rowTokens)
            for (r, i) in rowLanes.enumerated() { ls[i].cdf = state.cdf(row: r) }
        }
        if let failure { throw failure }
        return results
    }
}

/// Coding many documents on several threads: documents are cut into `threads` contiguous runs of
/// about equal bytes, each coded by its own `EqualInfoCoder`. A document's windows depend on its
/// bytes and M1 only, so the output is the same for any thread or lane count.
public enum EqualInfoAC {
    public static func encode(_ documents: [[UInt8]], model: ByteModel, format: EqualInfoFormat, threads: Int, lanes: Int = 8,
                              cachedPrefix: Int = 2, greedyOnly: Bool = false) -> (windows: [[UInt64]], stats: EncodeStats) {
        let runs = split(documents.map(\.count), threads)
        let parts = collect(runs.count) { t -> ([[UInt64]], EncodeStats) in
            let coder = EqualInfoCoder(model: model, format: format, lanes: lanes)
            coder.cachedPrefix = cachedPrefix
            let r = coder.encode(Array(documents[runs[t]]), greedyOnly: greedyOnly)
            return (r.windows, r.stats)
        }
        var stats = EncodeStats()
        for p in parts { stats.add(p.1) }
        return (parts.flatMap(\.0), stats)
    }

    public static func decode(_ documents: [[UInt64]], model: ByteModel, format: EqualInfoFormat, threads: Int, lanes: Int = 8,
                              cachedPrefix: Int = 2) throws -> [[UInt8]] {
        let runs = split(documents.map { $0.count * 8 }, threads)
        let parts = collect(runs.count) { t -> Result<[[UInt8]], CompressError> in
            let coder = EqualInfoCoder(model: model, format: format, lanes: lanes)
            coder.cachedPrefix = cachedPrefix
            do { return .success(try coder.decode(Array(documents[runs[t]]))) } catch let e as CompressError { return .failure(e) } catch {
                return .failure(CompressError("\(error)"))
            }
        }
        return try parts.flatMap { try $0.get() }
    }

    /// Contiguous index ranges of about equal total size, at most `parts` of them.
    public static func split(_ sizes: [Int], _ parts: Int) -> [Range<Int>] {
        let n = max(1, min(parts, sizes.count))
        let total = sizes.reduce(0, +)
        var out: [Range<Int>] = [], start = 0, acc = 0
        for (i, s) in sizes.enumerated() {
            acc += s
            if out.count < n - 1 && acc * n >= total * (out.count + 1) && i + 1 < sizes.count {
                out.append(start..<(i + 1)); start = i + 1
            }
        }
        out.append(start..<sizes.count)
        return out
    }

    /// body(i) for i in 0..<n on up to n threads; the results in index order.
    public static func collect<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if n <= 1 { return (0..<n).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: n)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots
        DispatchQueue.concurrentPerform(iterations: n) { i in out[i] = body(i) }
        return slots.map { $0! }
    }
}

extension EqualInfoFormat {
    /// What a datatrove shard's metadata names as its tokenizer: the format and M1's identity,
    /// so that a decoder can check it has the right model.
    public func tokenizerName(model: ByteModel) -> String {
        "equalinfoac-b\(windowBits)-v\(vocabularySize)-m1-\(model.identity.prefix(16))"
    }

    /// (format, M1 identity prefix) from `tokenizerName`, or nil for another tokenizer.
    public static func parse(tokenizerName s: String) -> (format: EqualInfoFormat, model: String)? {
        let parts = s.split(separator: "-")
        guard parts.count == 5, parts[0] == "equalinfoac", parts[3] == "m1", parts[1].hasPrefix("b"), parts[2].hasPrefix("v"),
              let b = Int(parts[1].dropFirst()), let v = Int(parts[2].dropFirst()),
              let f = try? EqualInfoFormat(windowBits: b, vocabularySize: v) else { return nil }
        return (f, String(parts[4]))
    }
}
