#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// Ad labels: a line that is only "Advertisement", "Anzeige", "Story continues below
/// advertisement", … marks an ad slot set into the text. It is not the article's text, and it does
/// not interrupt it: in main-text mode the walk drops it as it drops hidden elements, so the rules
/// never see it, as trafilatura's tree cleaning removes ad containers before it reads the page.
/// (Left in, a label in a boilerplate box ended the run of borderline lines before it; a bare
/// label between two paragraphs came out.) The whole-page mode keeps it.
extension HTMLExtractor {
    /// The labels as `isAdLabel` folds them (lower case), grouped by length in bytes: a block's
    /// folded text is compared only with the labels as long as it.
    static let adLabelsByLength: [[[UInt8]]] = {
        let labels = [
            "advertisement", "advertisements", "advertising", "advert", "adverts", "ad", "ads",
            "sponsored", "sponsored content", "sponsored links", "story continues below advertisement",
            "article continues below advertisement", "advertisement continue reading below",
            "continue reading below", "continue reading the main story", "story continues below",
            "article continues below", "content continues below", "scroll to continue with content",
            "anzeige", "werbung", "publicité", "publicidad", "publicidade", "pubblicità", "advertentie",
            "reclame", "annons", "annonse", "reklame", "reklam", "reklama", "mainos", "hirdetés",
            "реклама", "διαφήμιση", "广告", "廣告", "広告", "광고", "إعلان",
            "anuncio", "anúncio", "publicitate", "reklaam", "reklāma", "oglas", "iklan", "quảng cáo",
            "gesponsert", "sponsorisé", "patrocinado", "sponsorizzato",
            "विज्ञापन", "تبلیغات", "פרסומת", "โฆษณา", "スポンサーリンク", "スポンサードリンク",
        ].map { Array($0.utf8) }
        let longest = labels.map(\.count).max() ?? 0
        return (0...longest).map { n in labels.filter { $0.count == n } }
    }()

    /// Whether a block is only an ad label: no link, not a heading (a section may be called
    /// "Advertising"), its text one of `adLabelsByLength` once folded to lower case (ASCII,
    /// Latin-1, basic Greek and Cyrillic capitals) with the dashes, brackets, dots and colons
    /// around it ("— Advertisement —", "[Anzeige]", "Continue reading below...") and between words
    /// ("Advertisement - Continue reading below") read as one space. (Every short block is asked:
    /// the folding uses a stack buffer, not an array.)
    static func isAdLabel(_ b: Block) -> Bool {
        let bytes = b.bytes, longest = adLabelsByLength.count - 1
        guard b.linkBytes == 0, !b.heading, !bytes.isEmpty, bytes.count <= 2 * longest else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { folded -> Bool in
            var n = 0
            // One space for a run of separators, none at the start.
            func space() { if n > 0 && folded[n - 1] != 0x20 { folded[n] = 0x20; n += 1 } }
            func put(_ c: UInt8) { folded[n] = c; n += 1 }
            var i = 0
            while i < bytes.count {
                let c = bytes[i], next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
                switch c {
                case 0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x2E, 0x3A, 0x5B, 0x5D, 0x28, 0x29, 0x7C, 0x2A, 0x5F, 0x3D, 0x3E, 0x3C:
                    space()  // space - . : [ ] ( ) | * _ = > <
                case 0xE2 where next == 0x80 && i + 2 < bytes.count && (bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94):
                    space(); i += 2  // en and em dash
                case 0xC2 where next == 0xB7 || next == 0xA0:
                    space(); i += 1  // middle dot, no-break space
                case 0xC3 where next >= 0x80 && next <= 0x9E && next != 0x97:
                    put(c); put(next + 0x20); i += 1  // À–Þ (not ×)
                case 0xD0 where next >= 0x90 && next <= 0x9F, 0xCE where next >= 0x91 && next <= 0x9F:
                    put(c); put(next + 0x20); i += 1  // А–П, Α–Ο
                case 0xD0 where next >= 0xA0 && next <= 0xAF, 0xCE where next >= 0xA0 && next <= 0xA9:
                    put(c + 1); put(next - 0x20); i += 1  // Р–Я, Π–Ω
                default:
                    put(ASCIIBytes.lowered(c))
                }
                i += 1
            }
            if n > 0 && folded[n - 1] == 0x20 { n -= 1 }
            guard n > 0 && n <= longest else { return false }
            return adLabelsByLength[n].contains { label in label.withUnsafeBufferPointer { memcmp($0.baseAddress!, folded.baseAddress!, n) == 0 } }
        }
    }
}
