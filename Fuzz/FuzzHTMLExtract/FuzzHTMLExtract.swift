import FuzzSupport
import WinnowCore
import WinnowExtract

/// HTML extraction (main-content and full modes) over arbitrary bytes read as UTF-8.
func fuzzHTMLExtract(_ data: UnsafeBufferPointer<UInt8>) {
    let html = String(decoding: data, as: UTF8.self)
    let mode: HTMLExtractor.Mode = (data.first ?? 0) & 1 == 0 ? .main : .full
    let r = HTMLExtractor(mode: mode, math: (data.first ?? 0) & 2 == 0).extract(html, url: "http://example.com/a/b.html")
    _ = r.text.utf8.count &+ (r.title?.utf8.count ?? 0) &+ (r.language?.utf8.count ?? 0)
}

@main enum Main { static func main() { Fuzz.main(fuzzHTMLExtract) } }
