package normalize_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// Seed corpora live in testdata/fuzz/<FuzzName>; f.Add adds real snippets.

func FuzzHTMLToText(f *testing.F) {
	for _, e := range kremlinFeed(f)[:5] {
		f.Add(e.Content)
	}
	f.Add(`<p><a href="/catalog/persons/1">Name<span>Tooltip</span></a></p>`)
	f.Fuzz(func(t *testing.T, in string) {
		out := normalize.HTMLToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output for %q", in)
		}
		if out != strings.TrimSpace(out) || strings.Contains(out, "\n\n\n") {
			t.Fatalf("untrimmed or uncollapsed output %q", out)
		}
		if again := normalize.Text(out); again != out {
			t.Fatalf("output not clean: %q -> %q", out, again)
		}
	})
}

func FuzzText(f *testing.F) {
	f.Add("Согласно «сообщению»\u00a0— на\u00adсайте\r\nКремля.\n\nАбзац")
	f.Add("ok\xff\xfe")
	f.Fuzz(func(t *testing.T, in string) {
		out := normalize.Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output for %q", in)
		}
		if again := normalize.Text(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
		if l := normalize.Language(in); l != "" && l != "ru" && l != "uk" && l != "en" && l != "de" && l != "fr" {
			t.Fatalf("Language(%q) = %q", in, l)
		}
	})
}

func FuzzPublishedUTC(f *testing.F) {
	f.Add("kremlin.ru", "2018-01-07T09:00:00+04:00")
	f.Add("whitehouse.gov", "Fri, 21 Aug 2026 16:00:54 -0400")
	f.Add("", "6 мая 2025 года, 17:45")
	f.Fuzz(func(t *testing.T, publisher, in string) {
		got, err := normalize.PublishedUTC(publisher, in)
		if err != nil {
			if !errors.Is(err, normalize.ErrBadTime) {
				t.Fatalf("error %v does not wrap ErrBadTime", err)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("PublishedUTC(%q, %q) = %v not in UTC", publisher, in, got)
		}
	})
}

func FuzzCanonicalURL(f *testing.F) {
	f.Add("http://WWW.en.kremlin.ru:80/events/president/news/56626/?utm_source=x&b=1#f")
	f.Add("kremlin.ru/d/56626")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := normalize.CanonicalURL(in)
		if err != nil {
			if got != in || !errors.Is(err, normalize.ErrBadURL) {
				t.Fatalf("CanonicalURL(%q) = %q, %v: want input and ErrBadURL", in, got, err)
			}
			return
		}
		if !strings.HasPrefix(got, "https://") {
			t.Fatalf("CanonicalURL(%q) = %q: not https", in, got)
		}
		again, err := normalize.CanonicalURL(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, got, again, err)
		}
		_ = normalize.KremlinID(in)
	})
}

func FuzzStatement(f *testing.F) {
	e := kremlinFeed(f)[1]
	f.Add("kremlin.ru", e.ID, e.Title, e.Published, "text/html", e.Content, "en")
	f.Add("whitehouse.gov", "https://www.whitehouse.gov/x/", "Readout", "July 28, 2026", "text/plain", "Line one\nline two.", "")
	f.Fuzz(func(t *testing.T, publisher, url, title, published, contentType, body, lang string) {
		item := &model.RawItem{Source: "fuzz", Publisher: publisher, URL: url, Title: title, PublishedAt: published,
			ContentType: contentType, Body: body, Lang: lang, FetchedAt: time.Unix(1700000000, 0)}
		st, err := normalize.Statement(item)
		if err != nil {
			for _, want := range []error{normalize.ErrEmpty, normalize.ErrNoID, normalize.ErrTooLarge, normalize.ErrBadTime, normalize.ErrBadURL} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		if st.ID == "" || st.ItemKey != item.Key() || len(st.ContentHash) != 64 || st.Tags == nil {
			t.Fatalf("incomplete statement %+v", st)
		}
		if !utf8.ValidString(st.Text) || !utf8.ValidString(st.Title) || (st.Title == "" && st.Text == "") {
			t.Fatalf("bad title/text %q / %q", st.Title, st.Text)
		}
	})
}
