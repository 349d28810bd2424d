/// Pieces of the small pages the extraction tests build: a site's menu, a paragraph about the
/// site in a box of its own (the only prose on a page whose article the rules miss), a page
/// around a body with both, and prose with links set inside its sentences.
enum TestPages {
    static let menu = "<ul class=menu>" + ["Home", "News", "Sport", "Travel", "Contact"].map { "<li><a href=/\($0)>\($0)</a></li>" }.joined() + "</ul>"

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
