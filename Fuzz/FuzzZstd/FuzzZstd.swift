import FuzzSupport
import WinnowCore
import WinnowIO

/// zstd source over arbitrary bytes, drained raw and then through the WARC reader.
func fuzzZstd(_ data: UnsafeBufferPointer<UInt8>) {
    let path = Fuzz.file(data, name: "in.warc.zst")
    if let raw = try? ZstdSource(path: path) {
        var n = 0
        while let c = try? raw.next() { n &+= c.bytes.count }
        _ = raw.damage.total &+ n
    }
    guard let source = try? ZstdSource(path: path) else { return }
    let reader = WARCReader(source: source)
    var blocks = 0
    while let r = try? reader.next() { blocks &+= r.block.count }
    _ = reader.allDamage.total &+ blocks
}

@main enum Main { static func main() { Fuzz.main(fuzzZstd) } }
