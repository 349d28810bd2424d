// Feeds sequences (lines of a text file, or documents) to the word counter in batches; each
// batch is split into contiguous ranges counted on separate threads, and the per-thread tables
// are merged in range order, so the result does not depend on the thread count.

import Dispatch

public final class BPECorpusCounter {
    public let counts = BPEWordCounts()
    public let threads: Int
    private let splitter: PieceSplitter
    private var batch: [UInt8] = []
    /// End offset of each sequence in `batch`.
    private var bounds: [Int] = []
    /// Bytes buffered before a batch is counted.
    public var batchBytes = 32 << 20
    public private(set) var sequences = 0
    public private(set) var bytes = 0

    /// `threads` ≥ 1. The split pattern uses the Unicode tables of HF tokenizers' Oniguruma.
    public init(rules: SplitRules, threads: Int) {
        self.threads = max(1, threads)
        splitter = PieceSplitter(rules, unicode: ReferenceUnicode.oniguruma)
    }

    /// Adds one sequence (valid UTF-8); pieces never cross sequences.
    public func add(_ s: UnsafeBufferPointer<UInt8>) {
        guard s.count > 0 else { return }
        batch.append(contentsOf: s)
        bounds.append(batch.count)
        sequences += 1
        bytes += s.count
        if batch.count >= batchBytes { flush() }
    }

    public func add(_ s: [UInt8]) { s.withUnsafeBufferPointer { add($0) } }

    /// Counts what is buffered.
    public func flush() {
        guard !bounds.isEmpty else { return }
        let parts = min(threads, bounds.count)
        // Range k ends at the first sequence end past k/parts of the bytes.
        var starts = [0]
        var j = 0
        for k in 1...parts {
            let target = k == parts ? batch.count : batch.count * k / parts
            while j < bounds.count && bounds[j] < target { j += 1 }
            starts.append(min(j + 1, bounds.count))
        }
        let locals = (0..<parts).map { _ in BPEWordCounts() }
        let splitter = self.splitter
        let cuts = starts
        batch.withUnsafeBufferPointer { b in
            bounds.withUnsafeBufferPointer { e in
                let view = BatchView(bytes: b, ends: e)
                let run: @Sendable (Int) -> Void = { k in
                    for i in cuts[k]..<cuts[k + 1] {
                        let a = i == 0 ? 0 : view.ends[i - 1]
                        locals[k].countPieces(UnsafeBufferPointer(rebasing: view.bytes[a..<view.ends[i]]), splitter)
                    }
                }
                if parts == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: run) }
            }
        }
        for t in locals { counts.merge(t) }
        batch.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
    }
}

/// A batch's bytes and sequence ends, read (never written) by the counting threads.
private struct BatchView: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>
}
