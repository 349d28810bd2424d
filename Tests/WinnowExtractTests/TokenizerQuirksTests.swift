import XCTest
@testable import WinnowExtract

/// Markup that HTML5 (browsers, lexbor, lxml on libxml2 2.14) tokenizes otherwise than this
/// machine's libxml2 2.9, which the prescan cuts so that the text is a browser's.
final class TokenizerQuirksTests: XCTestCase {
    let story = "A long paragraph of the story, with enough words in it to count as the page's main content and more."

    func cuts(_ s: String) -> [String] {
        let b = Array(s.utf8)
        return b.withUnsafeBufferPointer { p in HTMLPrescan(p).cuts.map { String(decoding: b[$0], as: UTF8.self) } }
    }

    func text(_ body: String) -> String {
        HTMLExtractor(mode: .full).extract("<html><body>" + body + "</body></html>").text
    }

    /// `</` and no letter, and `<?`, open bogus comments (to the first `>`); libxml2 left
    /// `/SPAN>` and `br>` in the text of Word pages and typos. `</` at the very end is text.
    func testEndTagsWithoutANameAndProcessingInstructionsAreBogusComments() {
        XCTAssertEqual(cuts("<p>a<//SPAN>b</ br>c</2>d</>e<?php echo 1; ?>f</p>"), ["<//SPAN>", "</ br>", "</2>", "</>", "<?php echo 1; ?>"])
        XCTAssertEqual(cuts("<p>a</p></"), [])
        XCTAssertEqual(text("<p>Stage 2 - Confusion about identity <o:p></o:p><//SPAN> and a<2></2>b</ br></p>"),
                       "Stage 2 - Confusion about identity and a<2>b")
    }

    /// `<!-->` and `<!--->` are whole comments; libxml2 read on to the next `-->` and lost the
    /// text between. `--!>` ends a comment too, so the markup after it is read as markup.
    func testAbruptCommentsEndAtOnce() {
        XCTAssertEqual(cuts("<p>a<!-->b<!--->c</p>"), ["<!-->", "<!--->"])
        XCTAssertEqual(text("<p>before<!-->the text between<!-- a real comment -->after</p>"), "beforethe text betweenafter")
        XCTAssertEqual(cuts("<p>a<!-- x --!>b<![if x]>c</p>"), ["<![if x]>"])
    }

    /// A `<` before cut markup is text, and stays text next to what the cut brings after it.
    func testALessThanSignBeforeACutStaysText() {
        XCTAssertEqual(text("<p>1 <<!-->b> 2 <</>a</p>"), "1 <b> 2 <a")
    }

    /// `</br>` is a line break in HTML5, as `<br>` is; libxml2 dropped it and ran the words
    /// on either side together.
    func testEndTagBrIsALineBreak() {
        XCTAssertEqual(text("<p>first line</br>second line</BR >third</br/>fourth</brx>fifth</p>"),
                       "first line\nsecond line\nthird\nfourthfifth")  // (`</brx>` is no `br`: ignored)
    }

    /// `<embed>` is void: the text libxml2 2.9 nests in an unclosed one (to the end of its
    /// paragraph) is the page's, not the embed's.
    func testTextAfterAnUnclosedEmbedIsKept() {
        XCTAssertEqual(text("<div><p>Watch the clip <embed src=\"clip.swf\" width=400> and read on.</p><p>Next.</p></div>"),
                       "Watch the clip and read on.\nNext.")
    }

    /// A DOCTYPE inside the page (a page pasted into another) is dropped, as HTML5 ignores it;
    /// libxml2 read the end tag after it as text. The page's own DOCTYPE stays.
    func testADoctypeInsideThePageIsDropped() {
        XCTAssertEqual(cuts("<!DOCTYPE html><html><body><p>a<!DOCTYPE html></p><p>b</p></body></html>"), ["<!DOCTYPE html>"])
        XCTAssertEqual(text("<p>a<!DOCTYPE html></pre>b</p>"), "ab")
    }

    /// An old page's script writes a script inside `<!-- … //-->`: HTML5 ends it at its last
    /// `</script>`, and no code is left as text.
    func testScriptEscapesEndWhereHTML5EndsThem() {
        let old = "<script type=\"text/javascript\"><!--\nif (!window.x) {\ndocument.write('<script src=\"ads.js\"> </script>');\n}\n//-->\n</script>"
        XCTAssertEqual(text("<p>Universe Today</p>" + old + "<p>" + story + "</p>"), "Universe Today\n" + story)
        // (The content is cut whole; the first cut is the unread `type` attribute.)
        XCTAssertEqual(cuts(old).last, "<!--\nif (!window.x) {\ndocument.write('<script src=\"ads.js\"> </script>');\n}\n//-->\n")
        // Scripts that HTML5 ends where libxml2 does are not cut: plain ones, an escape closed
        // before the end, a nested script closed inside the escape and the escape closed after.
        for same in ["<script>if (a < b) x = '<!--';</script>", "<script><!-- x = 1; //--></script>",
                     "<script><!-- document.write('x'); --> y = '<script>'</script>",
                     "<script>a<!-->b<script>c</script>"] {
            XCTAssertEqual(cuts(same + "<p>x</p>"), [], same)
        }
        // An escape never closed would make the rest of the page script: libxml2's end is kept.
        XCTAssertEqual(cuts("<script><!-- document.write('<script>');</script><p>" + story + "</p>"), [])
        XCTAssertEqual(text("<script><!-- document.write('<script>');</script><p>" + story + "</p>"), story)
    }

    /// Thousands of such scripts, each of which HTML5 would run to the end of the page: the
    /// reads past their first `</script>` share the prescan's bound (4× the page), so the scan
    /// stays linear, and every one keeps libxml2's end.
    func testManyUnclosedScriptEscapesStayLinear() {
        let page = String(repeating: "<script><!-- document.write('<script>');</script>", count: 30_000) + "<p>" + story + "</p>"
        XCTAssertEqual(cuts(page), [])
        XCTAssertEqual(HTMLExtractor().extract(page).text, story)
    }
}
