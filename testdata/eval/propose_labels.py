#!/usr/bin/env python3
"""Propose labels for statements-dev.jsonl from the heuristic `kind`, the title
and the gazetteer names; the proposals were then reviewed by hand (see README.md
and corrections.json, which overrides fields per statement id)."""
import json, re, sys, datetime, os
try:
    from zoneinfo import ZoneInfo
except ImportError:
    ZoneInfo = None

HERE = os.path.dirname(os.path.abspath(__file__))
CALL_KINDS = {"phone_call", "phone_call_multi", "aide_briefing_on_call", "background_press_call_on_call", "press_secretary_statement_on_call"}
NON_LEADER = re.compile(r"\b(Governor|Governors|Senator|Speaker|Leader Schumer|FEMA|Caucus|Congressional|NGA|Energy Sector|Koblenev|Trotsenko|Nazarbayev)\b")
# English / Russian name patterns per verified Wikidata id (subset of the gazetteer).
NAMES = {
    "Q7747": r"Putin|Путин", "Q22686": r"Trump|Трамп", "Q6279": r"Biden|Байден", "Q76": r"Obama|Обам",
    "Q567": r"Merkel|Меркель", "Q61053": r"Scholz|Шольц", "Q3052772": r"Macron|Макрон", "Q3881580": r"Zelensk|Зеленск",
    "Q1058": r"Modi\b|Моди\b", "Q39259": r"Erdo[gğ]an|Эрдоган", "Q15031": r"Xi Jinping|President Xi|Си Цзиньпин",
    "Q43723": r"Netanyahu|Нетаньяху", "Q180589": r"Boris Johnson|Prime Minister Johnson|Джонсон", "Q3099714": r"Trudeau|Трюдо",
    "Q7035479": r"Pashinyan|Пашинян", "Q37181": r"Lula|Лул[аойе]", "Q60772": r"von der Leyen|фон дер Ляйен", "Q450675": r"Pope Francis|Франциск",
    "Q10304982": r"Bolsonaro|Болсонару", "Q132345": r"Shinzo Abe|Абэ", "Q264766": r"Theresa May", "Q192": r"Cameron",
}
TZ = {"kremlin.ru": "Europe/Moscow", "en.kremlin.ru": "Europe/Moscow", "whitehouse.gov": "America/New_York"}

def local_date(s):
    if len(s["date"]) == 10:
        return s["date"]
    t = datetime.datetime.fromisoformat(s["date"].replace("Z", "+00:00"))
    if ZoneInfo:
        t = t.astimezone(ZoneInfo(TZ[s["source"]]))
    return t.date().isoformat()

def own(s, day):
    if s["source"] == "whitehouse.gov":
        return "Q22686" if day < "2021-01-20" or day >= "2025-01-20" else "Q6279"
    return "Q7747"

def main():
    rows = [json.loads(l) for l in open(os.path.join(HERE, "statements-dev.jsonl"))]
    extra = os.path.join(HERE, "extra.jsonl")
    if os.path.exists(extra):
        rows += [json.loads(l) for l in open(extra)]
    corr = json.load(open(os.path.join(HERE, "corrections.json")))
    topics = json.load(open(os.path.join(HERE, "topics-proposed.json")))
    pairs = [json.loads(l) for l in open(os.path.join(HERE, "cross-source-pairs.jsonl"))]
    cluster = {}
    for p in pairs:
        c = cluster.get(p["id_a"]) or cluster.get(p["id_b"]) or "pair-" + p["id_b"]
        cluster[p["id_a"]] = cluster[p["id_b"]] = c
    out = []
    for s in rows:
        day = local_date(s)
        kind = s.get("kind", "")
        head = s["title"] + " " + (s.get("title_counterpart_silver") or "") + " " + s["text"][:300]
        is_call = kind in CALL_KINDS and not NON_LEADER.search(s["title"])
        lab = {"id": s["id"], "is_call": is_call, "status": "held" if is_call else ("announced" if kind == "announcement_of_call" else ""),
               "participants": [], "date": day if is_call else "", "topics": [], "cluster": cluster.get(s["id"], "c-" + s["id"]) if is_call else ""}
        if is_call:
            ps = {own(s, day)}
            for q, pat in NAMES.items():
                if re.search(pat, head):
                    ps.add(q)
            lab["participants"] = sorted(ps)
        if lab["is_call"]:
            lab["topics"] = sorted(topics.get(s["id"], []))
        c = corr.get(s["id"], {})
        lab.update({k: v for k, v in c.items() if k != "topics_from_taxonomy"})
        out.append(lab)
    json.dump(out, sys.stdout) if "--json" in sys.argv else None
    with open(os.path.join(HERE, "labels.jsonl"), "w") as f:
        for lab in out:
            f.write(json.dumps(lab, ensure_ascii=False) + "\n")

main()
