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
    "Q567": r"Merkel|Меркель", "Q61053": r"Scholz|Шольц", "Q3052772": r"Macron|Макрон", "Q3874799": r"Zelensk|Зеленск",
    "Q1058": r"Modi\b|Моди\b", "Q39259": r"Erdo[gğ]an|Эрдоган", "Q15031": r"Xi Jinping|President Xi|Си Цзиньпин",
    "Q43723": r"Netanyahu|Нетаньяху", "Q180589": r"Boris Johnson|Prime Minister Johnson|Джонсон", "Q3099714": r"Trudeau|Трюдо",
    "Q7035479": r"Pashinyan|Пашинян", "Q37181": r"Lula|Лул[аойе]", "Q60772": r"von der Leyen|фон дер Ляйен", "Q450675": r"Pope Francis|Франциск",
    "Q10304982": r"Bolsonaro|Болсонару", "Q132345": r"Shinzo Abe|Абэ", "Q264766": r"Theresa May", "Q192": r"Cameron",
    # added with the gazetteer extension (ids verified, see pkg/gazetteer/README.md)
    "Q2866": r"Lukashenk|Лукашенко", "Q200881": r"Tokayev|Токаев", "Q57371": r"Aliyev|Алиев", "Q57808": r"Mirziyoyev|Мирзи[её]ев",
    "Q57366": r"Rahmon|Рахмон", "Q25597826": r"Sadyr Japarov|Садыр\w* Жапаров", "Q57530": r"Gurbanguly|Гурбангулы",
    "Q51874548": r"Serdar Berdimuhamedo|Сердар\w* Бердымухамедов", "Q222031": r"Vu[cč]i[cć]|Вучич", "Q1148669": r"Ramaphosa|Рамафос",
    "Q307871": r"Sisi|Сиси", "Q39318": r"Bennett|Беннет", "Q983258": r"Isaac Herzog|Ицхак\w* Герцог", "Q294460": r"Draghi|Драги",
    "Q127998": r"Mahmoud Abbas|Махмуд\w* Аббас", "Q6892571": r"Mohammed bin Salman|Мухаммед\w* [Бб]ен Сальман",
    "Q367825": r"King Salman|Salman bin Abdulaziz", "Q1951896": r"Moham+ed [Bb]in Zayed|Мухаммед\w* Аль Нахайян",
    "Q1855372": r"Tamim bin Hamad|Тамим\w* [Бб]ен Хамад", "Q57352": r"Hamad bin Isa", "Q57464": r"Abdullah II",
    "Q85317569": r"Kadhimi", "Q359480": r"Kishida|Кисид", "Q21001": r"Moon Jae-in", "Q7436908": r"Scott Morrison",
    "Q155164": r"Imran Khan", "Q552751": r"Mitsotakis", "Q17478000": r"Ivan Duque|Iván Duque", "Q467948": r"Gahr St[oø]re",
    "Q57402": r"Daniel Ortega", "Q1932603": r"D[ií]az-Canel", "Q57758": r"Touad[eé]ra", "Q28650390": r"Louren[cç]o",
    "Q2821166": r"Tebboune", "Q7934206": r"Шараа|al-Sharaa", "Q196070": r"Kenyatta", "Q6070218": r"Pedro S[aá]nchez",
    "Q58132": r"Maduro", "Q318508": r"L[oó]pez Obrador", "Q311440": r"Guterres", "Q4298520": r"Mishustin|Мишустин",
    "Q57641": r"Orb[aá]n|Орбан",
    # added with the 2026-12 verification (pkg/gazetteer/README.md "Verification"); Bibilov (Q3545676,
    # South Ossetia) is labelled although the gazetteer cannot list him (no ISO country code)
    "Q29207": r"Niinist|Ниинист", "Q950958": r"Charles Michel|Шарл\w* Мишел", "Q610788": r"Ant[oó]nio Costa|Антониу Кошт",
    "Q5947347": r"Raisi|Раиси", "Q348144": r"Rouhani|Роухани", "Q561213": r"Bettel|Беттел", "Q122465": r"Yoshihide Suga|Prime Minister Suga|Суга",
    "Q172388": r"Ashraf Ghani|President Ghani|Ашраф\w* Гани", "Q42860944": r"Nehammer|Нехаммер", "Q2262885": r"Sebastian Kurz|Себастьян\w* Курц",
    "Q3318231": r"Widodo|Jokowi|Видодо", "Q57438": r"Macky Sall|Макки Салл", "Q44329": r"Assad|Асад\b", "Q2642828": r"Alberto Fern[aá]ndez|Альберто Фернандес",
    "Q57792": r"Rutte|Рютте", "Q3606816": r"Ardern|Ардерн", "Q16297876": r"Boric|Борич", "Q306": r"Pi[nñ]era|Пиньер",
    "Q272201": r"Liz Truss|Elizabeth Truss|Лиз Трасс", "Q20055561": r"Sunak|Сунак", "Q6383803": r"Starmer|Стармер",
    "Q53844829": r"Giuseppe Conte|Джузеппе Конте", "Q27043179": r"Golovchenko|Головченко", "Q56235580": r"Turchin|Turchyn|Турчин\b",
    "Q157": r"Hollande|Олланд", "Q329": r"Sarkozy|Саркози", "Q641805": r"Nawaf|Наваф", "Q2134696": r"Giammattei|Джамматтеи",
    "Q3545676": r"Bibilov|Бибилов", "Q1253": r"Ban Ki-moon|Пан Ги Мун", "Q1254": r"Kofi Annan|Кофи Аннан", "Q12983": r"Van Rompuy|ван Ромпе",
    "Q476596": r"De Croo|де Кроо", "Q455854": r"Rivlin|Ривлин", "Q291644": r"Solberg|Сульберг|Сольберг", "Q9151911": r"Andrzej Duda|President Duda|Андже\w* Дуд",
    "Q11771436": r"Morawiecki|Моравецк", "Q348043": r"Levits|Левитс", "Q12366816": r"Kaljulaid|Кальюлайд", "Q11869065": r"Kaja Kallas|Кая Каллас",
    "Q16986436": r"Sanna Marin|Санн\w* Марин", "Q272416": r"Zourabichvili|Zurabishvili|Зурабишвили", "Q18111": r"Li Keqiang|Ли Кэцян",
    "Q29032": r"Zeman|Земан", "Q2740012": r"L[oö]fven|Лёвен|Левен\b", "Q701484": r"Iohannis|Йоханнис", "Q26273268": r"[CČ]aputov|Чапутов",
    "Q5771800": r"Sheinbaum|Шейнбаум",
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
    # Topics as read by a labeller, one line per call (topics-read.jsonl; README.md).
    topics = {}
    for line in open(os.path.join(HERE, "topics-read.jsonl")):
        t = json.loads(line)
        topics[t["id"]] = t["topics"]
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
