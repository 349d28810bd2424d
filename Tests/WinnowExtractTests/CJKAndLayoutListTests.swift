import XCTest
@testable import WinnowExtract

/// Found with a probe of Chinese pages (content set into 142 real Chinese pages), not on gold
/// text: an article laid out as a list item (`LayoutListItems.swift`), a Chinese sentence with
/// links of its own next to the article's paragraphs, and a Chinese pointer heading
/// ("延伸阅读：<a>…</a>", `isPointer`).
final class CJKAndLayoutListTests: XCTestCase {
    static let zhStory = [
        "魏少军指出，全球每生产三块集成电路就有两块运到中国来，去年中国进口集成电路四千多亿块，价值三千一百多亿美元，进口继续扩大。",
        "中国集成电路设计业的产品分布在通信、智能卡、计算机、多媒体、导航、模拟、功率和消费电子等所有八个领域，企业的数量都在增加。",
        "魏少军表示，因为中国产业结构和国际上发达国家不一样，设计业、制造业和封测业三业分离，规模很小，这种情况急需调整。",
        "截止八月中旬，一份对东莞五百八十七家重点企业的调研显示，预计订单量没有影响的占百分之二十四点六，略有下滑的占三成。",
    ]

    func lines(_ body: String) -> [String] {
        HTMLExtractor().extract("<html><body>\(TestPages.menu)\(body)\(TestPages.footer)</body></html>").text
            .split(separator: "\n").map(String.init)
    }

    /// A site's columns set as the items of a list: the story's paragraphs are no list items,
    /// so they get no "- " marks, and prose with links inside its sentences is read as prose.
    func testAnArticleInALayoutListItemIsReadAsParagraphs() {
        let linked = "这条<a href=/w/1>河流</a>穿过<a href=/w/2>老城区</a>，在<a href=/w/3>港口</a>附近汇入<a href=/w/4>东海</a>，几百年来一直<a href=/w/5>通航</a>。"
        for (story, linkedProse) in [(Self.zhStory, linked),
                                      (TestPages.story, "The <a href=/w/1>river</a> flows through <a href=/w/2>the old town</a> and joins the <a href=/w/3>North Sea</a> near <a href=/w/4>the port</a>, where it <a href=/w/5>carried ships</a> for centuries.")] {
            let body = "<ul class=\"two-columns\"><li class=\"main\">" + story[0...1].map { "<p>\($0)</p>" }.joined()
                + "<p>\(linkedProse)</p>" + story[2...3].map { "<p>\($0)</p>" }.joined()
                + "</li><li class=side><a href=/more>More news</a></li></ul>"
            let plainProse = linkedProse.replacingOccurrences(of: "<a href=/w/[0-9]>", with: "", options: .regularExpression)
                .replacingOccurrences(of: "</a>", with: "")
            XCTAssertEqual(lines(body), Array(story[0...1]) + [plainProse] + Array(story[2...3]))
        }
    }

    /// A real list inside the column keeps its marks (its items are list items of their own: the
    /// innermost list item owns a block), and text set straight in the column's `<li>`, after a
    /// closed paragraph or between `<br><br>`s, is the column's too.
    func testAListInsideAColumnAndTextStraightInIt() {
        let items = ["Flour, two hundred grams", "Sugar, one hundred grams", "Three large eggs and a pinch of salt"]
        let column = "<ul class=\"two-columns\"><li class=\"main\"><h1>Bridge</h1>" + TestPages.story[0...1].map { "<p>\($0)</p>" }.joined()
            + "<ul>" + items.map { "<li>\($0)</li>" }.joined() + "</ul>" + TestPages.story[2...3].map { "<p>\($0)</p>" }.joined()
            + "</li><li class=side><a href=/more>More news</a></li></ul>"
        XCTAssertEqual(lines(column), ["Bridge"] + Array(TestPages.story[0...1]) + items.map { "- " + $0 } + Array(TestPages.story[2...3]))
        let bare = "<ul><li>" + TestPages.story[0] + "<p>" + TestPages.story[1] + "</p>" + TestPages.story[2] + "<br><br>"
            + TestPages.story[3] + "</li><li><a href=/m>More</a></li></ul>"
        XCTAssertEqual(lines(bare), TestPages.story, "no marks: every block of the item is the column's")
    }

    /// A list's items are still list items: a link list keeps its marks where the page has them,
    /// a teaser card (a linked title, a blurb, a date) holds too few paragraphs to be a column,
    /// and a comment in a list of comments too little of the page's text.
    func testListsAndTeaserCardsStayListItems() {
        let items = ["<li>Flour, two hundred grams</li>", "<li>Sugar, one hundred grams</li>", "<li>Three large eggs and a pinch of salt</li>"]
        let body = "<article>" + TestPages.story[0...1].map { "<p>\($0)</p>" }.joined() + "<ul>" + items.joined() + "</ul>"
            + TestPages.story[2...3].map { "<p>\($0)</p>" }.joined() + "</article>"
        let out = lines(body)
        XCTAssertEqual(out, Array(TestPages.story[0...1]) + ["- Flour, two hundred grams", "- Sugar, one hundred grams", "- Three large eggs and a pinch of salt"]
                       + Array(TestPages.story[2...3]))
        var blocks = [HTMLExtractor.Block](repeating: HTMLExtractor.Block(), count: 3)
        for k in blocks.indices { blocks[k].listItem = true; blocks[k].listOwner = 7 }
        blocks[0].bytes = Array("Riverside wins again".utf8); blocks[0].linkBytes = blocks[0].bytes.count
        blocks[1].bytes = Array(TestPages.story[0].utf8)
        blocks[2].bytes = Array("12 March 2016".utf8)
        HTMLExtractor.readLayoutListItems(&blocks)
        XCTAssertTrue(blocks.allSatisfy { $0.listItem }, "a card with one paragraph is no column")
        blocks.append(blocks[1]); blocks[3].bytes = Array(TestPages.story[1].utf8)
        var column = blocks
        HTMLExtractor.readLayoutListItems(&column)
        XCTAssertTrue(column.allSatisfy { !$0.listItem }, "two paragraphs and more blocks, the page's text: a column")
        // Three comments of that shape in a list (no class names tell it is one): each holds a
        // third of the page's text, and they stay list items.
        var comments: [HTMLExtractor.Block] = []
        for owner in Int32(7)...9 { for var b in blocks { b.listOwner = owner; comments.append(b) } }
        HTMLExtractor.readLayoutListItems(&comments)
        XCTAssertTrue(comments.allSatisfy { $0.listItem }, "a comment is no column")
    }

    /// A Chinese sentence with links of its own, ending in 。 or ：, closing the article is the
    /// article's, as an English one ending in "." or ":" is.
    func testAChineseLinkedSentenceEndsInAWideMark() {
        for end in ["今天决定延长这项政策。", "今天作出以下三项决定：", "今天说：“政策延长。”", "今天决定延长这项政策！",
                    "今天决定延长这项政策吗？", "今天说：「政策延长。」", "今天决定延长这项政策（见附件）。", "今天决定延长这项政策。）"] {
            let sentence = "据<a href=/n/1>新华社</a>报道，<a href=/n/2>国务院常务会议</a>" + end
            // (Last: between two paragraphs a line with links is kept by another rule.)
            let body = "<article>" + Self.zhStory.map { "<p>\($0)</p>" }.joined() + "<p>\(sentence)</p></article>"
            XCTAssertEqual(lines(body), Self.zhStory + ["据新华社报道，国务院常务会议" + end], end)
        }
        var b = HTMLExtractor.Block()
        b.bytes = Array("据新华社报道，国务院常务会议今天决定延长这项政策……".utf8)
        b.linkBytes = Array("新华社国务院常务会议".utf8).count
        XCTAssertFalse(HTMLExtractor.isLinkedSentence(b), "cut short: a teaser")
        // A teaser cut short before its bracketed link, and a related story's line with its date
        // and source in brackets, end no sentence.
        for line in ["据新华社报道，国务院常务会议今天决定延长这项政策……（详细）", "据新华社报道，国务院常务会议今天决定延长这项政策……」",
                     "国务院常务会议部署稳外贸措施（2019年8月13日 来源：央视网）"] {
            b.bytes = Array(line.utf8)
            XCTAssertFalse(HTMLExtractor.isLinkedSentence(b), line)
        }
        // Another script's sentence end (`isOtherScriptSentenceEnd`) ends a linked sentence too.
        b.bytes = Array("परिषद ने मंगलवार रात मुख्य सड़क के कोने पर बने पुराने पुस्तकालय को बंद करने का फैसला किया।".utf8)
        b.linkBytes = Array("मुख्य सड़क के कोने".utf8).count
        XCTAssertTrue(HTMLExtractor.isLinkedSentence(b))
    }

    /// "延伸阅读：<a>…</a>" as a heading over the article's next paragraph points to another page,
    /// as "Read more: <a>…</a>" does: it is no round-up's entry title.
    func testAChinesePointerHeadingIsNoTitle() {
        let body = "<article>" + Self.zhStory[0...1].map { "<p>\($0)</p>" }.joined()
            + "<h3>延伸阅读：<a href=/n/9>美国加征关税后东莞企业如何应对</a></h3>"
            + Self.zhStory[2...3].map { "<p>\($0)</p>" }.joined() + "</article>"
        XCTAssertEqual(lines(body), Self.zhStory)
        // A title with curly quotes (a letter each, three bytes) or in another script than its
        // label: the link's share in letters is not its length in bytes, where it starts.
        for heading in ["延伸阅读：<a href=/n/9>“一带一路”建设的“成就”与“展望”</a>", "Read more: <a href=/n/9>Как Дунгуань ответил на пошлины США</a>",
                        "อ่านต่อ: <a href=/n/9>โรงงานในตงก่วนรับมือภาษีสหรัฐอย่างไร</a>"] {
            let body = "<article>" + Self.zhStory[0...1].map { "<p>\($0)</p>" }.joined() + "<h3>\(heading)</h3>"
                + Self.zhStory[2...3].map { "<p>\($0)</p>" }.joined() + "</article>"
            XCTAssertEqual(lines(body), Self.zhStory, heading)
        }
        var b = HTMLExtractor.Block()
        b.bytes = Array("相关阅读：美国加征关税".utf8)
        b.rawLinkBytes = Array("美国加征关税".utf8).count
        XCTAssertTrue(HTMLExtractor.isPointer(b))
        b.rawLinkBytes = b.bytes.count
        XCTAssertFalse(HTMLExtractor.isPointer(b), "a line linked whole, label and all, is no pointer")
    }
}
