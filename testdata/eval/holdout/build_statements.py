#!/usr/bin/env python3
"""Builds statements.jsonl (the blind hold-out set) from /work/shared fixtures.

Run from the repository root: python3 testdata/eval/holdout/build_statements.py
Texts already in statements-dev.jsonl (same URL) are skipped.
"""
import glob
import html
import json
import re
import xml.etree.ElementTree as ET

import yaml
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

SHARED = "/work/shared"
FIX = SHARED + "/fixtures"
OUT = "testdata/eval/holdout/statements.jsonl"


def norm(u):
    u = u.strip().rstrip("/")
    u = re.sub(r"^https?://", "", u)
    return re.sub(r"^www\.", "", u)


dev = [json.loads(l) for l in open(FIX + "/statements-dev.jsonl")]
dev_urls = {norm(d["url"]) for d in dev}


def ws(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


class Para(HTMLParser):
    """HTML to paragraphs: block elements end a paragraph, img is dropped."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras, self.cur = [], []

    def flush(self):
        t = ws("".join(self.cur))
        if t:
            self.paras.append(t)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        self.cur.append(data)


def html_text(s):
    p = Para()
    p.feed(s)
    p.close()
    p.flush()
    return "\n\n".join(p.paras)


rows = []


def add(**kw):
    if kw["url"] and norm(kw["url"]) in dev_urls:
        return
    rows.append(kw)


# 1. White House readouts (markdown with YAML front matter).
for f in sorted(glob.glob(FIX + "/whitehouse/readouts/*.md")):
    raw = open(f, encoding="utf-8").read()
    _, fm, body = raw.split("---", 2)
    meta = yaml.safe_load(fm)
    url = meta["source_url"]
    pub = meta["published_time"]
    date = (pub if isinstance(pub, datetime) else datetime.fromisoformat(str(pub))).isoformat()
    title = ws(meta["title"])
    body = body.replace("\\###", "").strip()
    paras = [ws(p) for p in re.split(r"\n\s*\n", body) if ws(p)]
    add(source="whitehouse.gov", url=url, lang="en", title=title, date=date,
        text="\n\n".join(paras), origin="whitehouse/readouts/" + f.split("/")[-1])

# 2. Russian page texts (flattened pages: strip page chrome and person tooltips).
MONTHS = {m: i + 1 for i, m in enumerate(
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())}
raw = open(FIX + "/kremlin/ru-page-text-samples.txt", encoding="utf-8").read()
for block in re.split(r"^### ", raw, flags=re.M)[1:]:
    head, page = block.split("\n", 1)
    url = head.split()[0]
    page = ws(page)
    m = re.match(r"События (.*?) (Состоялся .*?\.) (\d+) (\S+) (\d{4}) года (\d\d):(\d\d) (.*)$", page)
    title, lead, d, mon, y, hh, mm, body = m.groups()
    date = datetime(int(y), MONTHS[mon], int(d), int(hh), int(mm)).isoformat() + "+03:00"
    body = re.split(r" (?:Смотрите также|География) ", body)[0]
    # Person tooltips: "Нетаньяху Биньямин Премьер-министр Израиля" after the name.
    for tip in ["Нетаньяху Биньямин Премьер-министр Израиля ",
                "Пезешкиан Масуд Президент Исламской Республики Иран ",
                "Моди Нарендра Премьер-министр Индии "]:
        body = body.replace(tip, "")
    add(source="kremlin.ru", url=url, lang="ru", title=title, date=date,
        text=lead + "\n\n" + body, origin="kremlin/ru-page-text-samples.txt")

# 3. The 2017-01-28 news agency story (no headline, no URL, no time in the file).
seed = open(SHARED + "/seed-example.txt", encoding="utf-8").read()
add(source="unknown-news-agency", url="", lang="ru", title="", date="2017-01-28",
    text="\n\n".join(ws(p) for p in seed.split("\n") if ws(p)), origin="seed-example.txt")

# 4. en.kremlin.ru Atom feed entries not in the dev set. The feed marks Moscow
# wall-clock time as +04:00: date gets +03:00, date_raw keeps the original.
ns = {"a": "http://www.w3.org/2005/Atom"}
root = ET.parse(FIX + "/kremlin/en-events-all-feed-2018-01-07.atom.xml").getroot()
for e in root.findall("a:entry", ns):
    url = e.find("a:id", ns).text.strip()
    pub = e.find("a:published", ns).text.strip()
    add(source="en.kremlin.ru", url=url, lang="en", title=ws(e.find("a:title", ns).text),
        date=pub.replace("+04:00", "+03:00"), date_raw=pub,
        text=html_text(e.find("a:content", ns).text or ""),
        origin="kremlin/en-events-all-feed-2018-01-07.atom.xml")

# 5. White House RSS items (one statement per URL: the file with the body wins,
# the exact publication time comes from the scraper file that has one).
items = {}
for f in ["selenasun1618_whitehouse_briefings_2026-08-22.xml", "wh-briefings_scraper_rss_2026-08-21.xml"]:
    r = ET.parse(FIX + "/whitehouse/" + f).getroot()
    for it in r.iter("item"):
        d = {c.tag: (c.text or "").strip() for c in it}
        url = d["link"]
        text = "\n\n".join(ws(p) for p in re.split(r"\n\s*\n", d.get("description", "")) if ws(p))
        date = parsedate_to_datetime(d["pubDate"]).isoformat()
        cur = items.get(url)
        if cur is None:
            items[url] = dict(source="whitehouse.gov", url=url, lang="en", title=ws(d["title"]),
                              date=date, text=text, origin="whitehouse/" + f)
        else:
            if not cur["text"]:
                cur["text"] = text
            if "00:00:00+00:00" in cur["date"]:
                cur["date_raw"], cur["date"] = cur["date"], date
            cur["origin"] += ",whitehouse/" + f
for it in items.values():
    add(**it)

with open(OUT, "w", encoding="utf-8") as out:
    for i, r in enumerate(rows, 1):
        line = {"id": "hold-%04d" % i, "source": r["source"], "url": r["url"], "lang": r["lang"],
                "title": r["title"], "date": r["date"]}
        if r.get("date_raw"):
            line["date_raw"] = r["date_raw"]
        line.update(text=r["text"], origin=r["origin"])
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
print(len(rows), "statements")
