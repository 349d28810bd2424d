import XCTest
@testable import WinnowExtract

/// Page furniture named in the language of the site that made it: a German or Spanish comment
/// section, a Portuguese footer, a Dutch navigation block, a German ad box. Only English names
/// counted, so such a comment section's long comments were read as the article's text. Found by
/// `bench/extraction/invariance.py --transforms comments-de,comments-es,footer-pt,ad-de,nav-nl`
/// (pages under F1 0.8 against the page as it is: 398, 398, 78, 50, 70 of 1,922), not on gold text.
final class LocalizedNamesTests: XCTestCase {
    static let comment = "I have been reading this site for years and I have to say that this is one of the best pieces you have "
        + "published about the town, and I hope the council listens to the people who live near the river this time."
    static let legal = "Copyright 2017 Example Media Group. All rights reserved. This material may not be published, broadcast, "
        + "rewritten or redistributed without the written permission of the publisher, and every reader agrees to the terms."

    func page(before: String = "", after: String = "") -> String {
        "<html><body>" + TestPages.menu + before + "<div class=story>" + TestPages.story.map { "<p>\($0)</p>" }.joined() + "</div>"
            + after + "</body></html>"
    }

    func testFurnitureNamedInOtherLanguagesStaysOut() {
        let comments = (0..<3).map { _ in "<p>\(Self.comment)</p>" }
        let pages = [
            "German comments": page(after: "<div id=kommentare><h3>3 Kommentare</h3>" + comments.map { "<div class=kommentar>\($0)</div>" }.joined() + "</div>"),
            "Spanish comments": page(after: "<section class=comentarios>" + comments.map { "<div class=comentario-texto>\($0)</div>" }.joined() + "</section>"),
            "Turkish comments": page(after: "<div class=yorumlar>" + comments.joined() + "</div>"),
            "French comments": page(after: "<div id=commentaires>" + comments.joined() + "</div>"),
            "Polish comments": page(after: "<div class=komentarze>" + comments.joined() + "</div>"),
            "Portuguese footer": page(after: "<div id=rodape><p>\(Self.legal)</p></div>"),
            "Dutch navigation": page(before: "<div id=navigatie><p>\(Self.legal)</p></div>"),
            "German ad": page(after: "<div class=werbung><p>\(Self.legal)</p></div>"),
        ]
        for (what, html) in pages {
            XCTAssertEqual(HTMLExtractor().extract(html).text, TestPages.story.joined(separator: "\n"), what)
        }
    }

    /// A comment section, not only boilerplate: the comments' own long paragraphs are never
    /// content (`Block.commentSection`), however the story around them reads.
    func testLocalCommentNamesMarkACommentSection() {
        for name in ["kommentare", "comentarios", "komentarze", "reacties", "yorumlar", "commentaires", "comments"] {
            XCTAssertTrue(HTMLExtractor.namesCommentSection(Array(" \(name)".utf8)), name)
        }
        // A singular is an opinion column too (a German "Kommentar", a Polish "komentarz"), and a
        // commentator or columnist is no comment section.
        for name in ["content", "koment", "navigation", "kommentar", "komentarz", "comentario", "kommentator", "comentarista", "yorumcu"] {
            XCTAssertFalse(HTMLExtractor.namesCommentSection(Array(" \(name)".utf8)), name)
        }
        let html = "<html><body><div id=kommentare>" + (0..<4).map { _ in "<p>\(Self.comment)</p>" }.joined() + "</div></body></html>"
        let blocks = HTMLExtractor().walked(html, url: nil).walk.w.blocks
        XCTAssertFalse(blocks.isEmpty)
        XCTAssertTrue(blocks.allSatisfy { $0.commentSection }, "a German comment section's paragraphs are comments")
    }

    /// An article body named in another language ("artikel-inhalt", "noticia-texto") says where
    /// the article is, as "article-content" does: the story, not the longer bio beside it.
    func testAnArticleBodyNamedInAnotherLanguage() {
        let bio = "Jane Doe has covered the city council for this paper for nineteen years, and before that she wrote about schools, roads "
            + "and the weather for a weekly paper in the next county, which closed in 2004. She lives by the river with her two dogs."
        let story = Array(TestPages.story[0...1])
        for name in ["article-content", "artikel-inhalt", "noticia-texto", "articolo-testo", "artigo-conteudo", "beitrag-text"] {
            let html = "<html><body>" + TestPages.menu + "<div class=\"\(name)\">" + story.map { "<p>\($0)</p>" }.joined()
                + "</div><div class=profil><p>\(bio)</p><p>\(bio)</p></div></body></html>"
            XCTAssertEqual(HTMLExtractor().extract(html).text, story.joined(separator: "\n"), name)
        }
        var a = HTMLExtractor.Attributes()
        a.names = Array(" artikel-liste".utf8)
        XCTAssertFalse(HTMLExtractor.isArticleBody(a, isArticleTag: false), "an article list is no article body")
        a.names = Array(" footer-tekst".utf8)
        XCTAssertTrue(HTMLExtractor.isBoilerplate(a), "another language's word for text does not make a footer content")
        a.names = Array(" artikel kommentar".utf8)
        XCTAssertFalse(HTMLExtractor.isBoilerplate(a), "a German opinion column (Kommentar) is no comment section")
    }

    /// A German opinion column ("Kommentar") is the page's article, not its comments.
    func testAnOpinionColumnIsNoCommentSection() {
        for name in ["artikel kommentar", "kommentar", "beitrag-kommentar", "komentarz-redakcji", "comentario-opinion"] {
            let html = "<html><body>" + TestPages.menu + "<div class=\"\(name)\"><h2>Die Brücke</h2>" + TestPages.story.map { "<p>\($0)</p>" }.joined()
                + "</div>" + TestPages.footer + "</body></html>"
            XCTAssertEqual(HTMLExtractor().extract(html).text, (["Die Brücke"] + TestPages.story).joined(separator: "\n"), name)
        }
    }
}
