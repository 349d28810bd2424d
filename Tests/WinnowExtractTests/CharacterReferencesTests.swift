import XCTest
@testable import WinnowExtract

/// Character references read as HTML5 reads them (browsers; lxml on libxml2 2.14, so
/// trafilatura; resiliparse), where this machine's libxml2 2.9 reads them otherwise. The
/// expected texts are lxml 2.14's (`bench/parity/charref_parity.py` checks random pages).
final class CharacterReferencesTests: XCTestCase {
    let story = "A long paragraph of the story, with enough words in it to count as the page's main content and more."

    /// The bytes the prescan hands to libxml2 for `s`.
    func cleaned(_ s: String) -> String {
        let b = Array(s.utf8)
        return b.withUnsafeBufferPointer { p in String(decoding: HTMLPrescan(p).cleaned(p), as: UTF8.self) }
    }

    func testReferencesLibxml2ReadsOtherwiseAreRewritten() {
        let cases: [(String, String)] = [
            // Numbers 0x80–0x9F as Windows-1252 (old pages' apostrophes and dashes), where it has a character.
            ("don&#146;t", "don\u{2019}t"),
            ("&#151; and &#x97; and &#X85;", "\u{2014} and \u{2014} and \u{2026}"),
            ("&#128;5 &#130; &#159;", "\u{20AC}5 \u{201A} \u{0178}"),
            ("&#129; &#141; &#157;", "&#129; &#141; &#157;"),
            // No character: U+FFFD; no digits: no reference, left as written.
            ("&#0; &#xD800; &#1114112; &#99999999999999999999;", "\u{FFFD} \u{FFFD} \u{FFFD} \u{FFFD}"),
            ("&#; &#x; &#xg;", "&amp;#; &amp;#x; &amp;#xg;"),
            // Legacy names without their `;` (the longest one the letters start with).
            ("&copy 2017", "\u{A9} 2017"), ("&copy2017", "\u{A9}2017"), ("&notit; &notin;", "\u{AC}it; &notin;"),
            ("&nbspRobert", "\u{A0}Robert"), ("&Aacute; &aacute &Aacutex", "&Aacute; \u{E1} \u{C1}x"),
            ("&frac34; &frac345", "&frac34; \u{BE}5"),
            // `<` and `&` go back as references libxml2 reads (a decoded `<` starts no tag).
            ("&amp co &AMP; &AMP", "&amp; co &amp; &amp;"), ("&lt b &LT; &gt c", "&lt; b &lt; > c"),
            // Names HTML 4 lacks, and the two brackets libxml2 maps to other characters.
            ("&plus; &check; &bigstar;", "+ \u{2713} \u{2605}"), ("&lang;x&rang;", "\u{27E8}x\u{27E9}"),
            ("&NotEqualTilde; &fjlig;", "\u{2242}\u{338} fj"), ("&CounterClockwiseContourIntegral;", "\u{2233}"),
            // No reference at all, and references libxml2 reads right: as written.
            ("AT&T &xyz; & ; && &", "AT&T &xyz; & ; && &"),
            ("&#8217 x &#39 y &amp; &nbsp; &copy; &apos;", "&#8217 x &#39 y &amp; &nbsp; &copy; &apos;"),
        ]
        for (input, want) in cases {
            XCTAssertEqual(cleaned("<p>" + input + "</p>"), "<p>" + want + "</p>", input)
        }
    }

    /// A page whose references libxml2 reads right is parsed as it is: no copy.
    func testPagesWithoutSuchReferencesNeedNoCopy() {
        let b = Array("<p>Fish &amp; chips &#8211; &nbsp;&copy; 2017 &#x2019; AT&T</p>".utf8)
        let scan = b.withUnsafeBufferPointer { HTMLPrescan($0) }
        XCTAssertTrue(scan.rewrites.isEmpty)
        XCTAssertFalse(scan.needsCopy)
    }

    /// References are text's: not rewritten in tags, scripts, styles, comments or skipped
    /// elements, but in a title (RCDATA) they are.
    func testOnlyTextIsRewritten() {
        let untouched = "<a href=\"?a=1&copy=2&#146;\">x</a><script>s = \"&#146;\" + a &copy b</script>"
            + "<style>p::after { content: \"&#146;\" }</style><!-- &#146; &copy --><noscript>&#146;</noscript>"
        XCTAssertEqual(cleaned(untouched), untouched.replacingOccurrences(of: "&#146;</noscript>", with: "</noscript>"))
        let page = "<html><head><title>A &#146; B &copy 2017 &AMP; C</title></head><body><p>" + story + " &#147;Really&#148;.</p></body></html>"
        let r = HTMLExtractor().extract(page)
        XCTAssertEqual(r.title, "A \u{2019} B \u{A9} 2017 & C")
        XCTAssertTrue(r.text.hasSuffix("\u{201C}Really\u{201D}."), r.text)
    }

    /// Rewrites merge with the cuts (unread and excess attributes, bogus comments, a skipped
    /// element's content) and the NULs in one copy.
    func testRewritesAndCutsTogether() {
        let attributes = (0...HTMLPrescan.maxAttributes).map { " a\($0)=1" }.joined()
        let page = "<p\(attributes)>&#146;a\u{0}b<![if x]>&copy c<![endif]>&plus;<button>&#146;</button>&#150;</p>"
        XCTAssertEqual(cleaned(page), "<p >\u{2019}ab\u{A9} c+<button></button>\u{2013}</p>")
    }

    /// End to end, the old page's text reads as a browser shows it.
    func testOldPagesApostrophesAndDashes() {
        let page = "<html><body><div><p>We didn&#146;t know &#150; and couldn&#146;t have known &#133; what the council&#146;s plan for the river would cost the town.</p></div></body></html>"
        XCTAssertEqual(HTMLExtractor().extract(page).text,
                       "We didn\u{2019}t know \u{2013} and couldn\u{2019}t have known \u{2026} what the council\u{2019}s plan for the river would cost the town.")
    }
}
