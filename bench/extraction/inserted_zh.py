#!/usr/bin/env python3
"""`inserted.py` for Chinese pages: does Chinese content set into a Chinese article come out with it?

Pages: the 66 Chinese news and list pages of `../shared/data/html/zh-news-gne` and the responses
of the 60 MB benchmark WARC whose text holds 500 or more Han characters (decoded as `speed.py`
does), each page once. Each gets one piece of Chinese content (a short list, numbered steps, a
headed list, a data table, a one-sentence paragraph, two short paragraphs, a headed section,
prose with links inside its sentences, a sentence with links of its own ending in 。 or ：, a
listing's linked line, a league table, a list of linked names with notes, a definition list, a
round-up's entry under a linked heading, a quotation, lines set with <br>, a list of dates, a
figure's caption) after the middle paragraph, after the last one (`--at end`) or before the first
one (`--at start`); a paragraph is a `<p>` of 40 characters or more without markup. Counted
where the tool's text for the page as it is holds 300 characters or more (spaces aside) and the
paragraphs around the insertion point (the first 20 characters of each, spaces aside). Found
with it: an article laid out as a list item, a Chinese linked sentence, a Chinese pointer heading
(`CJKAndLayoutListTests`). Pages whose first paragraph sits in a script's JSON (ifeng) take an
insertion at the start there, where no reader sees it: every insertion misses on them.

Run (venv with warcio and resiliparse; trafilatura for --trafilatura; Winnow from a release build):
    python bench/extraction/inserted_zh.py [--at middle|end|start] [--insertions ul,...] [--trafilatura]
"""
import argparse, glob, hashlib, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inserted
import score

HAN = re.compile(r"[\u4e00-\u9fff]")
PARAGRAPH = re.compile(r"(<p(?:\s[^>]*)?>)([^<]{40,})(</p\s*>)", re.I)
LINKED = '这条<a href="/w/1">河流</a>穿过<a href="/w/2">老城区</a>，在<a href="/w/3">港口</a>附近汇入<a href="/w/4">东海</a>，几百年来一直<a href="/w/5">通航</a>。'
INSERTIONS = {
    "ul": ('<ul><li>面粉两百克</li><li>白糖一百克</li><li>鸡蛋三个</li><li>盐少许</li></ul>', ["面粉两百克", "盐少许"]),
    "ol": ('<ol><li>先把烤箱预热到一百八十度。</li><li>把面粉和白糖放进碗里拌匀。</li><li>烤二十五分钟。</li></ol>', ["先把烤箱预热到一百八十度。", "烤二十五分钟。"]),
    "headed-ul": ('<h3>准备工具</h3><ul><li>打气筒</li><li>两根撬胎棒</li><li>备用内胎</li></ul>', ["准备工具", "备用内胎"]),
    "table": ('<table><tr><th>年份</th><th>销量</th><th>利润</th></tr><tr><td>2015</td><td>120万</td><td>30万</td></tr>'
              '<tr><td>2016</td><td>150万</td><td>42万</td></tr></table>', ["年份", "150万"]),
    "one-sentence": ('<p>事情就这样结束了。</p>', ["事情就这样结束了。"]),
    "short-paras": ('<p>他拒绝了。</p><p>然后他走了。</p>', ["他拒绝了。", "然后他走了。"]),
    "headed-section": ('<h2>下半场</h2><p>中场休息后，客队加强进攻，十分钟内连进两球。</p>', ["下半场", "中场休息后，客队加强进攻"]),
    "linked-prose": (f'<p>{LINKED}</p>', ["这条河流穿过老城区，在港口附近汇入东海"]),
    "linked-sentence": ('<p>据<a href="/n/1">新华社</a>报道，<a href="/n/2">国务院常务会议</a>今天决定延长这项政策。</p>', ["国务院常务会议今天决定延长这项政策。"]),
    "linked-colon": ('<p>据<a href="/n/1">新华社</a>报道，<a href="/n/2">国务院常务会议</a>今天作出以下三项决定：</p>', ["国务院常务会议今天作出以下三项决定："]),
    "linked-line": ('<p><a href="/homes/3103">西雅图奥利弗街3103号</a> 售价：599,999美元</p>', ["西雅图奥利弗街3103号", "售价：599,999美元"]),
    "linked-table": ('<table><tr><th>球队</th><th>积分</th></tr><tr><td><a href="/t/1">河滨联</a></td><td>54</td></tr>'
                     '<tr><td><a href="/t/2">北港城</a></td><td>51</td></tr><tr><td><a href="/t/3">西山流浪者</a></td><td>47</td></tr></table>',
                     ["河滨联", "西山流浪者"]),
    "linked-ul": ('<ul><li><a href="/a">市议会</a>——2001年以来每次会议的记录</li><li><a href="/b">河流保护基金会</a>——年度报告和账目</li>'
                  '<li><a href="/c">港务局</a>——航运数据</li></ul>', ["2001年以来每次会议的记录", "航运数据"]),
    "dl": ('<dl><dt>带宽</dt><dd>数据传输的速率</dd><dt>延迟</dt><dd>数据到达之前的等待时间</dd></dl>', ["数据传输的速率", "数据到达之前的等待时间"]),
    "linked-heading": ('<h3>1. <a href="/p/1">极客小工具专业版</a></h3><p>我们测试过的最好的小工具，电池能用两天，屏幕在强烈阳光下也看得清，'
                       '外壳经受住了测试人员的每一次摔打。</p>', ["极客小工具专业版", "电池能用两天"]),
    "blockquote": ('<blockquote><p>无论花多少钱，我们都要在冬天之前把桥修好。</p></blockquote>', ["无论花多少钱，我们都要在冬天之前把桥修好。"]),
    "br-lines": ('<div>营业时间<br>周一至周五：上午九点到下午五点<br>周六：上午十点到下午两点<br>周日：休息</div>', ["周一至周五：上午九点到下午五点", "周日：休息"]),
    "dates": ('<ul><li>2016年3月12日：第一次会议</li><li>2016年4月4日：方案通过</li><li>2016年5月9日：开工</li></ul>', ["2016年3月12日：第一次会议", "2016年5月9日：开工"]),
    "caption": ('<figure><img src="/a.jpg" alt=""><figcaption>从河边看新图书馆，摄于2019年5月。</figcaption></figure>', ["从河边看新图书馆"]),
}


def plain(html):
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def unspaced(text):
    return "".join(text.split())


def chinese_pages():
    """GNE's pages and the benchmark WARC's Chinese responses, each once."""
    from warcio.archiveiterator import ArchiveIterator
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    pages = [open(f, encoding="utf-8", errors="replace").read()
             for f in sorted(glob.glob(os.path.join(score.ROOT, "..", "shared", "data", "html", "zh-news-gne", "*.html")))]
    with open(os.path.join(score.ROOT, "..", "shared", "data", "warc", "bench", "bench-60mb.warc.gz"), "rb") as f:
        for rec in ArchiveIterator(f):
            if rec.rec_type != "response" or "html" not in (rec.http_headers.get_header("Content-Type") or ""):
                continue
            raw = rec.content_stream().read()
            html = bytes_to_str(raw, detect_encoding(raw))
            if len(HAN.findall(html)) >= 500:
                pages.append(html)
    seen, out = set(), []
    for h in pages:
        key = hashlib.sha1(h.encode("utf-8", "replace")).digest()
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def at_middle(snippet):
    def insert(html):
        ends = [m.end() for m in PARAGRAPH.finditer(html)]
        k = ends[len(ends) // 2]
        return html[:k] + snippet + html[k:]
    return insert


def at_end(snippet):
    def insert(html):
        k = list(PARAGRAPH.finditer(html))[-1].end()
        return html[:k] + snippet + html[k:]
    return insert


def at_start(snippet):
    def insert(html):
        k = next(PARAGRAPH.finditer(html)).start()
        return html[:k] + snippet + html[k:]
    return insert


def counted(paragraphs):
    """Whether the tool's text holds 300 characters and the paragraphs `paragraphs(found)` picks."""
    def counts(html, base):
        found = list(PARAGRAPH.finditer(html))
        text = unspaced(base)
        if len(found) < 3 or len(text) < 300:
            return False
        ps = [plain(m.group(2)) for m in paragraphs(found)]
        return all(len(unspaced(p)) >= 20 and "&" not in p and unspaced(p)[:20] in text for p in ps)
    return counts


WHERE = {
    "middle": (at_middle, counted(lambda f: f[len(f) // 2: len(f) // 2 + 2]), "after the middle paragraph"),
    "end": (at_end, counted(lambda f: f[-1:]), "after the last paragraph"),
    "start": (at_start, counted(lambda f: f[:1]), "before the first paragraph"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--insertions", default=",".join(INSERTIONS))
    ap.add_argument("--at", choices=list(WHERE), default="middle")
    ap.add_argument("--trafilatura", action="store_true", help="also trafilatura (defaults, without deduplicate)")
    args = ap.parse_args()
    pages = chinese_pages()
    insert, counts, where = WHERE[args.at]
    print(f"{len(pages)} Chinese pages; content inserted {where}")
    inserted.report(pages, inserted.extractors(args.trafilatura), INSERTIONS, args.insertions.split(","), insert, counts,
                    read=unspaced, width=16)

if __name__ == "__main__":
    main()
