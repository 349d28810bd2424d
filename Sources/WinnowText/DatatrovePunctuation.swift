/// datatrove's `PUNCTUATION` characters (its text utilities, Apache-2.0): ASCII and CJK
/// punctuation, typographic quotes and dashes, and the C0/C1 control characters it lists.
/// `simplify_text` turns them into spaces; Gopher's quality filter counts words made only of them.
public enum DatatrovePunctuation {
    public static let set: Set<Unicode.Scalar> = {
        var s = Set("!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»".unicodeScalars)
        for (a, b) in [(0, 9), (11, 13), (13, 32), (127, 160)] { for x in a..<b { s.insert(Unicode.Scalar(UInt8(x))) } }
        return s
    }()
}
