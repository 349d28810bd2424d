import XCTest
@testable import WinnowExtract

/// A declarative shadow root (`<template shadowrootmode="open">`, older `shadowroot="open"`) is
/// shown by browsers, where any other `<template>` is inert; the walk skipped both, and a
/// server-rendered web component's text was lost (`ShadowRoots.swift`).
final class ShadowRootTests: XCTestCase {
    static let story = TestPages.story.map { "<p>\($0)</p>" }

    func lines(_ body: String) -> [String] {
        HTMLExtractor().extract("<html><body>\(TestPages.menu)<article>\(body)</article>\(TestPages.footer)</body></html>").text
            .split(separator: "\n").map(String.init)
    }

    func testAShadowRootIsReadAndAnInertTemplateIsNot() {
        for attribute in ["shadowrootmode=\"open\"", "shadowrootmode=\"closed\"", "shadowroot=\"open\"", "SHADOWROOTMODE=open"] {
            let body = Self.story[0] + "<story-card><template \(attribute)><style>p { color: red }</style><h2>The bridge is rebuilt</h2>"
                + Self.story[1] + "<slot></slot></template>" + Self.story[2] + "</story-card>"
                + "<template><p>An inert template's text is never shown to anybody who reads the page in a browser.</p></template>" + Self.story[3]
            let out = lines(body)
            XCTAssertEqual(out, [TestPages.story[0], "The bridge is rebuilt", TestPages.story[1], TestPages.story[2], TestPages.story[3]],
                           attribute)
        }
    }

    func testNestedRootsAndAnUnclosedElementInsideLoseNoText() {
        let body = Self.story[0] + "<outer-card><template shadowrootmode=\"open\"><div>" + Self.story[1]
            + "<inner-card><template shadowrootmode=\"open\"><div>" + Self.story[2] + "</template></inner-card>"
            + "</div></template></outer-card>" + Self.story[3]
        XCTAssertEqual(lines(body), TestPages.story)
    }
}
