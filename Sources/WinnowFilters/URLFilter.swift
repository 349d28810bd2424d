import Synchronization
import WinnowCore
import WinnowText

/// The registrable domain and host of a URL by the Public Suffix List's ICANN rules, as
/// tldextract computes them (labels keep their case; IP addresses and unknown suffixes give none).
public final class PublicSuffixList: Sendable {
    let rules: Set<String>, wildcards: Set<String>, exceptions: Set<String>

    public init(text: String) {
        var r = Set<String>(), w = Set<String>(), e = Set<String>()
        var inICANN = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingWhitespace()
            if line.contains("===BEGIN ICANN DOMAINS===") { inICANN = true; continue }
            if line.contains("===END ICANN DOMAINS===") { break }
            guard inICANN, !line.isEmpty, !line.hasPrefix("//") else { continue }
            let rule = line.split(separator: " ").first.map(String.init)!.lowercased()
            if rule.hasPrefix("!") { e.insert(String(rule.dropFirst())) }
            else if rule.hasPrefix("*.") { w.insert(String(rule.dropFirst(2))) }
            else { r.insert(rule) }
        }
        rules = r; wildcards = w; exceptions = e
    }

    /// The host of a URL: scheme, user info, port, path and a trailing dot removed.
    static func host(_ url: String) -> String {
        var s = Substring(url)
        if let r = s.firstRange(of: "//") { s = s[r.upperBound...] }
        if let end = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<end] }
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
        if s.hasPrefix("[") { return "" }  // IPv6
        if let colon = s.lastIndex(of: ":") { s = s[..<colon] }
        while s.hasSuffix(".") { s = s.dropLast() }
        return String(s)
    }

    /// (registered domain, fully qualified domain name); empty strings when there is none.
    public func split(_ url: String) -> (registered: String, fqdn: String) {
        let host = Self.host(url)
        let labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2, !labels.contains(where: \.isEmpty) else { return ("", "") }
        if labels.count == 4, labels.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) { return ("", "") }
        let lower = labels.map { $0.lowercased() }
        // The longest public suffix: labels i... of the host.
        var suffixStart: Int?
        for i in 0..<lower.count {
            let candidate = lower[i...].joined(separator: ".")
            if exceptions.contains(candidate) { suffixStart = i + 1; break }
            if rules.contains(candidate) { suffixStart = i; break }
            if i + 1 < lower.count && wildcards.contains(lower[(i + 1)...].joined(separator: ".")) { suffixStart = i; break }
        }
        guard let s = suffixStart, s > 0, s < labels.count else { return ("", "") }
        let registered = labels[(s - 1)...].joined(separator: ".")
        return (registered, labels.joined(separator: "."))
    }
}

/// Lists loaded once per process and shared by every `url_filter` instance.
final class URLFilterLists: Sendable {
    static let cache = Mutex<[String: URLFilterLists]>([:])
    let domains: ByteStringSet, urls: ByteStringSet
    let banned: Set<String>, soft: Set<String>
    let subwords: AhoCorasick
    let psl: PublicSuffixList

    init(domains: ByteStringSet, urls: ByteStringSet, banned: Set<String>, soft: Set<String>, subwords: [String], psl: PublicSuffixList) {
        self.domains = domains; self.urls = urls; self.banned = banned; self.soft = soft
        self.subwords = AhoCorasick(subwords); self.psl = psl
    }
}

/// datatrove's `URLFilter` (same checks, order and reasons): the URL's registered domain or
/// host in the domain block list (`domain`, `subdomain`), the URL in the URL block list
/// (`url`), a banned word among the URL's alphanumeric words (`hard_blacklisted`), at least
/// `soft_word_threshold` soft-banned words (`soft_blacklisted`), a banned subword inside the
/// normalised URL (`blacklisted_subword`). Word lists default to `configs/url_filter`;
/// `block_lists:` names a directory with datatrove's UT1 `domains` and `urls` files.
public final class URLFilterStage: Stage {
    public let name = "url_filter"
    let lists: URLFilterLists
    let softThreshold: Int

    static func normalize(_ s: some StringProtocol) -> String {
        String(s.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ($0.value >= 0x30 && $0.value <= 0x39)) }.map(Character.init)).lowercased()
    }

    /// `normalizer.split(url)`: maximal runs of ASCII letters and digits (case kept).
    static func words(_ url: String) -> Set<String> {
        Set(url.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init))
    }

    static func readList(_ path: String, normalize: Bool, allowEmpty: Bool) throws -> Set<String> {
        var out = Set<String>()
        for line in try ListFile.lines(path, allowEmpty: allowEmpty) where !line.hasPrefix("#") {
            let entry = normalize ? Self.normalize(line) : line.trimmingWhitespace()
            if !entry.isEmpty { out.insert(entry) }
        }
        // Entries that normalise to nothing (no ASCII letters or digits) cannot match anything.
        if out.isEmpty && !allowEmpty {
            throw ListFile.LoadError(description: "\(path): no usable entries (none has an ASCII letter or digit); set allow_empty: true if an empty list is meant")
        }
        return out
    }

    public init(_ p: inout StageParameters) throws {
        let dir = try p.string("lists", default: "configs/url_filter")
        let blockDir = try p.string("block_lists")
        softThreshold = try p.int("soft_word_threshold", default: 2)
        let extraDomains = try p.strings("extra_domains", default: [])
        let extraURLs = try p.strings("extra_urls", default: [])
        let allowEmpty = try p.bool("allow_empty", default: false)
        let key = "\(dir)|\(blockDir ?? "")|\(extraDomains)|\(extraURLs)|\(allowEmpty)"
        if let l = URLFilterLists.cache.withLock({ $0[key] }) { lists = l; return }
        do {
            var domains = ByteStringSet(), urls = ByteStringSet()
            for d in extraDomains { domains.insert(d.trimmingWhitespace()) }
            for u in extraURLs { urls.insert(u.trimmingWhitespace()) }
            if let blockDir {
                for (file, isDomains) in [("domains", true), ("urls", false)] {
                    let data = try ListFile.bytes(blockDir + "/" + file, allowEmpty: allowEmpty)
                    if isDomains { domains.insertLines(data) } else { urls.insertLines(data) }
                }
            }
            let subwords = Array(try Self.readList(dir + "/banned_subwords.txt", normalize: true, allowEmpty: allowEmpty))
            let pslPath = dir + "/public_suffix_list.dat"
            let psl = PublicSuffixList(text: String(decoding: try ListFile.bytes(pslPath), as: UTF8.self))
            guard !psl.rules.isEmpty else {
                throw ListFile.LoadError(description: "\(pslPath): no ICANN rules (between ===BEGIN ICANN DOMAINS=== and ===END ICANN DOMAINS===)")
            }
            let l = URLFilterLists(domains: domains, urls: urls,
                                   banned: try Self.readList(dir + "/banned_words.txt", normalize: true, allowEmpty: allowEmpty),
                                   soft: try Self.readList(dir + "/soft_banned_words.txt", normalize: true, allowEmpty: allowEmpty),
                                   subwords: subwords, psl: psl)
            URLFilterLists.cache.withLock { $0[key] = l }
            lists = l
        } catch {
            throw p.error(blockDir != nil ? "block_lists" : "lists", "\(error)")
        }
    }

    public func apply(_ doc: inout Document) -> Verdict {
        guard let url = doc.metadata["url"]?.stringValue, !url.isEmpty else { return .drop("no_url") }
        let (registered, fqdn) = lists.psl.split(url)
        if lists.domains.contains(registered) { return .drop("domain") }
        if lists.domains.contains(fqdn) { return .drop("subdomain") }
        if lists.urls.contains(url) { return .drop("url") }
        let words = Self.words(url)
        if words.contains(where: lists.banned.contains) { return .drop("hard_blacklisted") }
        if words.filter(lists.soft.contains).count >= softThreshold { return .drop("soft_blacklisted") }
        if !lists.subwords.distinctMatches(Self.normalize(url)).isEmpty { return .drop("blacklisted_subword") }
        return .keep
    }
}
