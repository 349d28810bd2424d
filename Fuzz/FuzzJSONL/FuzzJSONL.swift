import FuzzSupport
import WinnowCore
import WinnowIO

/// The JSONL reader over arbitrary bytes. The first byte picks the chunk size the source hands
/// out and whether gaps (lost bytes) are flagged, so line and gap handling across chunk
/// boundaries of the stream buffer is exercised too.
func fuzzJSONL(_ data: UnsafeBufferPointer<UInt8>) {
    guard let first = data.first else { return }
    let rest = UnsafeBufferPointer(rebasing: data[1...])
    let chunk = first & 0x80 != 0 ? rest.count : Int(first & 0x3F) + 1
    let source = MemorySource(rest, chunkSize: chunk, gapEvery: first & 0x40 != 0 ? 3 : 0)
    let reader = JSONLReader(source: source)
    var n = 0
    while let doc = try? reader.next() { n &+= doc.text.utf8.count &+ doc.metadata.count }
    _ = reader.damage.total &+ n
}

@main enum Main { static func main() { Fuzz.main(fuzzJSONL) } }
