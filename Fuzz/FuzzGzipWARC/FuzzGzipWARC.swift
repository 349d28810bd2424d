import FuzzSupport
import WinnowCore
import WinnowIO

/// gzip source (libdeflate and zlib paths) + WARC reader + WARC-to-document conversion
/// (HTTP heads, chunked and content-encoded bodies) over arbitrary compressed bytes.
func fuzzGzipWARC(_ data: UnsafeBufferPointer<UInt8>) {
    let path = Fuzz.file(data, name: "in.warc.gz")
    let libdeflate = data.last.map { $0 & 1 == 0 } ?? true
    guard let source = try? GzipSource(path: path, useLibdeflate: libdeflate) else { return }
    var options = WARCDocumentReader.Options()
    options.verifyDigests = true
    let reader = WARCDocumentReader(reader: WARCReader(source: source), options: options)
    var bytes = 0
    while let doc = try? reader.next() { bytes &+= doc.text.utf8.count }
    _ = reader.damage.total &+ reader.warnings.total &+ bytes
}

@main enum Main { static func main() { Fuzz.main(fuzzGzipWARC) } }
