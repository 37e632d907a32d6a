package normalize_test

import (
	"strings"
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// On the dataset's Kremlin texts (Russian and English), Statement removes the
// person tooltips the scrapers flattened into the text (a name written twice,
// surname first the second time, then the role) and only those words.
func TestStatementKremlinTooltipsStatementsDev(t *testing.T) {
	repeated := []string{
		"Нетаньяху Нетаньяху", "Лукашенко Лукашенко", "Рахмон Рахмон", "Алиевым Алиев", "Вучич Вучич",
		"Эрдоган Эрдоган", "Цзиньпином Си Цзиньпин", "Pashinyan Pashinyan", "Orban Orban",
	}
	changed := 0
	for _, s := range devStatements(t) {
		if !strings.Contains(s.Source, "kremlin.ru") || s.Text == "" {
			continue
		}
		st, err := normalize.Statement(&model.RawItem{Source: "dev", Publisher: s.Source, URL: s.URL, Title: s.Title,
			PublishedAt: s.Date, ContentType: "text/plain", Body: s.Text})
		if err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		for _, r := range repeated {
			if strings.Contains(st.Text, r) {
				t.Errorf("%s: tooltip %q left in %q", s.ID, r, st.Text)
			}
		}
		if plain := normalize.Text(s.Text); st.Text != plain {
			changed++
			if a, b := len(strings.Fields(st.Text)), len(strings.Fields(plain)); a >= b || a < b-40 {
				t.Errorf("%s: %d words before, %d after", s.ID, b, a)
			}
		}
	}
	if changed < 5 {
		t.Errorf("only %d Kremlin texts had tooltips removed, want >= 5", changed)
	}
	t.Logf("%d Kremlin texts had tooltips removed", changed)
}
