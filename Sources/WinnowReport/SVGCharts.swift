// Inline SVG charts (no script, no fonts or files fetched): a funnel of documents through a
// step's stages, a histogram, line charts with optional bands, and bars with error bars.
// Every label is escaped; native `<title>` elements give hover tooltips without JavaScript.

enum SVGCharts {
    static let palette = ["#2f6fde", "#e0662e", "#2a9d6f", "#9b59b6", "#c9a227", "#d64561", "#17a2b8", "#6c757d"]

    private static func n(_ x: Double) -> String { Format.fixed(x, 1) }

    /// One bar per row: kept documents in the accent colour, dropped ones in grey, widths
    /// relative to the first row's input.
    static func funnel(_ rows: [(label: String, docsIn: Int, docsOut: Int)]) -> String {
        let top = max(rows.first?.docsIn ?? 0, 1)
        let labelW = 170.0, barW = 480.0, rowH = 26.0
        let h = rowH * Double(rows.count) + 8
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(n(labelW + barW + 140)) \(n(h))\" role=\"img\" aria-label=\"document funnel\">"
        for (i, r) in rows.enumerated() {
            let y = 4 + rowH * Double(i)
            let wIn = barW * Double(r.docsIn) / Double(top), wOut = barW * Double(r.docsOut) / Double(top)
            s += "<text x=\"\(n(labelW - 8))\" y=\"\(n(y + 16))\" text-anchor=\"end\" class=\"lbl\">\(HTML.escape(r.label))</text>"
            s += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(max(wIn, 0.5)))\" height=\"18\" class=\"dropped\"><title>\(HTML.escape(r.label)): \(Format.int(r.docsIn - r.docsOut)) dropped</title></rect>"
            s += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(max(wOut, 0.5)))\" height=\"18\" class=\"kept\"><title>\(HTML.escape(r.label)): \(Format.int(r.docsOut)) of \(Format.int(r.docsIn)) kept</title></rect>"
            s += "<text x=\"\(n(labelW + max(wIn, 0.5) + 6))\" y=\"\(n(y + 16))\" class=\"val\">\(Format.int(r.docsOut)) / \(Format.int(r.docsIn))</text>"
        }
        return s + "</svg>"
    }

    /// A histogram of positive integers; log-spaced bins when the values span more than two
    /// decades (token counts per document usually do).
    static func histogram(_ values: [Int], bins: Int = 32, xLabel: String) -> String {
        guard let lo0 = values.min(), let hi0 = values.max() else { return "" }
        let lo = Double(max(lo0, 1)), hi = Double(max(hi0, lo0 + 1))
        let logScale = hi / lo > 100
        func pos(_ v: Double) -> Double {
            logScale ? (log(max(v, lo)) - log(lo)) / (log(hi) - log(lo)) : (v - lo) / (hi - lo)
        }
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, max(0, Int(pos(Double(v)) * Double(bins))))] += 1 }
        let peak = Double(max(counts.max() ?? 1, 1))
        let W = 640.0, H = 200.0, left = 50.0, bottom = 34.0, plotW = W - left - 10, plotH = H - bottom - 10
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(n(W)) \(n(H))\" role=\"img\" aria-label=\"histogram\">"
        s += "<line x1=\"\(n(left))\" y1=\"\(n(10 + plotH))\" x2=\"\(n(left + plotW))\" y2=\"\(n(10 + plotH))\" class=\"axis\"/>"
        let bw = plotW / Double(bins)
        func edge(_ k: Int) -> Double {
            let f = Double(k) / Double(bins)
            return logScale ? exp(log(lo) + f * (log(hi) - log(lo))) : lo + f * (hi - lo)
        }
        for (k, c) in counts.enumerated() where c > 0 {
            let bh = plotH * Double(c) / peak
            s += "<rect x=\"\(n(left + bw * Double(k) + 0.5))\" y=\"\(n(10 + plotH - bh))\" width=\"\(n(max(bw - 1, 0.5)))\" height=\"\(n(bh))\" class=\"bar\"><title>\(Format.axis(edge(k)))–\(Format.axis(edge(k + 1))): \(Format.int(c))</title></rect>"
        }
        for k in stride(from: 0, through: bins, by: bins / 4) {
            s += "<text x=\"\(n(left + bw * Double(k)))\" y=\"\(n(H - bottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(Format.axis(edge(k)))</text>"
        }
        s += "<text x=\"\(n(left - 6))\" y=\"\(n(16))\" text-anchor=\"end\" class=\"tick\">\(Format.int(Int(peak)))</text>"
        s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(H - 4))\" text-anchor=\"middle\" class=\"lbl\">\(HTML.escape(xLabel))\(logScale ? " (log scale)" : "")</text>"
        return s + "</svg>"
    }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Optional (x, low, high) band drawn under the line (e.g. min/max over seeds).
        var band: [(x: Double, lo: Double, hi: Double)] = []
        var dashed = false
    }

    /// Lines on shared axes with a legend.
    static func lines(_ series: [Series], xLabel: String, yLabel: String) -> String {
        let all = series.flatMap { s in s.points.map(\.y) + s.band.flatMap { [$0.lo, $0.hi] } }.filter(\.isFinite)
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        guard let y0 = all.min(), let y1 = all.max(), let x0 = xs.min(), let x1 = xs.max() else { return "" }
        let ylo = y0 - (y1 - y0) * 0.05, yhi = y1 + (y1 - y0) * 0.05 + (y1 == y0 ? 1 : 0)
        let xhi = x1 == x0 ? x0 + 1 : x1
        let W = 640.0, H = 260.0, left = 56.0, bottom = 36.0, top = 10.0, plotW = W - left - 130, plotH = H - bottom - top
        func px(_ x: Double) -> Double { left + plotW * (x - x0) / (xhi - x0) }
        func py(_ y: Double) -> Double { top + plotH * (1 - (y - ylo) / (yhi - ylo)) }
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(n(W)) \(n(H))\" role=\"img\" aria-label=\"\(HTML.escape(yLabel))\">"
        s += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" class=\"plot\"/>"
        for k in 0...4 {
            let y = ylo + (yhi - ylo) * Double(k) / 4, x = x0 + (xhi - x0) * Double(k) / 4
            s += "<line x1=\"\(n(left))\" y1=\"\(n(py(y)))\" x2=\"\(n(left + plotW))\" y2=\"\(n(py(y)))\" class=\"grid\"/>"
            s += "<text x=\"\(n(left - 6))\" y=\"\(n(py(y) + 4))\" text-anchor=\"end\" class=\"tick\">\(Format.axis(y))</text>"
            s += "<text x=\"\(n(px(x)))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\" class=\"tick\">\(Format.axis(x))</text>"
        }
        for (i, se) in series.enumerated() {
            let color = palette[i % palette.count]
            if !se.band.isEmpty {
                let upper = se.band.map { "\(n(px($0.x))),\(n(py($0.hi)))" }
                let lower = se.band.reversed().map { "\(n(px($0.x))),\(n(py($0.lo)))" }
                s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
            }
            let pts = se.points.filter { $0.y.isFinite }.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(se.dashed ? " stroke-dasharray=\"5 3\"" : "")><title>\(HTML.escape(se.name))</title></polyline>"
            if se.points.count <= 40 {
                for p in se.points where p.y.isFinite {
                    s += "<circle cx=\"\(n(px(p.x)))\" cy=\"\(n(py(p.y)))\" r=\"2.5\" fill=\"\(color)\"><title>\(HTML.escape(se.name)) @ \(Format.axis(p.x)): \(Format.fixed(p.y, 4))</title></circle>"
                }
            }
            let ly = top + 14 + 18 * Double(i)
            s += "<line x1=\"\(n(left + plotW + 12))\" y1=\"\(n(ly - 4))\" x2=\"\(n(left + plotW + 30))\" y2=\"\(n(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(se.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
            s += "<text x=\"\(n(left + plotW + 34))\" y=\"\(n(ly))\" class=\"lbl\">\(HTML.escape(se.name))</text>"
        }
        s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(H - 4))\" text-anchor=\"middle\" class=\"lbl\">\(HTML.escape(xLabel))</text>"
        s += "<text transform=\"translate(12 \(n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" class=\"lbl\">\(HTML.escape(yLabel))</text>"
        return s + "</svg>"
    }

    /// Horizontal bars with ± error bars (e.g. eval bits/byte per variant, mean ± std over seeds).
    static func errorBars(_ items: [(label: String, mean: Double, std: Double)], valueLabel: String) -> String {
        guard !items.isEmpty else { return "" }
        let hiV = items.map { $0.mean + $0.std }.max()!, loV = items.map { $0.mean - $0.std }.min()!
        let lo = max(0, loV - (hiV - loV) * 0.3), hi = hiV + (hiV - loV) * 0.1 + (hiV == loV ? 1 : 0)
        let labelW = 190.0, barW = 400.0, rowH = 28.0
        func px(_ v: Double) -> Double { labelW + barW * (v - lo) / (hi - lo) }
        let H = rowH * Double(items.count) + 30
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(n(labelW + barW + 120)) \(n(H))\" role=\"img\" aria-label=\"\(HTML.escape(valueLabel))\">"
        for (i, it) in items.enumerated() {
            let y = 4 + rowH * Double(i)
            s += "<text x=\"\(n(labelW - 8))\" y=\"\(n(y + 17))\" text-anchor=\"end\" class=\"lbl\">\(HTML.escape(it.label))</text>"
            s += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 5))\" width=\"\(n(max(px(it.mean) - labelW, 0.5)))\" height=\"16\" fill=\"\(palette[i % palette.count])\" fill-opacity=\"0.75\"><title>\(HTML.escape(it.label)): \(Format.fixed(it.mean, 4)) ± \(Format.fixed(it.std, 4))</title></rect>"
            let a = px(it.mean - it.std), b = px(it.mean + it.std), cy = y + 13
            s += "<line x1=\"\(n(a))\" y1=\"\(n(cy))\" x2=\"\(n(b))\" y2=\"\(n(cy))\" class=\"err\"/><line x1=\"\(n(a))\" y1=\"\(n(cy - 6))\" x2=\"\(n(a))\" y2=\"\(n(cy + 6))\" class=\"err\"/><line x1=\"\(n(b))\" y1=\"\(n(cy - 6))\" x2=\"\(n(b))\" y2=\"\(n(cy + 6))\" class=\"err\"/>"
            s += "<text x=\"\(n(b + 6))\" y=\"\(n(y + 17))\" class=\"val\">\(Format.fixed(it.mean, 4)) ± \(Format.fixed(it.std, 4))</text>"
        }
        s += "<text x=\"\(n(labelW + barW / 2))\" y=\"\(n(H - 6))\" text-anchor=\"middle\" class=\"lbl\">\(HTML.escape(valueLabel)) (axis from \(Format.axis(lo)))</text>"
        return s + "</svg>"
    }
}

#if canImport(Glibc)
import Glibc
#endif
