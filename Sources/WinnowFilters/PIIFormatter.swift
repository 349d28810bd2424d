import WinnowCore
import WinnowText

/// datatrove's `PIIFormatter`: email addresses, then public IPv4 addresses, replaced by
/// placeholder values used in turn (the turn carries over from document to document within a
/// stage instance, i.e. within one unit of work). The matching reproduces datatrove's regular
/// expressions by hand: an email needs a word boundary before its local part, dotted local-part
/// atoms, `@`, and a domain of two or more labels (or a bracketed IPv4); an IPv4 address is four
/// octets 0–255 anywhere (no boundary), replaced only if Python's `ipaddress` calls it global.
/// `preset: fineweb-2024`: datatrove 0.2.0's email expression, lowercase letters only (uppercase
/// came in 2024-05-02, after FineWeb).
public final class PIIFormatter: Stage {
    public let name = "pii"
    let emails: Bool, ips: Bool, publicOnly: Bool, lowercaseOnly: Bool
    let emailReplacements: [String], ipReplacements: [String]
    private var emailTurn = 0, ipTurn = 0

    public init(_ p: inout StageParameters) throws {
        emails = try p.bool("remove_emails", default: true)
        ips = try p.bool("remove_ips", default: true)
        publicOnly = try p.bool("only_remove_public_ips", default: true)
        emailReplacements = try p.strings("email_replacement", default: ["email@example.com", "firstname.lastname@example.org"])
        ipReplacements = try p.strings("ip_replacement", default: ["22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206", "220.127.116.11", "18.104.22.168"])
        guard !emailReplacements.isEmpty, !ipReplacements.isEmpty else { throw p.error("email_replacement", "give at least one replacement") }
        lowercaseOnly = try p.choice("preset", ["datatrove-current", "fineweb-2024"], default: "datatrove-current") == "fineweb-2024"
    }

    public func apply(_ doc: inout Document) -> Verdict {
        var text = Scalars.of(doc.text)
        var changed = false
        if emails, text.contains(0x40) {
            let lower = lowercaseOnly
            if let r = Self.replace(text, match: { Self.email($0, $1, lowercaseOnly: lower) }, with: { _ in
                defer { self.emailTurn = (self.emailTurn + 1) % self.emailReplacements.count }
                return self.emailReplacements[self.emailTurn]
            }) { text = r; changed = true }
        }
        if ips, text.contains(0x2E) {
            if let r = Self.replace(text, match: Self.ipv4, with: { ip in
                guard let octets = Self.octets(ip), !self.publicOnly || Self.isGlobal(octets) else { return nil }
                defer { self.ipTurn = (self.ipTurn + 1) % self.ipReplacements.count }
                return self.ipReplacements[self.ipTurn]
            }) { text = r; changed = true }
        }
        if changed { doc.text = Scalars.string(text) }
        return .keep
    }

    typealias Matcher = ([UInt32], Int) -> Int?

    /// `re.sub`: leftmost matches, left to right; a nil replacement keeps the match. Nil if
    /// nothing matched.
    static func replace(_ s: [UInt32], match: Matcher, with f: (ArraySlice<UInt32>) -> String?) -> [UInt32]? {
        var out: [UInt32] = []
        var copied = 0  // s[..<copied] is in out
        var i = 0
        while i < s.count {
            if let end = match(s, i), end > i {
                if out.isEmpty { out.reserveCapacity(s.count + 32) }
                out += s[copied..<i]
                if let r = f(s[i..<end]) { out += r.unicodeScalars.map(\.value) } else { out += s[i..<end] }
                i = end
                copied = end
            } else {
                i += 1
            }
        }
        if copied == 0 { return nil }
        out += s[copied...]
        return out
    }

    /// `[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]` (lowercase only for datatrove 0.2.0) as ASCII tables.
    static let localTable: [Bool] = (0..<128).map { c in
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-".unicodeScalars.contains { $0.value == UInt32(c) }
    }
    static let localTableLower: [Bool] = (0..<128).map { c in localTable[c] && !(c >= 0x41 && c <= 0x5A) }
    @inline(__always) static func isLocal(_ c: UInt32, _ lowercaseOnly: Bool) -> Bool {
        c < 128 && (lowercaseOnly ? localTableLower[Int(c)] : localTable[Int(c)])
    }
    @inline(__always) static func isAlnum(_ c: UInt32, _ lowercaseOnly: Bool) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (!lowercaseOnly && c >= 0x41 && c <= 0x5A)
    }
    /// Python's `\w` for `\b`.
    @inline(__always) static func isWord(_ c: UInt32) -> Bool { CharClass.of(c) & CharClass.word != 0 }

    /// The end of an email address starting at i, if one does.
    static func email(_ s: [UInt32], _ i: Int, lowercaseOnly: Bool = false) -> Int? {
        guard isLocal(s[i], lowercaseOnly) else { return nil }
        let prevWord = i > 0 && isWord(s[i - 1])
        guard prevWord != isWord(s[i]) else { return nil }  // \b
        var j = i
        while true {
            let atom = j
            while j < s.count && isLocal(s[j], lowercaseOnly) { j += 1 }
            if j == atom { return nil }
            if j < s.count && s[j] == 0x2E && j + 1 < s.count && isLocal(s[j + 1], lowercaseOnly) { j += 1; continue }
            break
        }
        guard j < s.count && s[j] == 0x40 else { return nil }
        return domain(s, j + 1, lowercaseOnly)
    }

    static func domain(_ s: [UInt32], _ start: Int, _ lowercaseOnly: Bool) -> Int? {
        guard start < s.count else { return nil }
        if s[start] == 0x5B {
            var k = start + 1
            for n in 0..<4 {
                guard let e = octet(s, k) else { return nil }
                k = e
                if n < 3 { guard k < s.count && s[k] == 0x2E else { return nil }; k += 1 }
            }
            return k < s.count && s[k] == 0x5D ? k + 1 : nil
        }
        var labels = 0
        var k = start
        var end: Int?
        while k < s.count && isAlnum(s[k], lowercaseOnly) {
            var r = k
            while r < s.count && (isAlnum(s[r], lowercaseOnly) || s[r] == 0x2D) { r += 1 }
            var e = r
            while s[e - 1] == 0x2D { e -= 1 }
            labels += 1
            if labels >= 2 { end = e }
            if e == r, r + 1 < s.count, s[r] == 0x2E, isAlnum(s[r + 1], lowercaseOnly) { k = r + 1 } else { break }
        }
        return end
    }

    /// One octet at k, as the regex alternatives take it (greedy); nil if none.
    static func octet(_ s: [UInt32], _ k: Int) -> Int? { octetEnds(s, k).first }

    @inline(__always) static func digit(_ s: [UInt32], _ k: Int) -> UInt32? {
        k < s.count && s[k] >= 0x30 && s[k] <= 0x39 ? s[k] - 0x30 : nil
    }

    /// Possible octet ends in the regex's order of preference.
    static func octetEnds(_ s: [UInt32], _ k: Int) -> [Int] {
        var ends: [Int] = []
        let d0 = digit(s, k), d1 = digit(s, k + 1), d2 = digit(s, k + 2)
        if d0 == 2, d1 == 5, let c = d2, c <= 5 { ends.append(k + 3) }                   // 25[0-5]
        if d0 == 2, let b = d1, b <= 4, d2 != nil { ends.append(k + 3) }                 // 2[0-4][0-9]
        if let a = d0, a <= 1, d1 != nil {                                              // [01][0-9][0-9]?
            if d2 != nil { ends.append(k + 3) }
            ends.append(k + 2)
        }
        if d0 != nil {                                                                   // [0-9][0-9]?
            if d1 != nil { ends.append(k + 2) }
            ends.append(k + 1)
        }
        return ends
    }

    /// The end of an IPv4 address starting at i (regex backtracking over octet lengths).
    static func ipv4(_ s: [UInt32], _ i: Int) -> Int? {
        guard s[i] >= 0x30 && s[i] <= 0x39 else { return nil }
        func go(_ k: Int, _ n: Int) -> Int? {
            for e in octetEnds(s, k) {
                if n == 3 { return e }
                if e < s.count && s[e] == 0x2E { if let r = go(e + 1, n + 1) { return r } }
            }
            return nil
        }
        return go(i, 0)
    }

    /// Octets as Python's `ipaddress.ip_address` reads them (no leading zeros), or nil.
    static func octets(_ ip: ArraySlice<UInt32>) -> [UInt32]? {
        let parts = ip.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt32] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, !(p.count > 1 && p.first == 0x30) else { return nil }
            let v = p.reduce(UInt32(0)) { $0 * 10 + ($1 - 0x30) }
            guard v <= 255 else { return nil }
            out.append(v)
        }
        return out
    }

    /// Python 3.11's `IPv4Address.is_global`: not in 100.64.0.0/10 and not private.
    static func isGlobal(_ o: [UInt32]) -> Bool {
        let v = o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3]
        func inNet(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ bits: UInt32) -> Bool {
            let net = a << 24 | b << 16 | c << 8 | d
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return v & mask == net & mask
        }
        if inNet(100, 64, 0, 0, 10) { return false }
        let privateNets: [(UInt32, UInt32, UInt32, UInt32, UInt32)] = [
            (0, 0, 0, 0, 8), (10, 0, 0, 0, 8), (127, 0, 0, 0, 8), (169, 254, 0, 0, 16), (172, 16, 0, 0, 12), (192, 0, 0, 0, 29),
            (192, 0, 0, 170, 31), (192, 0, 2, 0, 24), (192, 168, 0, 0, 16), (198, 18, 0, 0, 15), (198, 51, 100, 0, 24),
            (203, 0, 113, 0, 24), (240, 0, 0, 0, 4), (255, 255, 255, 255, 32),
        ]
        return !privateNets.contains { inNet($0.0, $0.1, $0.2, $0.3, $0.4) }
    }
}
