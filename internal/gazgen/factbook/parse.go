package factbook

import (
	"regexp"
	"strings"
	"unicode"
)

// Holder is one person a "chief of state" or "head of government" text names.
type Holder struct {
	// Title is the office as the text writes it ("President", "Prime
	// Minister", "Caretaker Prime Minister", "Taoiseach (Prime Minister)"),
	// without military ranks and honorifics; empty when the text gives none.
	Title string
	// Name is the person's name in normal case: given names as written,
	// capitalised surnames in title case ("Peter Pellegrini", "Alexander
	// Van der Bellen", "Tamim bin Hamad Al Thani", "Charles III").
	Name string
	// Since is the start of the term the text gives: YYYY-MM-DD, YYYY-MM or
	// YYYY as precise as the text is; empty when it gives none.
	Since string
	// Acting is true for acting, interim and caretaker holders.
	Acting bool
	// Deputy is true for vice presidents, deputy prime ministers, heirs
	// apparent and the like, named alongside the holder.
	Deputy bool
	// Primary is true for the holder the text is about: the first
	// non-deputy it names and any other with the same title (co-princes,
	// captains regent). It is false for further people a text names
	// (Uganda's prime minister in the chief-of-state text, a bailiff).
	Primary bool
}

var (
	actingWord  = regexp.MustCompile(`(?i)\b(?:acting|interim|caretaker|provisional|temporary)\b`)
	actingParen = regexp.MustCompile(`(?i)\b(?:caretaker|acting capacity|acting as)\b|^(?:acting|interim)$`)
	jointSince  = regexp.MustCompile(`(?i)\b(?:both|all)\s+since\b`)
	leadingAnd  = regexp.MustCompile(`(?i)^and\s+`)
	// proseRole matches a tail such as "became Acting President on 14
	// December 2024" or "is the caretaker Prime Minister".
	proseRole = regexp.MustCompile(`(?i)^(?:-\s*)?(became|becomes|appointed(?: as)?|serving as|serves as|is the|is)\s+` +
		`(?:an?\s+|the\s+)?((?:(?:acting|interim|caretaker)\s+)?` +
		`(?:prime minister|president|premier|chancellor|minister of state|chief executive|taoiseach))\b` +
		`(?:\s+on\s+(\d{1,2}\s+\p{L}+\.?\s+\d{4}))?`)
)

// ParseHolders returns the people one "chief of state" or "head of
// government" text names, in order. Remarks ("note - ..."), representatives
// ("represented by Governor-General ...") and vacancies are skipped.
//
// context lists names of places the text may use in titles ("French
// Polynesia" in "President of French Polynesia Moetai BROTHERSON"): their
// words are treated as title words, not given names.
func ParseHolders(text string, context ...string) []Holder {
	p := parser{extra: map[string]bool{}}
	for _, c := range context {
		for _, w := range strings.Fields(c) {
			if w = strings.Trim(w, ",.()"); w != "" && unicode.IsUpper([]rune(w)[0]) {
				p.extra[w] = true
			}
		}
	}
	return p.parse(text)
}

type parser struct {
	extra map[string]bool
}

func (p *parser) isTitle(w string) bool { return isTitleWord(w) || p.extra[w] }

func (p *parser) parse(text string) []Holder {
	segs := splitSegments(cutNotes(cleanText(text)))
	var hs []Holder
	represented := false
	firstTitle := ""
	for i, seg := range segs {
		if represented {
			// After "represented by ...", only a further principal ("; and
			// Co-prince ...", Andorra) is read; the rest names representatives.
			rest := leadingAnd.ReplaceAllString(seg, "")
			if firstTitle == "" || !strings.HasPrefix(rest, firstWord(firstTitle)) {
				continue
			}
		}
		if loc := representedBy.FindStringIndex(seg); loc != nil {
			seg = strings.TrimSpace(seg[:loc[0]])
			represented = true
		}
		seg = leadingAnd.ReplaceAllString(seg, "")
		toks := tokenize(seg)
		got, joint := p.parseSegment(toks, i == 0)
		if len(got) == 0 {
			p.annotatePrevious(hs, toks)
			continue
		}
		if joint != "" {
			for j := range hs {
				if hs[j].Since == "" {
					hs[j].Since = joint
				}
			}
		}
		if firstTitle == "" {
			firstTitle = got[0].Title
		}
		hs = append(hs, got...)
	}
	markPrimary(hs)
	return hs
}

// annotatePrevious applies a segment that names nobody to the holder before
// it: "; also referred to as premier (since 10 June 2020)" gives a missing
// date, "; resigned ... but will remain in caretaker status" marks acting.
func (p *parser) annotatePrevious(hs []Holder, toks []token) {
	if len(hs) == 0 {
		return
	}
	last := &hs[len(hs)-1]
	altSpelling := len(toks) > 0 && toks[0].isWord("also")
	for _, t := range toks {
		if !altSpelling && t.kind == tkWord && isCapsWord(t.text) && !acronyms[strings.Trim(t.text, ".,")] {
			return // names someone else
		}
	}
	if last.Since == "" {
		for _, t := range toks {
			if t.kind != tkParen {
				continue
			}
			if d, ok := sinceDate(t.text); ok {
				last.Since = d
				break
			}
		}
	}
	if actingWord.MatchString(joinTokens(toks)) {
		last.Acting = true
	}
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// parseSegment reads the holders of one ";"-separated statement: a holder
// and any list continuing it ("Deputy Prime Ministers A, B, and C (all since
// ...)"). first is true for the text's first statement, where a holder
// followed by prose is still taken. joint is the date of an "(all since
// ...)" / "(both since ...)" parenthesis.
func (p *parser) parseSegment(toks []token, first bool) (hs []Holder, joint string) {
	h, next, ok := p.holderAt(toks, 0, false, first)
	if !ok {
		return nil, ""
	}
	hs = append(hs, h.Holder)
	joint = h.joint
	inherited := h.Title
	for {
		pos := next
		// A list continues after "," or "and" (or ", and").
		if pos < len(toks) && toks[pos].kind == tkComma {
			pos++
		}
		if pos < len(toks) && toks[pos].isWord("and") {
			pos++
		}
		if pos == next || pos >= len(toks) {
			break
		}
		h, n, ok := p.holderAt(toks, pos, true, false)
		if !ok {
			break
		}
		if h.Title == "" {
			h.Title = inherited
			h.Deputy = isDeputyTitle(h.Title)
			h.Acting = h.Acting || actingWord.MatchString(h.Title)
		}
		inherited = h.Title
		hs = append(hs, h.Holder)
		if h.joint != "" {
			joint = h.joint
		}
		next = n
	}
	// A date written once after a list is the date of the whole list
	// ("Captains Regent A and B (for the period 1 April 2025 - ...)").
	for i := len(hs) - 2; i >= 0; i-- {
		if hs[i].Since == "" {
			hs[i].Since = hs[i+1].Since
		}
	}
	if joint != "" {
		for i := range hs {
			if hs[i].Since == "" {
				hs[i].Since = joint
			}
		}
	}
	return hs, joint
}

// continues reports whether a further holder of a list starts after the
// "," or "and" at toks[i].
func (p *parser) continues(toks []token, i int) bool {
	if toks[i].kind == tkComma {
		i++
	}
	if i < len(toks) && toks[i].isWord("and") {
		i++
	}
	if i >= len(toks) {
		return false
	}
	_, _, ok := p.holderAtDepth(toks, i, true, false, true)
	return ok
}

// titleLike reports whether s reads as a title: capitalised words and
// connectors only ("Acting President and Prime Minister").
func titleLike(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if !isTitleWord(w) && !titleLower[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// findSurname returns the index of the first capitalised surname word at or
// after pos, or -1. Acronyms ("CNSP Prime Minister", "SAC Chair") and
// "VACANT" are skipped.
func (p *parser) findSurname(toks []token, pos int) int {
	for i := pos; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tkWord || !isCapsWord(t.text) || isNickname(t.text) {
			continue
		}
		bare := strings.Trim(t.text, ".,'")
		if acronyms[bare] {
			continue
		}
		// A short capitalised word right before a title word, and not
		// after one, is an acronym of a body ("GNU Interim Prime Minister").
		if len(bare) <= 5 && i+1 < len(toks) && toks[i+1].kind == tkWord && p.isTitle(toks[i+1].text) &&
			(i == pos || toks[i-1].kind != tkWord || !(p.isTitle(toks[i-1].text) || isHonorific(toks[i-1].text))) {
			continue
		}
		if isRoman(bare) && i > pos && toks[i-1].kind == tkWord && isCapsWord(toks[i-1].text) {
			continue // "Prince HANS-ADAM II": the number, not a surname
		}
		return i
	}
	return -1
}

// findUncapitalised handles names without a capitalised surname ("Governor
// Nigel Phillips (since 13 August 2022)"): the last name word before the
// first parenthesis with a start date, or -1.
func (p *parser) findUncapitalised(toks []token, pos int) int {
	for i := pos; i < len(toks); i++ {
		if toks[i].kind != tkParen {
			continue
		}
		if _, ok := sinceDate(toks[i].text); !ok {
			return -1
		}
		j := i - 1
		if j < pos || toks[j].kind != tkWord || !isGivenName(toks[j].text) || p.isTitle(toks[j].text) {
			return -1
		}
		// At least two name words: "Prime Minister (since ...)" names nobody.
		if j-1 < pos || toks[j-1].kind != tkWord || !isGivenName(toks[j-1].text) || p.isTitle(toks[j-1].text) ||
			isHonorific(toks[j-1].text) {
			return -1
		}
		return j
	}
	return -1
}

// bareName handles a first statement that is only a name in normal case
// ("Ahmad al-Shara'"): two or more name words, no title word; it returns
// the index of the last word or -1.
func (p *parser) bareName(toks []token, pos int) int {
	if len(toks)-pos < 2 {
		return -1
	}
	for _, t := range toks[pos:] {
		if t.kind != tkWord || p.isTitle(t.text) || isHonorific(t.text) || isRank(t.text) ||
			!(isGivenName(t.text) || isParticle(t.text)) {
			return -1
		}
	}
	if !isGivenName(toks[pos].text) {
		return -1
	}
	return len(toks) - 1
}

// nameStart walks back from the surname at s over given names, initials,
// particles and nicknames; it stops at a title word, rank, honorific or
// anything else.
func (p *parser) nameStart(toks []token, pos, s int) int {
	start := s
	for i := s - 1; i >= pos; i-- {
		t := toks[i]
		if t.kind == tkParen {
			// "Samantha (Sam) MOSTYN": a one-word nickname inside a name.
			if i-1 >= pos && !strings.Contains(t.text, " ") && !hasDigit(t.text) && t.text != "" &&
				toks[i-1].kind == tkWord && isGivenName(toks[i-1].text) && !p.isTitle(toks[i-1].text) {
				continue
			}
			break
		}
		if t.kind != tkWord {
			break
		}
		w := t.text
		if p.isTitle(w) || isRank(w) || isHonorific(w) {
			break
		}
		if !(isGivenName(w) || isInitial(w) || isParticle(w) || isNickname(w)) {
			break
		}
		start = i
	}
	// A name does not start with a particle or nickname left over from a
	// title ("of", "the" are not particles; "de" can be).
	for start < s && toks[start].kind == tkWord && isNickname(toks[start].text) {
		start++
	}
	return start
}

// nameEnd walks forward from the surname at s and returns the index after
// the name.
func (p *parser) nameEnd(toks []token, s int) int {
	end := s + 1
	for i := s + 1; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tkParen {
			// "SONEXAY (also spelled SONXAI) Siphandon": skip the aside.
			if strings.HasPrefix(strings.ToLower(t.text), "also") && i+1 < len(toks) &&
				toks[i+1].kind == tkWord && isNameWord(toks[i+1].text) {
				continue
			}
			break
		}
		if t.kind != tkWord || !isNameWord(t.text) {
			break
		}
		if acronyms[strings.Trim(t.text, ".,")] {
			break
		}
		if p.isTitle(t.text) && !isCapsWord(t.text) {
			// A title word inside a name ("Sultan Iskandar") only when a
			// name word follows it.
			if i+1 >= len(toks) || toks[i+1].kind != tkWord || !isNameWord(toks[i+1].text) {
				break
			}
		}
		end = i + 1
	}
	// Trailing particles belong to what follows.
	for end > s+1 && toks[end-1].kind == tkWord && isParticle(toks[end-1].text) {
		end--
	}
	return end
}

// trimTitle drops ranks, honorifics and "(Ret.)" from the end of a title
// ("President Brig. Gen. (Ret.)" -> "President") and commas around it.
func trimTitle(toks []token) []token {
	for len(toks) > 0 {
		t := toks[len(toks)-1]
		n := len(toks)
		switch {
		case t.kind == tkComma || t.kind == tkPunct:
		case t.kind == tkWord && (t.text == "is" || t.text == "are"):
		case t.kind == tkParen && isRetired(t.text):
		case t.kind == tkWord && (isHonorific(t.text) || isRankAt(toks, n-1)):
		default:
			n = -1
		}
		if n < 0 {
			break
		}
		toks = toks[:n-1]
	}
	for len(toks) > 0 && (toks[0].kind == tkComma || toks[0].kind == tkPunct) {
		toks = toks[1:]
	}
	return toks
}

// isRetired reports whether a parenthesis says "retired" ("(Ret.)").
func isRetired(s string) bool {
	s = strings.ToLower(strings.Trim(s, ". "))
	return s == "ret" || s == "retired"
}

// isRankAt reports whether toks[i] is a rank in its place: "General" ends
// "Governor General" as part of the title, not as a rank, and "Captain"
// starts "Captain Regent".
func isRankAt(toks []token, i int) bool {
	w := toks[i].text
	if !isRank(w) {
		return false
	}
	if w == "General" && i > 0 && toks[i-1].kind == tkWord {
		switch toks[i-1].text {
		case "Governor", "Secretary", "Attorney", "Inspector", "Director":
			return false
		}
	}
	return true
}

// validTitle reports whether the tokens before a name read as a title, not
// as prose ("on 13 November 2022, President HERZOG tasked ..."). strict
// allows title words only.
func (p *parser) validTitle(toks []token, strict bool) bool {
	for _, t := range toks {
		switch t.kind {
		case tkParen:
			if strict {
				return false
			}
			continue
		case tkComma, tkPunct:
			if strict {
				return false
			}
			continue
		}
		w := strings.Trim(t.text, ".,'")
		if w == "" || hasDigit(w) {
			return false
		}
		if p.isTitle(t.text) || isRank(t.text) || isHonorific(t.text) || acronyms[w] {
			continue
		}
		if titleLower[strings.ToLower(w)] && (unicode.IsLower([]rune(w)[0]) || strict) {
			continue
		}
		if !strict && unicode.IsUpper([]rune(w)[0]) {
			continue // a body's name ("Supreme People's Assembly President")
		}
		return false
	}
	return true
}

// renderName turns name tokens into the name in normal case.
func renderName(toks []token) string {
	var out []string
	prevCaps := false
	for i, t := range toks {
		if t.kind != tkWord || isNickname(t.text) {
			continue
		}
		w := t.text
		switch {
		case i > 0 && isRoman(w) && len(out) > 0:
			prevCaps = false
		case capsParticles[w] && prevCaps:
			w = strings.ToLower(w)
		case isCapsWord(w) && !isInitial(w):
			w = normalCase(w)
			prevCaps = true
		default:
			prevCaps = false
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// NormalizeName converts the capitalised parts of a Factbook name to title
// case and keeps the rest as written: "Peter PELLEGRINI" -> "Peter
// Pellegrini", "Alexander VAN DER BELLEN" -> "Alexander Van der Bellen",
// "MOHAMMED bin Salman" -> "Mohammed bin Salman", "CHARLES III" ->
// "Charles III". Quoted nicknames are dropped.
func NormalizeName(s string) string {
	return renderName(tokenize(cleanText(s)))
}

// normalCase title-cases the capitalised hyphen parts of w: "SASSOU-Nguesso"
// -> "Sassou-Nguesso", "al-BURHAN" -> "al-Burhan", "O'CONNOR" -> "O'Connor",
// "MULI'AKA'AKA" -> "Muli'aka'aka", "McMAHON" -> "McMahon".
func normalCase(w string) string {
	parts := strings.Split(w, "-")
	for i, part := range parts {
		if !capsPart(part) {
			continue
		}
		subs := strings.Split(part, "'")
		for j, sub := range subs {
			switch {
			case j == 0 || len([]rune(subs[j-1])) == 1:
				subs[j] = titleCase(sub)
			default:
				subs[j] = strings.ToLower(sub)
			}
		}
		parts[i] = strings.Join(subs, "'")
	}
	return strings.Join(parts, "-")
}

// titleCase upper-cases the first letter of s and lower-cases the rest;
// "MCMAHON" and "McMAHON" become "McMahon".
func titleCase(s string) string {
	rs := []rune(strings.ToLower(s))
	if len(rs) == 0 {
		return s
	}
	rs[0] = unicode.ToUpper(rs[0])
	if len(rs) > 3 && rs[0] == 'M' && rs[1] == 'c' {
		rs[2] = unicode.ToUpper(rs[2])
	}
	return string(rs)
}

// roleWords are the nouns of titles; the words before the first of them
// tell whether the title is a deputy's ("Vice President", "First Deputy
// Prime Minister") or not ("Prime Minister and Co-Vice President").
var roleWords = setOf(`president presidents premier premiers minister ministers governor chancellor
	chairman chairperson chairpersons chair leader prince princess king queen emperor sultan amir
	emir regent regents ceo`)

var deputyWords = setOf(`vice deputy lieutenant assistant heir`)

// isDeputyTitle reports whether a title is a deputy's or an heir's.
func isDeputyTitle(title string) bool {
	t := strings.ToLower(title)
	if strings.Contains(t, "heir apparent") {
		return true
	}
	words := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '-' || r == ',' || r == '(' || r == ')' })
	for i, w := range words {
		if !roleWords[w] {
			continue
		}
		if w == "prince" && i > 0 && words[i-1] == "crown" &&
			!strings.Contains(t, "prime minister") && !strings.Contains(t, "president") && !strings.Contains(t, "king") {
			return true
		}
		for _, before := range words[:i] {
			if deputyWords[before] {
				return true
			}
		}
		return false
	}
	return false
}

// markPrimary sets Primary on the first non-deputy holder and on others
// with the same title.
func markPrimary(hs []Holder) {
	first := -1
	for i := range hs {
		if hs[i].Deputy {
			continue
		}
		if first < 0 {
			first = i
			hs[i].Primary = true
			continue
		}
		a, b := baseTitle(hs[i].Title), baseTitle(hs[first].Title)
		if a != "" && b != "" && (a == b || strings.HasSuffix(a, " "+b) || strings.HasSuffix(b, " "+a)) {
			hs[i].Primary = true
		}
	}
}

// baseTitle folds a title for comparison: lower case, qualifiers dropped,
// plurals ("Captains Regent") singular.
func baseTitle(t string) string {
	t = strings.ToLower(actingWord.ReplaceAllString(t, ""))
	t = strings.ReplaceAll(t, "captains", "captain")
	return strings.Join(strings.Fields(t), " ")
}
