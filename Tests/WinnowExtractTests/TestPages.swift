/// Pieces of the small pages the extraction tests build: a site's menu and footer, a paragraph
/// about the site in a box of its own (the only prose on a page whose article the rules miss), a
/// page around a body with both, a short news story, a site's "best viewed" notice, and prose
/// with links set inside its sentences.
enum TestPages {
    static let menu = "<ul class=menu>" + ["Home", "News", "Sport", "Travel", "Contact"].map { "<li><a href=/\($0)>\($0)</a></li>" }.joined() + "</ul>"

    static let footer = "<ul class=footer><li><a href=/a>About</a></li><li><a href=/c>Contact</a></li></ul>"

    /// Four paragraphs, 588 bytes.
    static let story = [
        "The city council voted on Tuesday to rebuild the old bridge over the river, ending a debate that has lasted for more than ten years and divided the town.",
        "Work is due to start next spring, and the council expects the new bridge to open to traffic two years later, at a cost of about forty million dollars.",
        "Residents who live near the bridge will be able to comment on the plans at three public meetings in the town hall, the first of them in early March.",
        "The old bridge will stay open while the new one is built beside it, so that the farms on the far bank keep their only road into the town.",
    ]

    /// 263 bytes.
    static let browserNotice = "This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled. While you will be able to "
        + "view the content of this page in your current browser, you will not be able to get the full visual experience. "
        + "Please consider upgrading your browser."

    static let about = "This website is written by a small group of volunteers who have been collecting the history of the villages "
        + "of the region for many years, from parish records, old newspapers and the memories of the people who live there."

    static func withAbout(_ body: String) -> String {
        "<html><head><title>t</title></head><body>\(menu)<div class=intro><p>\(about)</p></div>\(body)</body></html>"
    }

    /// Every `n`th word of `s` linked, as a wiki links the places and names it mentions.
    static func linked(_ s: String, every n: Int) -> String {
        s.split(separator: " ").enumerated().map { $0.offset % n == n - 1 ? "<a href=\"/wiki/\($0.offset)\">\($0.element)</a>" : String($0.element) }
            .joined(separator: " ")
    }
}
