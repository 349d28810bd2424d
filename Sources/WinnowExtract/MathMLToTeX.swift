import WinnowCore

/// Presentation MathML → TeX, for a `<math>` element that carries no TeX of its own (no TeX
/// annotation, no TeX `alttext`): MathJax 3's assistive copy of a formula, MathML written by
/// hand or by a converter. Covers the elements formulas are made of (tokens, rows, scripts,
/// fractions, roots, over/under marks, tables, fences); any other element gives its content.
/// The input is the element's content as the page writes it (character references
/// unresolved); bounded depth and size, so a hostile page costs linear time.
struct MathMLToTeX {
    struct Node {
        var name: String             // lowercased local name; "#text" for text
        var text: [UInt8] = []       // a text node's decoded text, whitespace folded
        var children: [Int32] = []
        var attributes: [(name: String, value: [UInt8])] = []

        func attribute(_ n: String) -> String? {
            attributes.first { $0.name == n }.map { String(decoding: $0.value, as: UTF8.self) }
        }
    }

    private(set) var nodes: [Node] = [Node(name: "#root")]
    /// More than `maxNodes` elements: the formula is left out rather than cut short.
    private(set) var truncated = false
    static let maxDepth = 64, maxNodes = 20_000
    /// The attributes the conversion reads.
    static let readAttributes: Set<String> = ["mathvariant", "open", "close", "separators", "linethickness"]

    init(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        var stack: [Int32] = [0]
        var i = r.lowerBound
        let end = r.upperBound
        while i < end {
            if nodes.count >= Self.maxNodes { truncated = true; break }
            if p[i] == 0x3C {
                if ASCIIBytes.hasPrefix(p, at: i, end: end, "<!--") {
                    i = MarkupBytes.find(p, "-->", from: i + 4, end: end).map { $0 + 3 } ?? end
                    continue
                }
                if i + 1 < end && p[i + 1] == 0x2F {
                    // An end tag closes the innermost open element of its name (and those inside it).
                    var j = i + 2
                    while j < end && HTMLPrescan.isNameChar(p[j]) { j += 1 }
                    let name = Self.localName(p, i + 2, j)
                    if let at = stack.lastIndex(where: { nodes[Int($0)].name == name }), at > 0 { stack.removeSubrange(at...) }
                    i = (MarkupBytes.find(p, ">", from: j, end: end) ?? end - 1) + 1
                    continue
                }
                if i + 1 < end && HTMLPrescan.isNameStart(p[i + 1]) {
                    var j = i + 1
                    while j < end && HTMLPrescan.isNameChar(p[j]) { j += 1 }
                    var node = Node(name: Self.localName(p, i + 1, j))
                    let close = MarkupBytes.tagEnd(p, from: j, end: end)
                    MarkupBytes.forEachAttribute(p, from: j, to: close) { n, v in
                        let name = String(decoding: UnsafeBufferPointer(rebasing: p[n]), as: UTF8.self).lowercased()
                        if Self.readAttributes.contains(name) { node.attributes.append((name, TeXText.decoded(p, v))) }
                    }
                    let selfClosing = close > j && p[close - 1] == 0x2F
                    nodes.append(node)
                    let k = Int32(nodes.count - 1)
                    nodes[Int(stack.last!)].children.append(k)
                    if !selfClosing && stack.count < Self.maxDepth { stack.append(k) }
                    i = close + 1
                    continue
                }
            }
            var j = i + 1
            while j < end && p[j] != 0x3C { j += 1 }
            let text = TeXText.folded(TeXText.decoded(p, i..<j))
            if !text.isEmpty {
                nodes.append(Node(name: "#text", text: text))
                nodes[Int(stack.last!)].children.append(Int32(nodes.count - 1))
            }
            i = j
        }
    }

    /// A tag's name without its namespace prefix (`m:mi`, `mml:math`), lowercased.
    static func localName(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var s = from
        for k in from..<to where p[k] == 0x3A { s = k + 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: p[s..<to]).map(ASCIIBytes.lowered), as: UTF8.self)
    }

    func text(of n: Node) -> [UInt8] {
        if n.name == "#text" { return n.text }
        var out: [UInt8] = []
        for c in n.children {
            let t = text(of: nodes[Int(c)])
            out += t
        }
        return out
    }

    /// The formula as TeX ("" when it holds nothing).
    var tex: String { row(nodes[0].children, depth: 0) }

    // MARK: conversion

    enum Kind { case ord, op, open, close, punct }

    func kind(_ k: Int32, _ s: String) -> Kind {
        let n = nodes[Int(k)]
        guard n.name == "mo" else { return .ord }
        switch s {
        case "(", "[", "\\{", "\\langle", "\\lfloor", "\\lceil": return .open
        case ")", "]", "\\}", "\\rangle", "\\rfloor", "\\rceil": return .close
        case ",", ";", ".": return .punct
        case "|", "\\|", "!", "'", "\\prime", "\\ldots", "\\cdots", "": return .ord
        default: return s.utf8.allSatisfy({ CharacterReferences.isAlphanumeric($0) }) ? .ord : .op
        }
    }

    /// Children set in a row: operators spaced, fences and punctuation tight, a space wherever
    /// two letters would otherwise run together (`\alpha x`, `\sin x`).
    func row(_ kids: [Int32], depth: Int) -> String {
        var out = ""
        var previous: Kind? = nil, unary = false
        for c in kids {
            let s = convert(c, depth: depth + 1)
            if s.isEmpty { continue }
            let k = kind(c, s)
            if let prev = previous {
                let space: Bool
                switch (prev, k) {
                case (_, .close), (_, .punct), (.open, _): space = false
                case (.op, _): space = !unary
                case (_, .op), (.punct, _): space = true
                default: space = Self.endsWithLetter(out) && Self.startsWithLetter(s)
                }
                if space || (Self.endsWithCommand(out) && Self.startsWithLetter(s)) { out += " " }
            }
            unary = k == .op && Self.signs.contains(s) && (previous == nil || previous == .op || previous == .open || previous == .punct)
            previous = k
            out += s
        }
        return out
    }

    /// Operators that may stand before their operand alone (`-b`, `\pm 1`).
    static let signs: Set<String> = ["-", "+", "\\pm", "\\mp", "\\neg"]

    /// Whether `s` ends with a command's name (`\alpha`): a letter after it would lengthen the name.
    static func endsWithCommand(_ s: String) -> Bool {
        var sawLetter = false
        for c in s.utf8.reversed() {
            if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A { sawLetter = true; continue }
            return sawLetter && c == 0x5C
        }
        return false
    }

    static func endsWithLetter(_ s: String) -> Bool { s.utf8.last.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? false }
    static func startsWithLetter(_ s: String) -> Bool { s.utf8.first.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? false }

    /// A base or script as one TeX group: a single character or command stands alone.
    static func group(_ s: String) -> String {
        if s.unicodeScalars.count == 1 { return s }
        let u = Array(s.utf8)
        if u.count > 1 && u[0] == 0x5C && u.dropFirst().allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) { return s }
        return "{" + s + "}"
    }

    func elements(_ k: Int32) -> [Int32] { nodes[Int(k)].children.filter { nodes[Int($0)].name != "#text" } }

    func convert(_ k: Int32, depth: Int) -> String {
        let n = nodes[Int(k)]
        if depth > Self.maxDepth { return "" }
        let args = { self.elements(k).map { self.convert($0, depth: depth + 1) } }
        switch n.name {
        case "#text": return Self.symbols(String(decoding: n.text, as: UTF8.self))
        case "mi": return identifier(String(decoding: text(of: n), as: UTF8.self), variant: n.attribute("mathvariant"))
        case "mn": return Self.symbols(String(decoding: text(of: n), as: UTF8.self))
        case "mo":
            let t = String(decoding: text(of: n), as: UTF8.self)
            return Self.functions.contains(t) ? "\\" + t : Self.symbols(t)
        case "mtext", "ms":
            let t = String(decoding: text(of: n), as: UTF8.self)
            // (Punctuation after a displayed formula is set as text: it reads as itself.)
            if t.unicodeScalars.allSatisfy({ ".,;:!?".unicodeScalars.contains($0) }) { return t }
            return "\\text{" + Self.escapedText(t) + "}"
        case "mspace": return "\\ "
        case "annotation", "annotation-xml", "mphantom", "none", "mprescripts", "maligngroup", "malignmark", "mglyph": return ""
        case "semantics": return elements(k).first.map { convert($0, depth: depth + 1) } ?? ""
        case "msup", "msub":
            let a = args()
            guard a.count >= 2 else { return a.joined(separator: " ") }
            return Self.group(a[0]) + (n.name == "msup" ? "^" : "_") + Self.group(a[1])
        case "msubsup":
            let a = args()
            guard a.count >= 3 else { return a.joined(separator: " ") }
            return Self.group(a[0]) + "_" + Self.group(a[1]) + "^" + Self.group(a[2])
        case "mfrac":
            let a = args()
            guard a.count >= 2 else { return a.joined(separator: " ") }
            // A fraction without its bar is a binomial's numbers; MathJax writes the parentheses
            // around it as fences of their own, so `\binom` would double them.
            if let t = n.attribute("linethickness"), Double(t.prefix(while: { $0.isNumber || $0 == "." })) == 0 {
                return "{" + a[0] + " \\atop " + a[1] + "}"
            }
            return "\\frac{" + a[0] + "}{" + a[1] + "}"
        case "msqrt": return "\\sqrt{" + row(n.children, depth: depth) + "}"
        case "mroot":
            let a = args()
            guard a.count >= 2 else { return "\\sqrt{" + a.joined(separator: " ") + "}" }
            return "\\sqrt[" + a[1] + "]{" + a[0] + "}"
        case "mover", "munder", "munderover":
            let e = elements(k)
            guard e.count >= 2 else { return args().joined(separator: " ") }
            let a = e.map { convert($0, depth: depth + 1) }
            // An accent is known by its character as written (`¯`, `→`), not its TeX.
            let mark = { (k: Int32) in String(decoding: self.text(of: self.nodes[Int(k)]), as: UTF8.self) }
            if n.name == "mover", let accent = Self.overAccents[mark(e[1])] { return accent + "{" + a[0] + "}" }
            if n.name == "munder", let accent = Self.underAccents[mark(e[1])] { return accent + "{" + a[0] + "}" }
            return scripted(base: a[0], under: n.name == "mover" ? nil : a[1],
                            over: n.name == "munder" ? nil : (n.name == "mover" ? a[1] : (a.count > 2 ? a[2] : nil)))
        case "mmultiscripts":
            // base, (sub sup) pairs after it, <mprescripts/>, (sub sup) pairs before it.
            let e = elements(k)
            guard let first = e.first else { return "" }
            var post = "", pre = ""
            var before = false, pair: [String] = []
            for c in e.dropFirst() {
                if nodes[Int(c)].name == "mprescripts" { before = true; continue }
                pair.append(nodes[Int(c)].name == "none" ? "" : convert(c, depth: depth + 1))
                if pair.count == 2 {
                    let s = (pair[0].isEmpty ? "" : "_" + Self.group(pair[0])) + (pair[1].isEmpty ? "" : "^" + Self.group(pair[1]))
                    if before { pre += s } else { post += s }
                    pair = []
                }
            }
            return (pre.isEmpty ? "" : "{}" + pre) + Self.group(convert(first, depth: depth + 1)) + post
        case "mtable":
            let rows = elements(k).map { r -> String in
                // (A labelled row's first cell is its equation number, no cell of the matrix.)
                let cells = nodes[Int(r)].name == "mtr" ? elements(r) : nodes[Int(r)].name == "mlabeledtr" ? Array(elements(r).dropFirst()) : [r]
                return cells.map { convert($0, depth: depth + 2) }.joined(separator: " & ")
            }
            return "\\begin{matrix} " + rows.joined(separator: " \\\\ ") + " \\end{matrix}"
        case "mfenced":
            let open = n.attribute("open") ?? "(", close = n.attribute("close") ?? ")"
            let separator = (n.attribute("separators") ?? ",").trimmed(of: " ").first.map(String.init) ?? ""
            return "\\left" + Self.fence(open) + " " + args().joined(separator: separator + " ") + " \\right" + Self.fence(close)
        default: return row(n.children, depth: depth)
        }
    }

    /// A base with marks over or under it: limits of a large operator, an accent, or a stack.
    func scripted(base: String, under: String?, over: String?) -> String {
        if Self.largeOperators.contains(base) {
            return base + (under.map { "_" + Self.group($0) } ?? "") + (over.map { "^" + Self.group($0) } ?? "")
        }
        var s = base
        if let u = under { s = "\\underset{" + u + "}{" + s + "}" }
        if let o = over { s = "\\overset{" + o + "}{" + s + "}" }
        return s
    }

    func identifier(_ t: String, variant: String?) -> String {
        if t.isEmpty { return "" }
        if t.unicodeScalars.count > 1 {
            if Self.functions.contains(t) { return "\\" + t }
            return (variant == "bold" ? "\\mathbf{" : "\\mathrm{") + Self.escapedText(t) + "}"
        }
        let s = Self.symbols(t)
        if s.hasPrefix("\\mathbb{") { return s }
        switch variant {
        case "bold": return "\\mathbf{" + s + "}"
        case "double-struck": return "\\mathbb{" + s + "}"
        case "fraktur": return "\\mathfrak{" + s + "}"
        case "script": return "\\mathcal{" + s + "}"
        default: return s
        }
    }

    static func fence(_ f: String) -> String {
        let s = symbols(f.trimmed(of: " "))
        return s.isEmpty ? "." : s
    }

    /// A token's characters, each as TeX: symbols as commands, TeX's special characters escaped,
    /// the invisible operators (function application, invisible times) dropped.
    static func symbols(_ t: String) -> String {
        var out = ""
        var afterCommand = false
        for u in t.unicodeScalars {
            var v = u.value
            // Mathematical alphanumerics (𝑥, 𝐀, 𝟏): the letter or digit they style.
            if v >= 0x1D400 && v <= 0x1D6A3 { v = (v - 0x1D400) % 52 < 26 ? 0x41 + (v - 0x1D400) % 52 : 0x61 + (v - 0x1D400) % 52 - 26 }
            else if v >= 0x1D7CE && v <= 0x1D7FF { v = 0x30 + (v - 0x1D7CE) % 10 }
            let letter = (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A
            if afterCommand && letter { out += " " }
            if let s = commands[v] { out += s; afterCommand = endsWithCommand(s) }
            else { out.unicodeScalars.append(Unicode.Scalar(v) ?? u); afterCommand = false }
        }
        return out
    }

    /// Text for `\text{…}`: only TeX's special characters escaped.
    static func escapedText(_ t: String) -> String {
        var out = ""
        for u in t.unicodeScalars {
            switch u {
            case "#", "$", "%", "&", "_", "{", "}": out += "\\"; out.unicodeScalars.append(u)
            case "\\": out += "\\textbackslash{}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let functions: Set<String> = ["sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
                                         "coth", "log", "ln", "lg", "exp", "lim", "liminf", "limsup", "max", "min", "sup", "inf", "det",
                                         "dim", "ker", "deg", "gcd", "arg", "hom", "Pr"]
    static let largeOperators: Set<String> = ["\\sum", "\\prod", "\\coprod", "\\int", "\\iint", "\\iiint", "\\oint", "\\bigcup",
                                              "\\bigcap", "\\bigoplus", "\\bigotimes", "\\bigvee", "\\bigwedge", "\\lim", "\\max",
                                              "\\min", "\\sup", "\\inf", "\\limsup", "\\liminf"]
    static let overAccents: [String: String] = ["¯": "\\overline", "‾": "\\overline", "\u{0304}": "\\overline", "―": "\\overline",
                                                "^": "\\hat", "ˆ": "\\hat", "\u{0302}": "\\hat", "~": "\\tilde", "˜": "\\tilde",
                                                "\u{0303}": "\\tilde", "∼": "\\tilde", "→": "\\vec", "\u{20D7}": "\\vec",
                                                "˙": "\\dot", "\u{0307}": "\\dot", ".": "\\dot", "¨": "\\ddot", "\u{0308}": "\\ddot",
                                                "⏞": "\\overbrace", "←": "\\overleftarrow", "ˇ": "\\check", "˘": "\\breve"]
    static let underAccents: [String: String] = ["_": "\\underline", "‾": "\\underline", "\u{0332}": "\\underline",
                                                 "¯": "\\underline", "⏟": "\\underbrace"]

    /// Unicode → TeX for the symbols formulas use (letters, digits and ASCII operators stand as they are).
    static let commands: [UInt32: String] = {
        var d: [UInt32: String] = [:]
        let greek = ["α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta", "η": "eta",
                     "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
                     "π": "pi", "ϖ": "varpi", "ρ": "rho", "ϱ": "varrho", "σ": "sigma", "ς": "varsigma", "τ": "tau", "υ": "upsilon",
                     "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta",
                     "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
                     "±": "pm", "∓": "mp", "×": "times", "÷": "div", "·": "cdot", "⋅": "cdot", "∗": "ast", "∘": "circ",
                     "≠": "neq", "≤": "leq", "≥": "geq", "⩽": "leq", "⩾": "geq", "≪": "ll", "≫": "gg", "≈": "approx",
                     "≡": "equiv", "∼": "sim", "≃": "simeq", "≅": "cong", "∝": "propto", "∞": "infty", "∂": "partial",
                     "∇": "nabla", "∑": "sum", "∏": "prod", "∐": "coprod", "∫": "int", "∬": "iint", "∭": "iiint", "∮": "oint",
                     "√": "surd", "∈": "in", "∉": "notin", "∋": "ni", "⊂": "subset", "⊃": "supset", "⊆": "subseteq",
                     "⊇": "supseteq", "∪": "cup", "∩": "cap", "⋃": "bigcup", "⋂": "bigcap", "∅": "emptyset", "∀": "forall",
                     "∃": "exists", "¬": "neg", "∧": "wedge", "∨": "vee", "→": "to", "←": "leftarrow", "↔": "leftrightarrow",
                     "⇒": "Rightarrow", "⇐": "Leftarrow", "⇔": "Leftrightarrow", "↦": "mapsto", "↑": "uparrow",
                     "↓": "downarrow", "…": "ldots", "⋯": "cdots", "⋮": "vdots", "⋱": "ddots", 
                     "‖": "|", "∥": "parallel", "⟨": "langle", "⟩": "rangle", "〈": "langle", "〉": "rangle", "⌊": "lfloor",
                     "⌋": "rfloor", "⌈": "lceil", "⌉": "rceil", "ℓ": "ell", "ℏ": "hbar", "°": "circ", "⊗": "otimes",
                     "⊕": "oplus", "⊥": "perp", "∠": "angle", "△": "triangle", "∣": "mid", "⊢": "vdash", "⊨": "models",
                     "≺": "prec", "≻": "succ", "⊙": "odot", "⨁": "bigoplus", "⨂": "bigotimes", "⋁": "bigvee", "⋀": "bigwedge",
                     "ℵ": "aleph", "ℑ": "Im", "ℜ": "Re", "℘": "wp", "∖": "setminus", "≔": "coloneqq", "≜": "triangleq"]
        for (k, v) in greek { d[k.unicodeScalars.first!.value] = "\\" + v }
        for (k, v) in ["ℝ": "R", "ℕ": "N", "ℤ": "Z", "ℚ": "Q", "ℂ": "C", "ℙ": "P"] { d[k.unicodeScalars.first!.value] = "\\mathbb{" + v + "}" }
        d[0x2212] = "-"                              // minus sign
        for v: UInt32 in [0x2061, 0x2062, 0x2063, 0x2064, 0x200B] { d[v] = "" }  // invisible operators, zero-width space
        for (c, s) in ["{": "\\{", "}": "\\}", "#": "\\#", "%": "\\%", "&": "\\&", "$": "\\$", "\\": "\\backslash"] {
            d[c.unicodeScalars.first!.value] = s
        }
        d[0xA0] = "~"
        d[0x5F] = "\\_"; d[0x5E] = "\\hat{}"; d[0x7E] = "\\sim"   // (as characters of a token; an accent is read before)
        d[0x2032] = "'"; d[0x2033] = "''"; d[0x2034] = "'''"
        return d
    }()
}

private extension String {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
