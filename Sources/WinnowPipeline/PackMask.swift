import WinnowCore
import WinnowIO

/// The `pack` step's mask, `NNNNN.mask`: the packed `.bin`'s [N, L] shape in bytes, one uint8
/// per token position, row-major, no header — 1 where the position holds a document token,
/// 0 where it is padding (`pad_id`). `np.fromfile(path, np.uint8).reshape(-1, L)`; it lines up
/// with `np.fromfile(NNNNN.bin, dtype).reshape(-1, L)` (the `.bin` is the raw [N, L] matrix).
/// Written under a temporary name and renamed on `commit()`.
final class PackMaskOutput {
    let path: String
    let seqLen: Int
    private let out: AtomicOutput
    private var buffer: [UInt8] = []
    private(set) var rows = 0

    init(path: String, seqLen: Int) throws {
        self.path = path
        self.seqLen = seqLen
        out = try AtomicOutput(path: path, compression: .none)
    }

    /// One sequence: `real` document tokens first, then padding.
    func write(real: Int) throws {
        precondition(real >= 0 && real <= seqLen)
        buffer.append(contentsOf: repeatElement(1, count: real))
        buffer.append(contentsOf: repeatElement(0, count: seqLen - real))
        rows += 1
        if buffer.count >= 1 << 20 { try out.sink.write(buffer); buffer.removeAll(keepingCapacity: true) }
    }

    func commit() throws {
        if !buffer.isEmpty { try out.sink.write(buffer) }
        try out.commit()
    }
}
