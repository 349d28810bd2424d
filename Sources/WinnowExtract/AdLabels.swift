#if canImport(Glibc)
import Glibc
#endif

/// Ad labels: a line that is only "Advertisement", "Anzeige", "Story continues below
/// advertisement", … marks an ad slot set into the text. It is not the article's text, and it does
/// not interrupt it: the main-text rules run as if the line were not there, as trafilatura's tree
/// cleaning removes ad containers before it reads the page. (Left in, a label in a boilerplate box
/// ended the run of borderline lines before it; a bare label between two paragraphs came out.)
extension HTMLExtractor {
    /// Lower-case labels (ASCII letters folded; other scripts listed in the cases pages use).
    static let adLabels: Set<[UInt8]> = Set([
        "advertisement", "advertisements", "advertising", "advert", "adverts", "ad", "ads",
        "sponsored", "sponsored content", "sponsored links", "story continues below advertisement",
        "article continues below advertisement", "advertisement continue reading below",
        "continue reading below", "continue reading the main story", "story continues below",
        "article continues below", "content continues below", "scroll to continue with content",
        "anzeige", "werbung", "publicité", "publicitÉ", "publicidad", "publicidade", "pubblicità",
        "pubblicitÀ", "advertentie", "reclame", "annons", "annonse", "reklame", "reklam", "reklama",
        "mainos", "hirdetés", "hirdetÉs", "реклама", "Реклама", "РЕКЛАМА", "διαφήμιση",
        "Διαφήμιση", "广告", "廣告", "広告", "광고", "إعلان",
    ].map { Array($0.utf8) })
    static let adLabelMaxBytes = adLabels.map(\.count).max() ?? 0
    /// The labels by length: a block's folded text is compared only with labels as long as it.
    static let adLabelsByLength: [[[UInt8]]] = (0...adLabelMaxBytes).map { n in adLabels.filter { $0.count == n } }

    /// Whether a block is only an ad label: no link, not a heading (a section may be called
    /// "Advertising"), its text one of `adLabels` once ASCII letters are folded and the dashes,
    /// brackets, dots and colons around it ("— Advertisement —", "[Anzeige]", "Continue reading
    /// below...") and between words ("Advertisement - Continue reading below") are dropped.
    /// (Every short block is asked: the folding uses a stack buffer, not an array.)
    static func isAdLabel(_ b: Block) -> Bool {
        let bytes = b.bytes
        guard b.linkBytes == 0, !b.heading, bytes.count <= 2 * adLabelMaxBytes, !bytes.isEmpty else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { folded -> Bool in
            var n = 0
            // One space for a run of separators, none at the start.
            func space() { if n > 0 && folded[n - 1] != 0x20 { folded[n] = 0x20; n += 1 } }
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                // En and em dashes (E2 80 93/94), the middle dot and no-break space (C2 B7/A0) separate like "-".
                if c == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94 {
                    space(); i += 3; continue
                }
                if c == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xB7 || bytes[i + 1] == 0xA0 { space(); i += 2; continue }
                switch c {
                case 0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x2E, 0x3A, 0x5B, 0x5D, 0x28, 0x29, 0x7C, 0x2A, 0x5F, 0x3D, 0x3E, 0x3C:
                    space()  // space - . : [ ] ( ) | * _ = > <
                case 0x41...0x5A: folded[n] = c | 0x20; n += 1
                default: folded[n] = c; n += 1
                }
                i += 1
            }
            if n > 0 && folded[n - 1] == 0x20 { n -= 1 }
            guard n > 0 && n <= adLabelMaxBytes else { return false }
            return adLabelsByLength[n].contains { label in label.withUnsafeBufferPointer { memcmp($0.baseAddress!, folded.baseAddress!, n) == 0 } }
        }
    }
}
