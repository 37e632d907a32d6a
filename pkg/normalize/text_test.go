package normalize_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/readout/readout/pkg/normalize"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only spaces", " \t\n\u00a0\u2003\n ", ""},
		{"trim and collapse", "  a   b\t\tc  ", "a b c"},
		{"russian quotes", "лидеры «продемонстрировали настрой»", `лидеры "продемонстрировали настрой"`},
		{"german quotes", "„Frieden“ und ‚Recht‘", `"Frieden" und 'Recht'`},
		{"english curly", "“I sincerely wish you” – Christ’s", `"I sincerely wish you" - Christ's`},
		{"dashes", "1968 – 1991, 1994–1996 — end ― bar − minus ‐ hy‑phen", "1968 - 1991, 1994-1996 - end - bar - minus - hy-phen"},
		{"ellipsis", "и т.д…", "и т.д..."},
		{"nbsp and odd spaces", "6\u00a0мая\u202f2025\u2009года\u3000x", "6 мая 2025 года x"},
		{"soft hyphen and zero width", "Нетань\u00adяху\u200b Би\u200dньямин\ufeff", "Нетаньяху Биньямин"},
		{"bidi controls", "\u202aSyria\u202c \u200fok", "Syria ok"},
		{"control chars", "a\x00b\x07c\u0085d", "abc d"},
		{"invalid utf8", "ok\xff\xfe end", "ok\ufffd end"},
		{"nfc", "Niinisto\u0308 cafe\u0301 й", "Niinistö café й"},
		{"crlf paragraphs", "one\r\ntwo\r\n\r\nthree", "one two\n\nthree"},
		{"blank line with spaces", "first para\n   \t\nsecond para", "first para\n\nsecond para"},
		{"many blank lines", "a\n\n\n\n\nb", "a\n\nb"},
		{"unicode paragraph separator", "a\u2029b\u2028c", "a\n\nb c"},
		{"hard wrapped block joined", "President Joseph R. Biden, Jr. spoke today with President Vladimir Putin\nof Russia. They discussed both countries’ willingness to extend New\nSTART for five years. They agreed to explore. Biden made it clear.\nThe two presidents agreed.",
			"President Joseph R. Biden, Jr. spoke today with President Vladimir Putin of Russia. They discussed both countries' willingness to extend New START for five years. They agreed to explore. Biden made it clear. The two presidents agreed."},
		{"one paragraph per line", "Согласно сообщению на сайте Кремля, лидеры \"продемонстрировали настрой на активную совместную работу\".\nОсновной темой беседы стала борьба с международным терроризмом. Президенты высказались за налаживание координации.",
			"Согласно сообщению на сайте Кремля, лидеры \"продемонстрировали настрой на активную совместную работу\".\n\nОсновной темой беседы стала борьба с международным терроризмом. Президенты высказались за налаживание координации."},
		{"wrapped line without sentence end", "Vladimir Putin had a telephone conversation with Prime Minister of India Narendra Modi at the Indian\nside’s initiative.\n Mr Putin and Mr Modi exchanged New\nYear greetings.",
			"Vladimir Putin had a telephone conversation with Prime Minister of India Narendra Modi at the Indian side's initiative.\n\nMr Putin and Mr Modi exchanged New Year greetings."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize.Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := normalize.Text(got); again != got {
				t.Errorf("Text not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// Every statements-dev text cleans to valid, trimmed, idempotent text with
// no typographic quotes or odd spaces left, and no words lost.
func TestTextOnStatementsDev(t *testing.T) {
	for _, s := range devStatements(t) {
		got := normalize.Text(s.Text)
		if !utf8.ValidString(got) || got != strings.TrimSpace(got) {
			t.Fatalf("%s: invalid or untrimmed output", s.ID)
		}
		if strings.ContainsAny(got, "«»“”„’\u00a0\u00ad\r\t") || strings.Contains(got, "\n\n\n") || strings.Contains(got, "  ") {
			t.Errorf("%s: uncleaned characters left: %q", s.ID, got[:min(len(got), 200)])
		}
		if normalize.Text(got) != got {
			t.Errorf("%s: Text not idempotent", s.ID)
		}
		if a, b := len(strings.Fields(got)), len(strings.Fields(s.Text)); a < b-b/50 {
			t.Errorf("%s: %d words after cleaning, %d before", s.ID, a, b)
		}
	}
}

func TestTextHuge(t *testing.T) {
	in := strings.Repeat("Телефонный  разговор\u00a0с «Президентом».\n", 100_000) // ~4.5 MB
	got := normalize.Text(in)
	if !strings.HasPrefix(got, `Телефонный разговор с "Президентом".`) || strings.Contains(got, "  ") {
		t.Errorf("huge text not cleaned: %q", got[:120])
	}
	if n := strings.Count(got, "\n\n"); n != 100_000-1 {
		t.Errorf("huge text: %d paragraph breaks, want %d", n, 100_000-1)
	}
}
