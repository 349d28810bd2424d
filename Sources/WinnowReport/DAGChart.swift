// The pipeline's steps as a left-to-right graph: a step's column is the length of the longest
// chain of steps before it, so every edge points right.

struct DAGNode {
    var name: String
    var deps: [String]
    var caption: String
    var state: String   // "complete", "failed", "running", "waiting"
}

enum DAGChart {
    static func svg(_ nodes: [DAGNode]) -> String {
        var depth: [String: Int] = [:]
        func d(_ name: String, _ seen: Set<String> = []) -> Int {
            if let v = depth[name] { return v }
            guard let node = nodes.first(where: { $0.name == name }), !seen.contains(name) else { return 0 }
            let v = node.deps.map { d($0, seen.union([name])) + 1 }.max() ?? 0
            depth[name] = v
            return v
        }
        var columns: [[DAGNode]] = []
        for node in nodes {
            let k = d(node.name)
            while columns.count <= k { columns.append([]) }
            columns[k].append(node)
        }
        let boxW = 170.0, boxH = 46.0, gapX = 60.0, gapY = 18.0
        let rows = columns.map(\.count).max() ?? 1
        let W = Double(columns.count) * (boxW + gapX) - gapX + 20, H = Double(rows) * (boxH + gapY) - gapY + 20
        var at: [String: (x: Double, y: Double)] = [:]
        for (c, col) in columns.enumerated() {
            let offset = (Double(rows - col.count) * (boxH + gapY)) / 2
            for (r, node) in col.enumerated() {
                at[node.name] = (10 + Double(c) * (boxW + gapX), 10 + offset + Double(r) * (boxH + gapY))
            }
        }
        func f(_ x: Double) -> String { Format.fixed(x, 1) }
        var s = "<svg class=\"chart dag\" viewBox=\"0 0 \(f(max(W, 200))) \(f(max(H, 60)))\" style=\"max-width:\(f(max(W, 200)))px\" role=\"img\" aria-label=\"pipeline graph\">"
        s += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>"
        for node in nodes {
            guard let b = at[node.name] else { continue }
            for dep in node.deps {
                guard let a = at[dep] else { continue }
                let x1 = a.x + boxW, y1 = a.y + boxH / 2, x2 = b.x - 2, y2 = b.y + boxH / 2, mx = (x1 + x2) / 2
                s += "<path d=\"M\(f(x1)),\(f(y1)) C\(f(mx)),\(f(y1)) \(f(mx)),\(f(y2)) \(f(x2)),\(f(y2))\" class=\"edge\" marker-end=\"url(#arrow)\"/>"
            }
        }
        for node in nodes {
            guard let p = at[node.name] else { continue }
            s += "<a href=\"#step-\(HTML.escape(anchor(node.name)))\"><g class=\"node \(node.state)\">"
            s += "<rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(boxW))\" height=\"\(f(boxH))\" rx=\"7\"><title>\(HTML.escape(node.name)): \(HTML.escape(node.state))</title></rect>"
            s += "<text x=\"\(f(p.x + boxW / 2))\" y=\"\(f(p.y + 19))\" text-anchor=\"middle\" class=\"nodename\">\(HTML.escape(clip(node.name, 22)))</text>"
            s += "<text x=\"\(f(p.x + boxW / 2))\" y=\"\(f(p.y + 36))\" text-anchor=\"middle\" class=\"nodecap\">\(HTML.escape(clip(node.caption, 28)))</text>"
            s += "</g></a>"
        }
        return s + "</svg>"
    }

    /// An id-safe form of a step name for in-page links.
    static func anchor(_ name: String) -> String {
        String(name.unicodeScalars.map { ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") ? Character($0) : "_" })
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
