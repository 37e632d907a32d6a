package sources

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaultConfig(t *testing.T) {
	srcs, err := Load("../../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Source{}
	for _, s := range srcs {
		byID[s.ID] = s
	}
	ru, ok := byID["kremlin-ru-news"]
	if !ok || ru.URL != "http://kremlin.ru/events/president/news/feed" || ru.Fallbacks[0] != "https://kremlin.ru/events/president/news/feed" ||
		ru.Interval != 60*time.Second || ru.Lang != "ru" || ru.Location().String() != "Europe/Moscow" {
		t.Errorf("kremlin-ru-news = %+v", ru)
	}
	en := byID["kremlin-en-news"]
	if en.URL != "http://en.kremlin.ru/events/president/news/feed" || en.Selectors == nil || en.Selectors.Item == "" {
		t.Errorf("kremlin-en-news = %+v", en)
	}
	if got := en.ExternalID("http://en.kremlin.ru/events/president/news/56626"); got != "56626" {
		t.Errorf("ExternalID = %q", got)
	}
	if got := en.Archive.PageURL(3); got != "http://en.kremlin.ru/events/president/news/page/3" {
		t.Errorf("PageURL = %q", got)
	}
	wh := byID["whitehouse-briefing-room"]
	if wh.Kind != KindHTML || !wh.FetchArticle || wh.URL != "https://www.whitehouse.gov/briefing-room/" {
		t.Errorf("whitehouse = %+v", wh)
	}
	if hosts := strings.Join(ru.AllowedHosts(), ","); hosts != "kremlin.ru,kremlin.ru,kremlin.ru" {
		t.Errorf("AllowedHosts = %s", hosts)
	}
}

func TestParseErrors(t *testing.T) {
	base := "sources:\n  - id: a\n    kind: feed\n    url: http://example.org/feed\n    publisher: example.org\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "sources: []", "no sources"},
		{"unknown key", base + "    colour: red\n", "colour"},
		{"bad kind", strings.Replace(base, "kind: feed", "kind: rss", 1), `kind "rss"`},
		{"no kind", strings.Replace(base, "    kind: feed\n", "", 1), "kind is required"},
		{"bad scheme", strings.Replace(base, "http://example.org/feed", "ftp://example.org/feed", 1), "scheme"},
		{"no publisher", strings.Replace(base, "    publisher: example.org\n", "", 1), "publisher"},
		{"bad id", strings.Replace(base, "id: a", "id: A B", 1), "id"},
		{"short interval", base + "    interval: 1s\n", "below the minimum"},
		{"bad zone", base + "    zone: Mars/Olympus\n", "zone"},
		{"id pattern without group", base + "    external_id_pattern: '\\d+'\n", "capturing group"},
		{"html without selectors", strings.Replace(base, "kind: feed", "kind: html", 1), "selectors"},
		{"archive without placeholder", base + "    archive: {url: http://example.org/page}\n", "{n}"},
		{"duplicate", base + strings.TrimPrefix(base, "sources:\n"), "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
	srcs, err := Parse([]byte(base))
	if err != nil || srcs[0].Interval != DefaultInterval {
		t.Errorf("valid config: %v %+v", err, srcs)
	}
}
