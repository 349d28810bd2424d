// The report's stylesheet, inlined so the file is self-contained (no fonts or files fetched).

enum ReportStyle {
    static let css = """
    :root{--fg:#1d2433;--muted:#5d6678;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#2f6fde;--bad:#c83c3c;--ok:#2a9d6f;--warn:#c98a12}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
    header{background:#18202f;color:#fff;padding:18px 28px}
    header h1{margin:0;font-size:20px;font-weight:600}
    header .meta{color:#b9c2d3;font-size:12.5px;margin-top:4px;word-break:break-all}
    main{max-width:1180px;margin:0 auto;padding:20px 28px 60px}
    nav.toc{font-size:13px;margin:0 0 14px}
    nav.toc a{margin-right:12px}
    a{color:var(--accent);text-decoration:none} a:hover{text-decoration:underline}
    section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:16px 0}
    h2{font-size:17px;margin:0 0 10px;display:flex;gap:10px;align-items:center}
    h3{font-size:14px;margin:18px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:6px 0 4px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px}
    .card .v{font-size:20px;font-weight:600} .card .k{color:var(--muted);font-size:12px}
    table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0}
    th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    th{color:var(--muted);font-weight:600;background:#fafbfc}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .badge{font-size:11.5px;font-weight:600;padding:2px 8px;border-radius:999px;background:#e9edf5;color:var(--muted)}
    .badge.complete{background:#e3f4ec;color:var(--ok)} .badge.failed{background:#fbe5e5;color:var(--bad)}
    .badge.running{background:#fdf2dc;color:var(--warn)}
    .note{color:var(--muted);font-size:12.5px}
    .error{color:var(--bad)}
    details{margin:4px 0 8px} summary{cursor:pointer;color:var(--accent)}
    .sample{border-left:3px solid var(--line);padding:4px 10px;margin:6px 0;font-size:12.5px}
    .sample .who{color:var(--muted);font-size:11.5px;word-break:break-all}
    .sample pre{white-space:pre-wrap;word-break:break-word;margin:4px 0 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:160px;overflow:auto}
    svg.chart{width:100%;max-width:760px;height:auto;display:block;margin:6px 0}
    svg.dag{max-width:100%}
    svg .lbl{font-size:12px;fill:var(--fg)} svg .val,svg .tick{font-size:11px;fill:var(--muted)}
    svg .kept{fill:var(--accent)} svg .dropped{fill:#d5dae3} svg .bar{fill:var(--accent);fill-opacity:.8}
    svg .axis{stroke:#9aa3b2} svg .grid{stroke:#edf0f4} svg .plot{fill:#fff;stroke:var(--line)}
    svg .err{stroke:var(--fg);stroke-width:1.3}
    svg .edge{fill:none;stroke:#9aa3b2;stroke-width:1.5} svg .arrowhead{fill:#9aa3b2}
    svg .node rect{fill:#fff;stroke:#9aa3b2;stroke-width:1.5}
    svg .node.complete rect{stroke:var(--ok)} svg .node.failed rect{stroke:var(--bad);fill:#fff5f5}
    svg .node.running rect{stroke:var(--warn)}
    svg .nodename{font-size:13px;font-weight:600;fill:var(--fg)} svg .nodecap{font-size:11px;fill:var(--muted)}
    footer{color:var(--muted);font-size:12px;text-align:center;margin-top:30px}
    """
}
