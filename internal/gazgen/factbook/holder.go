package factbook

import (
	"strings"
	"unicode"
)

// parsed is a holder as read, with the date of a joint start.
type parsed struct {
	Holder
	joint string
}

// holderAt reads one holder starting at toks[pos]. strict requires the
// tokens before the name to be title words only (list continuations);
// first allows a holder followed by prose (see parseSegment).
func (p *parser) holderAt(toks []token, pos int, strict, first bool) (parsed, int, bool) {
	return p.holderAtDepth(toks, pos, strict, first, false)
}

// holderAtDepth is holderAt; probe is set when it only checks that a list
// continues, which then does not look further ahead (lists stay linear).
func (p *parser) holderAtDepth(toks []token, pos int, strict, first, probe bool) (parsed, int, bool) {
	start, end, ok := p.nameSpan(toks, pos, strict, first)
	if !ok {
		return parsed{}, 0, false
	}
	titleToks := trimTitle(toks[pos:start])
	if !p.validTitle(titleToks, strict) {
		return parsed{}, 0, false
	}
	h := parsed{Holder: Holder{Title: joinTokens(titleToks), Name: renderName(toks[start:end])}}
	if h.Name == "" {
		return parsed{}, 0, false
	}
	i := skipSuffixes(toks, end, &h)
	i = skipPlace(toks, i)
	i, own := readOwnParens(toks, i, &h)
	// What follows the name: nothing, a list, or prose.
	listNext := i < len(toks) && (toks[i].kind == tkComma || toks[i].isWord("and")) && (probe || p.continues(toks, i))
	if !own && !listNext && i < len(toks) && !proseTaken(toks, first, &h) {
		return parsed{}, 0, false
	}
	if !listNext && i < len(toks) {
		readProse(joinTokens(toks[i:]), &h)
		i = len(toks)
	}
	finishTitle(&h)
	return h, i, true
}

// nameSpan finds the holder's name from toks[pos]: a surname in capitals
// (or, failing that, an uncapitalised one; in a first statement, a bare
// name) and the words around it.
func (p *parser) nameSpan(toks []token, pos int, strict, first bool) (start, end int, ok bool) {
	s := p.findSurname(toks, pos)
	caps := s >= 0
	if !caps {
		s = p.findUncapitalised(toks, pos)
		if s < 0 && first && !strict {
			s = p.bareName(toks, pos)
		}
		if s < 0 {
			return 0, 0, false
		}
	}
	start, end = p.nameStart(toks, pos, s), s+1
	if caps {
		end = p.nameEnd(toks, s)
	}
	return start, end, true
}

// skipSuffixes reads ", Jr." after the surname (added to the name) and
// ", Dr." or ", Lt. Gen." before the dates.
func skipSuffixes(toks []token, i int, h *parsed) int {
	for i+1 < len(toks) && toks[i].kind == tkComma && toks[i+1].kind == tkWord &&
		(suffixes[toks[i+1].text] || isHonorific(toks[i+1].text) || isRank(toks[i+1].text)) {
		if suffixes[toks[i+1].text] {
			h.Name += " " + toks[i+1].text
		}
		i += 2
		for i < len(toks) && toks[i].kind == tkWord && isRank(toks[i].text) {
			i++
		}
	}
	return i
}

// skipPlace skips "of the Netherlands", "of Denmark" after a monarch's name.
func skipPlace(toks []token, i int) int {
	if i >= len(toks) || !toks[i].isWord("of") {
		return i
	}
	j := i + 1
	if j < len(toks) && toks[j].isWord("the") {
		j++
	}
	k := j
	for k < len(toks) && toks[k].kind == tkWord && unicode.IsUpper([]rune(toks[k].text)[0]) {
		k++
	}
	if k > j {
		return k
	}
	return i
}

// readOwnParens reads the holder's own parentheses: party, rank, dates.
func readOwnParens(toks []token, i int, h *parsed) (int, bool) {
	own := false
	for i < len(toks) && toks[i].kind == tkParen {
		own = true
		inner := toks[i].text
		if h.Since == "" {
			if d, ok := sinceDate(inner); ok {
				h.Since = d
				if jointSince.MatchString(inner) {
					h.joint = d
				}
			}
		}
		if actingParen.MatchString(inner) {
			h.Acting = true
		}
		if h.Title == "" && h.Since != "" {
			// "LEE Ju Ho (Acting President and Prime Minister since 2 May 2025 ...)"
			if k := strings.Index(strings.ToLower(inner), " since "); k > 0 && titleLike(inner[:k]) {
				h.Title = inner[:k]
			}
		}
		i++
	}
	return i, own
}

// proseTaken decides whether prose right after the name ("President Kais
// SAIED dismissed ...") is taken: only in the first statement or when the
// statement ends with the holder's dates ("Michel BARNIER is the caretaker
// Prime Minister ... (since 5 September 2024)"), which then date the holder.
func proseTaken(toks []token, first bool, h *parsed) bool {
	var endDate string
	if toks[len(toks)-1].kind == tkParen {
		endDate, _ = sinceDate(toks[len(toks)-1].text)
	}
	if !first && endDate == "" {
		return false
	}
	if h.Since == "" {
		h.Since = endDate
	}
	return true
}

// readProse takes the title and start date a sentence after the name gives
// ("... became Prime Minister on 5 May 2024").
func readProse(tail string, h *parsed) {
	if m := proseRole.FindStringSubmatch(tail); m != nil {
		verb := strings.ToLower(m[1])
		if h.Title == "" || verb == "became" || verb == "becomes" || strings.HasPrefix(verb, "appointed") {
			h.Title = m[2]
		}
		if m[3] != "" && (verb == "became" || verb == "becomes") {
			if d, _, ok := findDate(m[3]); ok {
				h.Since = d
			}
		}
	}
	if actingWord.MatchString(tail) {
		h.Acting = true
	}
}

// finishTitle trims the title and reads acting and deputy from it.
func finishTitle(h *parsed) {
	h.Title = strings.Trim(h.Title, " ,:-")
	if strings.HasPrefix(h.Title, "(") && strings.HasSuffix(h.Title, ")") && strings.Count(h.Title, "(") == 1 {
		h.Title = strings.TrimSpace(h.Title[1 : len(h.Title)-1]) // "(Ulu o Tokelau)"
	}
	if actingWord.MatchString(h.Title) {
		h.Acting = true
	}
	h.Deputy = isDeputyTitle(h.Title)
}
