package gazetteer

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultHolder(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		country, kind, on, want string
	}{
		{"FR", KindPresident, "2022-03-01", "Q3052772"},
		{"DE", KindChancellor, "2021-12-07", "Q567"},
		{"DE", KindChancellor, "2021-12-08", "Q61053"}, // hand-over day: incoming
		{"US", KindPresident, "2021-01-19", "Q22686"},
		{"US", KindPresident, "2021-06-01", "Q6279"},
		{"US", KindPresident, "2025-03-18", "Q22686"},
		{"RU", KindPresident, "2010-01-01", "Q23530"},
		{"RU", KindPresident, "2018-01-03", "Q7747"},
		{"IL", KindPrimeMinister, "2022-01-13", ""}, // Bennett: not in the data
		{"EU", KindCommissionPresident, "2021-03-05", "Q60772"},
	}
	for _, tt := range tests {
		p, ok := g.Holder(tt.country, tt.kind, date(tt.on))
		got := ""
		if ok {
			got = p.WikidataID
		}
		if got != tt.want {
			t.Errorf("Holder(%s, %s, %s) = %q, want %q", tt.country, tt.kind, tt.on, got, tt.want)
		}
	}
	p, ok := g.ByID("Q7747")
	if !ok || p.NameRU != "Владимир Путин" {
		t.Fatalf("ByID(Q7747) = %+v, %v", p, ok)
	}
	if got := p.Participant(date("2010-01-01")).Role; got != "Prime Minister of Russia" {
		t.Errorf("Putin's role in 2010 = %q", got)
	}
}

func TestLoadRejects(t *testing.T) {
	const countries = "countries:\n  - {code: FR, en: [France]}\n"
	tests := map[string]string{
		"bad id":      "people:\n  - {id: X1, name_en: A, name_ru: А, offices: [{kind: president, role: P, country: FR, from: 2000-01-01}]}\n",
		"no offices":  "people:\n  - {id: Q1, name_en: A, name_ru: А}\n",
		"bad country": "people:\n  - {id: Q1, name_en: A, name_ru: А, offices: [{kind: president, role: P, country: ZZ, from: 2000-01-01}]}\n",
		"bad dates":   "people:\n  - {id: Q1, name_en: A, name_ru: А, offices: [{kind: president, role: P, country: FR, from: 2000-01-01, to: 1999-01-01}]}\n",
		"duplicate":   "people:\n  - {id: Q1, name_en: A, name_ru: А, offices: [{kind: president, role: P, country: FR, from: 2000-01-01}]}\n  - {id: Q1, name_en: B, name_ru: Б, offices: [{kind: president, role: P, country: FR, from: 2000-01-01}]}\n",
	}
	for name, body := range tests {
		_, err := Load(strings.NewReader(countries + body))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := Load(strings.NewReader("people: [}")); err == nil {
		t.Error("malformed YAML accepted")
	}
}
