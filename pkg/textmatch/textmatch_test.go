package textmatch

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	toks := Tokenize("President Joseph R. Biden, Jr. spoke today with Erdoğan. Then Ёлка!", nil)
	var words []string
	var sents []int
	for _, tk := range toks {
		words = append(words, tk.Text)
		sents = append(sents, tk.Sent)
	}
	want := []string{"president", "joseph", "r", "biden", "jr", "spoke", "today", "with", "erdogan", "then", "елка"}
	if !reflect.DeepEqual(words, want) {
		t.Fatalf("words = %q, want %q", words, want)
	}
	if sents[8] != 0 || sents[9] != 1 {
		t.Fatalf("sentences = %v, want the break after Erdoğan only", sents)
	}
	// A quote opening right after the full stop, and a no-break space, start sentences.
	toks = Tokenize("во вторник, 29 сентября.«С обеих сторон отмечены успехи. Далее\u00a0текст.\u00a0Конец", nil)
	if s := toks[len(toks)-1].Sent; toks[4].Text != "с" || toks[4].Sent != 1 || s != 3 {
		t.Fatalf("sentences = %+v, want breaks before «С, Далее and Конец", toks)
	}
	// A handle in a quoted post splits where its case changes.
	var hs []string
	for _, tk := range Tokenize("I just called President @RTErdogan and @ZelenskyyUa, not @POTUS.", nil) {
		hs = append(hs, tk.Text)
	}
	if want := []string{"i", "just", "called", "president", "rt", "erdogan", "and", "zelenskyy", "ua", "not", "potus"}; !reflect.DeepEqual(hs, want) {
		t.Fatalf("words = %q, want %q", hs, want)
	}
	// A closing quote after the stop, then a line break: a sentence ends.
	toks = Tokenize("wishes for wellness.”\nThe statement added. «Да.» Нет", nil)
	if toks[3].Text != "the" || toks[3].Sent != 1 || toks[len(toks)-1].Sent != 3 {
		t.Fatalf("sentences = %+v, want breaks before The, Да and Нет", toks)
	}
	// "и.о." (acting) ends no sentence.
	toks = Tokenize("разговора с и.о. президента Украины Александром Турчиновым. Далее", nil)
	if last := toks[len(toks)-1]; toks[4].Text != "президента" || toks[4].Sent != 0 || last.Sent != 1 {
		t.Fatalf("sentences = %+v, want one break, after Турчиновым", toks)
	}
	// MOFA Japan's style: "with the Hon. John Key, Prime Minister of New Zealand."
	toks = Tokenize("Kan spoke with the Hon. John Key. The Rt. Hon. Theresa May and Prof. Dr. Smith.", nil)
	if last := toks[len(toks)-1]; toks[4].Text != "hon" || toks[5].Sent != 0 || last.Sent != 1 {
		t.Fatalf("sentences = %+v, want one break, after Key", toks)
	}
	// ... and a stray stop after "the Honorable" (holdout43).
	toks = Tokenize("Abe held a telephone talk with the Honorable. Scott Morrison, Prime Minister.", nil)
	if last := toks[len(toks)-1]; last.Sent != 0 {
		t.Fatalf("sentences = %+v, want none broken after Honorable", toks)
	}
}

func TestMatcher(t *testing.T) {
	var m Matcher[string]
	for p, v := range map[string]string{
		"путин*":                 "putin",
		"президент* франци*":     "fr-president",
		"telephone conversation": "call",
		"с":                      "s",
	} {
		if err := m.Add(p, v); err != nil {
			t.Fatal(err)
		}
	}
	toks := Tokenize("Телефонный разговор Путина с Президентом Франции; a telephone conversation.", nil)
	var got []string
	m.FindAll(toks, func(mt Match[string]) { got = append(got, mt.Val) })
	want := []string{"putin", "s", "fr-president", "call"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := ParsePattern(" * "); err == nil {
		t.Fatal("empty pattern accepted")
	}
}

// TestMatcherIndexedOrder: a first word with many patterns is looked up by
// its second and third words; the matches and their order are those of
// trying every pattern in the order added.
func TestMatcherIndexedOrder(t *testing.T) {
	patterns := []string{
		"had", "had a conversation with", "had a lo* talk with", "had a long talk with", "had a long and good talk with",
		"had a good talk with", "had talks", "had a", "had a good and long talk with", "had a long and warm talk with",
		"had a warm talk with", "had a warm and long talk with", "had a long conversation with", "had talk* with",
		"had a long and good conversation with", "had a long", "had an", "had a brief talk with",
	}
	var all Matcher[int]
	singles := make([]Matcher[int], len(patterns))
	for i, p := range patterns {
		if err := all.Add(p, i); err != nil {
			t.Fatal(err)
		}
		if err := singles[i].Add(p, i); err != nil {
			t.Fatal(err)
		}
	}
	toks := Tokenize("He had a long and good talk with her; they had a long and warm talk with us, had talks, had a good talk with, had a long", nil)
	checked := 0
	for i := range toks {
		var want []Match[int]
		for k := range singles {
			want = singles[k].AppendAt(want, toks, i)
		}
		got := all.AppendAt(nil, toks, i)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("at %d (%q): got %v, want %v", i, toks[i].Text, got, want)
		}
		checked += len(want)
	}
	if checked < 10 {
		t.Fatalf("only %d matches checked: the test text does not exercise the index", checked)
	}
}
