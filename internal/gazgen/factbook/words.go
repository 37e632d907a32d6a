package factbook

import (
	"regexp"
	"strings"
	"unicode"
)

// setOf builds a lookup set from space-separated words.
func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// titleWords are words of office titles and of the bodies they belong to
// ("President of the Swiss Confederation", "Chairman of the Presidency").
// A capitalised word in this set ends a name when read backwards from the
// surname, so the title is not taken for a given name.
var titleWords = setOf(`
	President Presidents President-elect President-Elect Vice Vice-President Prime Minister Ministers
	Minister-Designate Premier Premiers Chancellor King Queen Emperor Empress Sultan Emir Amir Crown
	Prince Princess Grand Duke Duchess Co Co-prince Co-Prince Co-Vice Co-chiefs Captain Captains
	Regent Regents Supreme Leader Chairman Chairwoman Chair Chairperson Chairpersons Chief Executive
	Governor Governors Governor-General General Lieutenant Lieutenant-Governor Administrator Superior
	Mayor High Commissioner Prefect Deputy First Second Third Acting Interim Transitional Transition
	Caretaker Provisional Temporary Head State Council Presidential Presidency Sovereign Commission
	Committee Assembly Government Confederation Republic Federal National Territorial Territory
	Island Islands Pope Holy Taoiseach Tanaiste Secretary Member Members Apparent Heir Counsellor
	Commander Commander-in-Chief Armed Forces Senior Speaker Lord Monarch Paramount Principal Cabinet
	Affairs Foreign Interior Defense Defence Finance Economy Justice Infrastructure Political
	Administration Leadership Military Bailiff Ruler Overall Taliban Sudanese Pontifical Governorate
	Vatican City Yuan People's Designate Elect Office Swiss Policy Resources Ulu Union Executive
	Minister-equivalent Assistant Ministry Council's Presidium Directorate Junta Salvation China`)

// titleLower are lower-case words allowed in a title ("co-chiefs of state
// Captain Regent", "transitional President", "deputy prime ministers").
var titleLower = setOf(`
	of the and for to in de du des la o y state co-chiefs overall acting interim transitional
	caretaker provisional temporary elect designate prime minister ministers president presidents
	vice deputy premier first second third chief chiefs head governor executive chairman chair
	chairperson leader`)

// acronyms are capitalised words that are never a surname.
var acronyms = setOf(`CEO CNSP SAC GNU TMC UK US USA UN EU RN PM NATO AU CPC CCP KMT VACANT TBD NA`)

// honorifics are dropped from names and titles ("Sir", "Sheikh", "Dr.").
var honorifics = setOf(`
	Sir Dame Dr. Dr Ms. Ms Mr. Mr Mrs. Mrs Sheikh Shaikh Shaykh Sheikha Ratu Archbishop Bishop
	Cardinal Mullah Hon. Tan Sri Datuk Dato' Tuanku Prof. Professor Lady Mgr. Msgr.`)

// ranks are military and similar ranks dropped from names and titles.
var ranks = setOf(`
	Gen. Gen General Col. Col Colonel Lt. Lt Lieutenant Maj. Maj Major Brig. Brigadier Capt. Capt
	Captain Sr. Adm. Admiral Marshal Vice-Marshal Air Cdr. Commodore Field Ret. ret. Ret retired`)

// rankAbbrev matches glued rank abbreviations ("Maj.Gen.", "Lt.Col.").
var rankAbbrev = regexp.MustCompile(`^(?:(?:Maj|Brig|Lt|Gen|Col|Capt|Cpt|Sr|Adm|Cdr)\.?)+$`)

// particles are lower-case name particles ("bin", "de", "al").
var particles = setOf(`
	al el bin bint ibn ibni de da do dos das del della der den van von e y i ould ben abu bou ter
	ten zu af di du le la st. of-the`)

// capsParticles are particles written in capitals inside a capitalised
// surname ("VAN DER BELLEN", "MUHAMMAD BIN ZAYID") that are lower-cased
// after the first word of the surname.
var capsParticles = setOf(`DE DA DO DOS DAS DEL DER DEN VAN VON BIN BINT IBN IBNI E Y DI DU AL EL`)

// suffixes may follow a surname ("BIDEN Jr.").
var suffixes = setOf(`Jr. Jr Sr. Sr`)

// romanNumeral matches regnal numbers (II, III, VI, XIV).
var romanNumeral = regexp.MustCompile(`^(?:X{0,3})(?:IX|IV|V?I{0,3})$`)

// initial matches initials ("R.", "W.T.", "A").
var initial = regexp.MustCompile(`^(?:\p{Lu}\.)+$|^\p{Lu}$`)

func isHonorific(w string) bool { return honorifics[w] }

func isRank(w string) bool {
	return ranks[w] || rankAbbrev.MatchString(w)
}

func isTitleWord(w string) bool {
	if titleWords[w] {
		return true
	}
	if i := strings.IndexByte(w, '-'); i > 0 && !isCapsWord(w) {
		return titleWords[w[:i]]
	}
	return false
}

func isRoman(w string) bool { return w != "" && romanNumeral.MatchString(w) }

func isNickname(w string) bool {
	return len(w) >= 2 && strings.HasPrefix(w, `"`) && strings.HasSuffix(w, `"`)
}

func isParticle(w string) bool { return particles[w] }

// letters returns the counts of upper- and lower-case letters of s.
func letters(s string) (upper, lower int) {
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
	}
	return upper, lower
}

// capsPart reports whether one hyphen-separated part of a word is written in
// capitals: two or more capital letters and no lower-case letter, or "Mc"
// followed by capitals ("McMAHON").
func capsPart(p string) bool {
	p = strings.Trim(p, ".'")
	if strings.HasPrefix(p, "Mc") {
		p = p[2:]
	}
	up, low := letters(p)
	return up >= 2 && low == 0
}

// isCapsWord reports whether w is written (at least in part) in capitals the
// Factbook way: "PELLEGRINI", "al-BURHAN", "SASSOU-Nguesso", "O'CONNOR".
func isCapsWord(w string) bool {
	w = strings.Trim(w, `"'.`)
	if w == "" {
		return false
	}
	for _, p := range strings.Split(w, "-") {
		if capsPart(p) {
			return true
		}
	}
	return false
}

// isGivenName reports whether w looks like a name word written in normal
// case: "Peter", "Jean-Michel", "Ma'ruf", "al-Ahmad", "'Ahoeitu".
func isGivenName(w string) bool {
	w = strings.TrimLeft(w, "'")
	if w == "" {
		return false
	}
	first := []rune(w)[0]
	up, low := letters(w)
	if unicode.IsUpper(first) {
		return low > 0
	}
	// "al-Ahmad", "el-Sisi", "bin-Zayid": a lower-case prefix and a name.
	if i := strings.IndexAny(w, "-'"); i > 0 && up > 0 {
		rest := []rune(w[i+1:])
		return len(rest) > 0 && unicode.IsUpper(rest[0])
	}
	return false
}

// isInitial reports whether w is an initial ("R.", "B.S.", "A").
func isInitial(w string) bool { return initial.MatchString(w) }

// isNameWord reports whether w may be part of a person's name: a capitalised
// surname, a given name, an initial, a particle, a regnal number, a suffix
// or a quoted nickname.
func isNameWord(w string) bool {
	return isCapsWord(w) || isGivenName(w) || isInitial(w) || isParticle(w) || isRoman(w) ||
		suffixes[w] || isNickname(w)
}

// hasDigit reports whether s contains a decimal digit.
func hasDigit(s string) bool {
	return strings.ContainsFunc(s, unicode.IsDigit)
}
