package normalize_test

import (
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

func TestLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"2025", ""},
		{"— 17:45 —", ""},
		{"OK", ""},
		{"\xff\xfe\xfd", ""},
		{"Телефонный\xffразговор", "ru"},
		{"Telephone conversation with Emmanuel Macron", "en"},
		{"Телефонный разговор с Президентом Франции", "ru"},
		{"Телефонный разговор с Emmanuel Macron", "ru"},
		{"Телефонный разговор с Президентом США Дональдом Трампом (Donald Trump)", "ru"},
		{"Readout of President Biden’s Call with President Zelenskyy of Ukraine (Зеленський)", "en"},
		{"Vladimir Putin spoke with Aleksandr Lukashenko (Александр Лукашенко) by phone", "en"},
		{"Telephone conversation with President of Finland Sauli Niinistö", "en"},
		{"Emmanuel Macron", "en"},
		{"Телефонна розмова Президента України з Президентом Франції", "uk"},
		{"Володимир Зеленський провів телефонну розмову з Емманюелем Макроном", "uk"},
		{"Лидеры обсудили ситуацию вокруг Украины и Київ", "ru"},
		{"Der Bundeskanzler hat mit dem russischen Präsidenten telefoniert und die Lage in der Ukraine besprochen", "de"},
		{"Le président de la République s'est entretenu avec le président russe sur la situation en Ukraine", "fr"},
		{"The President spoke with Chancellor Merkel of Germany", "en"},
	}
	for _, tt := range tests {
		if got := normalize.Language(tt.in); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The dataset's lang field was checked by hand against the scripts used
// (no en item has a Cyrillic letter, no ru item a Latin one): detection must
// agree on at least 99% of the 452 titles and texts.
func TestLanguageStatementsDev(t *testing.T) {
	all := devStatements(t)
	var titles, titleOK, texts, textOK int
	for _, s := range all {
		titles++
		if got := normalize.Language(s.Title); got == s.Lang {
			titleOK++
		} else {
			t.Logf("%s title %q: got %q, want %q", s.ID, s.Title, got, s.Lang)
		}
		if s.Text == "" {
			continue
		}
		texts++
		if got := normalize.Language(s.Text); got == s.Lang {
			textOK++
		} else {
			t.Logf("%s text: got %q, want %q", s.ID, got, s.Lang)
		}
	}
	if titles < 200 || titleOK*100 < titles*99 {
		t.Errorf("titles: %d/%d agree, want >= 99%% of >= 200", titleOK, titles)
	}
	if textOK*100 < texts*99 {
		t.Errorf("texts: %d/%d agree, want >= 99%%", textOK, texts)
	}
}

// A statement's language is decided by its title before its body's names and
// quotes: in a title, capitalised words after the first are mostly names and
// count less than the words around them.
func TestStatementLanguageWeighsTitle(t *testing.T) {
	tests := []struct{ title, body, want string }{
		{"Разговор с Macron Emmanuel", "", "ru"},
		{"Разговор с Macron Emmanuel", "Emmanuel Macron, Vladimir Putin.", "ru"},
		{"Телефонный разговор с Emmanuel Macron", "(Emmanuel Macron)", "ru"},
		{"Telephone conversation with Путин Владимир", "", "en"},
		{"Readout of President Biden’s Call with President Zelenskyy of Ukraine (Зеленський)", "", "en"},
		{"Телефонный разговор с Президентом США", "Donald Trump said: \"We had a great call.\"", "ru"},
		{"OK", "", ""},
	}
	for _, tt := range tests {
		st, err := normalize.Statement(&model.RawItem{Source: "x", URL: "https://example.org/a", Title: tt.title, Body: tt.body,
			PublishedAt: "2025-01-27T10:00:00Z"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Lang != tt.want {
			t.Errorf("title %q body %q: lang %q, want %q", tt.title, tt.body, st.Lang, tt.want)
		}
	}
}
