import FuzzSupport
import WinnowCore
import WinnowText

/// Charset detection and decoding over arbitrary bytes. The first line (up to 40 bytes) is
/// also offered as the HTTP charset label when it is short, so label mapping is exercised.
func fuzzCharset(_ data: UnsafeBufferPointer<UInt8>) {
    var http: String?
    if let nl = data.prefix(40).firstIndex(of: 0x0A) {
        http = String(decoding: UnsafeBufferPointer(rebasing: data[0..<nl]), as: UTF8.self)
    }
    _ = Charset.prescan(data)
    let d = Charset.decide(data, httpCharset: http)
    if let r = Charset.decode(data, charset: d.charset) { _ = r.0.utf8.count &+ r.1 }
    if let label = http, let icu = Charset.canonical(label), let r = Charset.decode(data, charset: icu) {
        _ = r.0.utf8.count &+ r.1
    }
}

@main enum Main { static func main() { Fuzz.main(fuzzCharset) } }
