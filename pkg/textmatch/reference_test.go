package textmatch

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// referenceTokenize is the straightforward tokenizer (one string per word,
// unicode tables for every rune) that Tokenizer must agree with.
func referenceTokenize(s string) []Token {
	var dst []Token
	var buf []byte
	sent, start := 0, -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if parts := handleParts(s, start); start > 0 && s[start-1] == '@' && len(parts) > 1 {
			for _, p := range parts {
				dst = append(dst, Token{Start: p[0], End: p[1], Sent: sent, Text: strings.ToLower(s[p[0]:p[1]])})
			}
		} else {
			dst = append(dst, Token{Start: start, End: end, Sent: sent, Text: string(buf)})
		}
		start = -1
	}
	refFold := func(r rune) rune {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}
		r = unicode.ToLower(r)
		if f, ok := latinFold[r]; ok {
			return f
		}
		return r
	}
	for i, r := range s {
		if r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if start < 0 {
				start = i
				buf = buf[:0]
			}
			buf = utf8.AppendRune(buf, refFold(r))
			continue
		}
		flush(i)
		if r == '.' || r == '!' || r == '?' {
			next := i + 1
			if next >= len(s) || strings.ContainsRune(" \n\t\"\u00a0«“", firstRune(s[next:])) {
				if r != '.' || len(dst) == 0 || !refAbbrev(dst[len(dst)-1], s, i) {
					sent++
				}
			}
		} else if r == '\n' && i+1 < len(s) && s[i+1] == '\n' {
			sent++
		}
	}
	flush(len(s))
	return dst
}

func refAbbrev(t Token, s string, dot int) bool {
	if t.End != dot {
		return false
	}
	if utf8.RuneCountInString(t.Text) == 1 {
		r, _ := utf8.DecodeRuneInString(s[t.Start:])
		return unicode.IsUpper(r) || abbrev[t.Text]
	}
	return abbrev[t.Text]
}

var tokenizeSeeds = []string{
	"President Joseph R. Biden, Jr. spoke today with Erdoğan. Then Ёлка!",
	"Состоялся телефонный разговор Владимира Путина с Президентом США Дональдом Трампом. Обсуждалось урегулирование.",
	"Mr. Putin and Mr Modi exchanged New\nYear greetings.\n\nПрезидент ФРАНЦИИ в 10:30 г. Москвы; İstanbul ÀÉÎ Ⱥ ǅ ß.",
	"St. Petersburg? U.S. No. 5! \"Quoted.\" end.\u00a0next",
	"invalid \xff\xfe bytes\xc3 and a tail",
	"“I just called President @RTErdogan to offer my condolences,” @ZelenskyyUa @POTUS @narendramodi @Jürgen @Ab1Cd @",
	"АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя ЀЂЃЄЅІЇЈЉЊЋЌЍЎЏѐђѓєѕіїјљњћќѝўџѠѡҐґӀ МоскВА\xd0 \xd0\x41 \xd1",
	"",
}

func TestTokenizerMatchesReference(t *testing.T) {
	var z Tokenizer
	for _, s := range tokenizeSeeds {
		want := referenceTokenize(s)
		got, stop := z.Tokenize(s, 0, 0, nil)
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %+v\nwant %+v", s, got, want)
		}
		if stop != len(s) {
			t.Errorf("%q: stop = %d, want %d", s, stop, len(s))
		}
	}
}

func TestTokenizerResume(t *testing.T) {
	s := tokenizeSeeds[2] + " " + tokenizeSeeds[0]
	all := referenceTokenize(s)
	var z Tokenizer
	for _, n := range []int{1, 3, 7, len(all) - 1, len(all), len(all) + 5} {
		head, stop := z.Tokenize(s, 0, n, nil)
		if want := min(n, len(all)); len(head) != want || !reflect.DeepEqual(head, all[:want]) {
			t.Fatalf("max %d: got %d tokens %+v", n, len(head), head)
		}
		// The rest, appended after the head, gives the same words and offsets.
		rest, _ := z.Tokenize(s, stop, 0, head)
		if len(rest) != len(all) {
			t.Fatalf("max %d: %d tokens after resuming, want %d", n, len(rest), len(all))
		}
		for i := range all {
			if rest[i].Text != all[i].Text || rest[i].Start != all[i].Start || rest[i].End != all[i].End {
				t.Fatalf("max %d: token %d = %+v, want %+v", n, i, rest[i], all[i])
			}
		}
		// Earlier tokens keep their text when the tokenizer is reused.
		if !reflect.DeepEqual(head, all[:min(n, len(all))]) {
			t.Fatalf("max %d: head changed after reuse", n)
		}
	}
}

func TestEqualFold(t *testing.T) {
	words := []string{"Украинского", "украинского", "УКРАИНСКОГО", "украинской", "Ёлка", "елка", "Erdoğan", "erdogan", "erdogan ", ""}
	for _, a := range words {
		for _, b := range words {
			if got, want := EqualFold(a, b), Fold(a) == Fold(b); got != want {
				t.Errorf("EqualFold(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range tokenizeSeeds {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		want := referenceTokenize(s)
		var z Tokenizer
		got, stop := z.Tokenize(s, 0, 0, nil)
		if len(want) != len(got) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
		if stop != len(s) {
			t.Fatalf("stop = %d", stop)
		}
		if n <= 0 || n > len(want) {
			return
		}
		head, stop := z.Tokenize(s, 0, n, nil)
		rest, _ := z.Tokenize(s, stop, 0, nil)
		if len(head)+len(rest) != len(want) {
			t.Fatalf("split at %d: %d+%d tokens, want %d", n, len(head), len(rest), len(want))
		}
		for i, tk := range append(head, rest...) {
			if tk.Text != want[i].Text || tk.Start != want[i].Start || tk.End != want[i].End {
				t.Fatalf("split at %d: token %d = %+v, want %+v", n, i, tk, want[i])
			}
		}
		if EqualFold(s, strings.ToUpper(s)) != (Fold(s) == Fold(strings.ToUpper(s))) {
			t.Fatalf("EqualFold disagrees with Fold on %q", s)
		}
	})
}

func TestAppendAllFrom(t *testing.T) {
	var m Matcher[int]
	for i, p := range []string{"a b", "b", "b ca*", "c", "x y z"} {
		if err := m.Add(p, i); err != nil {
			t.Fatal(err)
		}
	}
	if m.MaxWords() != 3 || m.Len() != 5 {
		t.Fatalf("MaxWords = %d, Len = %d", m.MaxWords(), m.Len())
	}
	toks := Tokenize("a b cat b c x y z", nil)
	all := m.AppendAll(nil, toks, 0)
	var viaFn []Match[int]
	m.FindAll(toks, func(mt Match[int]) { viaFn = append(viaFn, mt) })
	if !reflect.DeepEqual(all, viaFn) {
		t.Fatalf("AppendAll %v != FindAll %v", all, viaFn)
	}
	want := []Match[int]{{0, 0, 2}, {1, 1, 2}, {2, 1, 3}, {1, 3, 4}, {3, 4, 5}, {4, 5, 8}}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("got %v, want %v", all, want)
	}
	if got := m.AppendAll(nil, toks, 4); !reflect.DeepEqual(got, want[4:]) {
		t.Fatalf("from 4: got %v, want %v", got, want[4:])
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
