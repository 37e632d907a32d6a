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
	// Kremlin archive pages answer 403 to robots: every Kremlin feed backfills from its own pages.
	for _, id := range []string{"kremlin-ru-news", "kremlin-en-news", "kremlin-ru-all", "kremlin-en-all"} {
		if a := byID[id].Archive; a == nil || a.Kind != ArchiveFeed || a.URL != "" || a.MaxPages != 2000 {
			t.Errorf("%s archive = %+v", id, a)
		}
		if byID[id].Selectors.Topics == "" {
			t.Errorf("%s: no topics selector", id)
		}
	}
	wh := byID["whitehouse-briefing-room"]
	if wh.Kind != KindHTML || !wh.FetchArticle || wh.URL != "https://www.whitehouse.gov/briefings-statements/" ||
		wh.Refresh != (Refresh{Every: 30, Newest: 5}) || wh.Archive.Kind != ArchiveHTML ||
		wh.Archive.PageURL(2) != "https://www.whitehouse.gov/briefings-statements/page/2/" {
		t.Errorf("whitehouse = %+v", wh)
	}
	if ru.Refresh != (Refresh{}) {
		t.Errorf("feed source with refresh settings: %+v", ru.Refresh)
	}
	cfg, err := LoadConfig("../../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Fetch{UserAgent: "ReadoutBot/0.1 (+https://github.com/readout/readout)", Timeout: 30 * time.Second, ConnectTimeout: 10 * time.Second,
		MaxBodyBytes: 10 << 20, MaxRedirects: 5, PerHostConcurrency: 2, PerHostRate: 1}
	if cfg.Fetch != want {
		t.Errorf("fetch = %+v", cfg.Fetch)
	}
	if o := cfg.Fetch.Options(); o.Timeout != 30*time.Second || o.MaxBodyBytes != 10<<20 || o.PerHostRate != 1 || o.UserAgent != want.UserAgent {
		t.Errorf("options = %+v", o)
	}
	if hosts := strings.Join(ru.AllowedHosts(), ","); hosts != "kremlin.ru,kremlin.ru" {
		t.Errorf("AllowedHosts = %s", hosts)
	}
}

// A URL's explicit port is part of the destination it allows; a host
// without one is left to the scheme's default ports.
func TestAllowedHostsKeepPorts(t *testing.T) {
	srcs, err := Parse([]byte("sources:\n  - {id: a, kind: feed, url: 'http://127.0.0.1:8080/feed', fallbacks: ['https://Example.org/feed'], publisher: example.org, hosts: ['cdn.example.org', 'img.example.org:8443']}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if hosts := strings.Join(srcs[0].AllowedHosts(), ","); hosts != "127.0.0.1:8080,example.org,cdn.example.org,img.example.org:8443" {
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
		{"hosts entry that is a URL", base + "    hosts: ['https://www.example.org/']\n", "not a URL"},
		{"feed archive with placeholder", base + "    archive: {kind: feed, url: 'http://example.org/feed/page/{n}'}\n", "rel=next"},
		{"bad archive kind", base + "    archive: {kind: sitemap}\n", `kind "sitemap"`},
		{"refresh on a feed", base + "    refresh: {every: 10}\n", "html only"},
		{"catch-up pages on html", strings.Replace(base, "kind: feed", "kind: html", 1) + "    selectors: {item: li, link: a}\n    catch_up_pages: 3\n", "feed and telegram only"},
		{"negative fetch timeout", "fetch: {timeout: -1s}\n" + base, "timeout"},
		{"connect timeout over timeout", "fetch: {timeout: 5s, connect_timeout: 10s}\n" + base, "connect_timeout"},
		{"unknown fetch key", "fetch: {speed: 3}\n" + base, "speed"},
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
	if err != nil || srcs[0].Interval != DefaultInterval || srcs[0].CatchUpPages != DefaultCatchUpPages {
		t.Errorf("valid config: %v %+v", err, srcs)
	}
	srcs, err = Parse([]byte(base + "    catch_up_pages: -1\n"))
	if err != nil || srcs[0].CatchUpPages != -1 {
		t.Errorf("catch-up off: %v %+v", err, srcs)
	}
	srcs, err = Parse([]byte(base + "    archive: {kind: feed}\n"))
	if err != nil || srcs[0].Archive.MaxPages != 1000 || srcs[0].Archive.URL != "" {
		t.Errorf("feed archive: %v %+v", err, srcs)
	}
	html := "sources:\n  - {id: h, kind: html, url: 'https://example.gov/news/', publisher: example.gov, selectors: {item: li, link: a}, refresh: {every: -1}}\n"
	srcs, err = Parse([]byte(html))
	if err != nil || srcs[0].Refresh.Enabled() || srcs[0].Refresh.Newest != DefaultRefreshNewest {
		t.Errorf("refresh disabled: %v %+v", err, srcs)
	}
}

func TestTelegramSource(t *testing.T) {
	base := "sources:\n  - id: tg\n    kind: telegram\n    url: https://t.me/s/MID_Russia\n    lang: ru\n    publisher: mid.ru\n"
	srcs, err := Parse([]byte(base + "    interval: 300s\n    archive: {max_pages: 50}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := srcs[0]
	if s.Kind != KindTelegram || s.FetchArticle || s.CatchUpPages != DefaultCatchUpPages || s.Refresh != (Refresh{}) ||
		s.Archive.Kind != ArchiveFeed || s.Archive.URL != "" || s.Archive.MaxPages != 50 || s.TelegramChannel() != "MID_Russia" {
		t.Errorf("telegram source = %+v", s)
	}
	if hosts := strings.Join(s.AllowedHosts(), ","); hosts != "t.me" {
		t.Errorf("AllowedHosts = %s, want t.me only", hosts)
	}
	srcs, err = Parse([]byte(base + "    catch_up_pages: 3\n    archive: {kind: feed, url: 'https://t.me/s/MID_Russia/'}\n"))
	if err != nil || srcs[0].CatchUpPages != 3 {
		t.Errorf("catch-up pages and archive url: %v %+v", err, srcs)
	}
	for _, tt := range []struct{ name, yaml, want string }{
		{"not a preview", strings.Replace(base, "t.me/s/MID_Russia", "t.me/MID_Russia", 1), "t.me/s/<channel>"},
		{"a post", strings.Replace(base, "t.me/s/MID_Russia", "t.me/s/MID_Russia/12345", 1), "t.me/s/<channel>"},
		{"query on https", strings.Replace(base, "https://t.me/s/MID_Russia", "'https://t.me/s/MID_Russia?before=10'", 1), "t.me/s/<channel>"},
		{"fallback", base + "    fallbacks: [https://telegram.me/MID_Russia]\n", "t.me/s/<channel>"},
		{"fetch_article", base + "    fetch_article: true\n", "fetch_article"},
		{"selectors", base + "    selectors: {item: li, link: a}\n", "selectors"},
		{"refresh", base + "    refresh: {every: 10}\n", "html only"},
		{"html archive", base + "    archive: {kind: html, url: 'https://t.me/s/MID_Russia?page={n}'}\n", "before="},
		{"numbered archive", base + "    archive: {kind: feed, url: 'https://t.me/s/MID_Russia/{n}'}\n", "t.me/s/<channel>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}

// A mistake a user can make in the file is named by its line and comes with
// the way to fix it.
func TestParseErrorsSayWhereAndHow(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"empty file", "", []string{"the file is empty", "sources: list"}},
		{"only comments", "# sources\n", []string{"the file is empty"}},
		{"key indented less than its siblings", "sources:\n  - id: a\n    kind: feed\n  url: http://example.org/feed\n",
			[]string{"line 4: did not find expected '-' indicator", "indentation"}},
		{"source indented less than the one before", "fetch:\n  timeout: 30s\nsources:\n   - id: a\n     kind: feed\n  - id: b\n",
			[]string{"line 6: ", "indentation"}},
		{"key indented more than its siblings", "sources:\n  - id: a\n    kind: feed\n      url: http://example.org/feed\n",
			[]string{"line 4: mapping values are not allowed", "indentation"}},
		{"tab", "sources:\n  - id: a\n\tkind: feed\n", []string{"line 3: ", "spaces, not tabs"}},
		{"interval without unit", "sources:\n  - id: a\n    kind: feed\n    url: http://example.org/feed\n    publisher: example.org\n    interval: 60\n",
			[]string{"line 6: interval 60 has no unit: write 60s"}},
		{"timeout in words", "fetch:\n  timeout: soon\nsources: []\n", []string{`line 2: timeout "soon" is not a duration`, "30s"}},
		{"unknown key", "sources:\n  - id: a\n    colour: red\n", []string{"line 3: unknown key colour", "spelling and indentation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to mention %q", err, w)
				}
			}
		})
	}
}
