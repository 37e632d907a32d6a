package normalize_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

var fetched = time.Date(2018, 1, 7, 8, 0, 0, 0, time.FixedZone("MSK", 3*3600))

// feedItem builds the raw item a crawler makes from a Kremlin feed entry.
func feedItem(e atomEntry) *model.RawItem {
	return &model.RawItem{
		Source:      "kremlin-en-all",
		Publisher:   "kremlin.ru",
		URL:         e.ID,
		GUID:        e.ID,
		Lang:        "en",
		Title:       e.Title,
		PublishedAt: e.Published,
		UpdatedAt:   e.Updated,
		FetchedAt:   fetched,
		ContentType: "text/html",
		Body:        e.Content,
		Summary:     e.Summary,
		Tags:        []string{" Events ", "News", "Events", "", "News  of\nthe day"},
	}
}

func TestStatementKremlinFeed(t *testing.T) {
	entries := kremlinFeed(t)
	item := feedItem(entries[1])
	st, err := normalize.Statement(item)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Statement{
		ID:             "en.kremlin.ru/56624",
		ItemKey:        "kremlin-en-all|http://en.kremlin.ru/events/president/news/56624",
		Source:         "kremlin-en-all",
		Publisher:      "kremlin.ru",
		URL:            "http://en.kremlin.ru/events/president/news/56624",
		CanonicalURL:   "https://en.kremlin.ru/events/president/news/56624",
		Lang:           "en",
		DeclaredLang:   "en",
		Title:          "Telephone conversation with Indian Prime Minister Narendra Modi",
		Text:           normalize.HTMLToText(entries[1].Content),
		PublishedAt:    time.Date(2018, 1, 3, 13, 50, 0, 0, time.UTC),
		FetchedAt:      fetched.UTC(),
		TranslationKey: "kremlin.ru/d/56624",
		Tags:           []string{"Events", "News", "News of the day"},
	}
	want.ContentHash = normalize.ContentHash(want.Title, want.Text)
	if got := st; !equalStatement(got, want) {
		t.Errorf("Statement:\n got %+v\nwant %+v", got, want)
	}
	if st.PublishedAt.Location() != time.UTC || st.FetchedAt.Location() != time.UTC {
		t.Error("times not in UTC")
	}

	// Every entry becomes a statement with a Kremlin id and translation key.
	for _, e := range entries {
		st, err := normalize.Statement(feedItem(e))
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		id := normalize.KremlinID(e.ID)
		if id == "" || st.ID != "en.kremlin.ru/"+id || st.TranslationKey != "kremlin.ru/d/"+id {
			t.Errorf("%s: ID %q, TranslationKey %q", e.ID, st.ID, st.TranslationKey)
		}
		if st.Lang != "en" || st.Text == "" || !utf8.ValidString(st.Text) || len(st.ContentHash) != 64 {
			t.Errorf("%s: lang %q, %d bytes of text, hash %q", e.ID, st.Lang, len(st.Text), st.ContentHash)
		}
	}
}

func equalStatement(a, b model.Statement) bool {
	if !a.PublishedAt.Equal(b.PublishedAt) || !a.FetchedAt.Equal(b.FetchedAt) {
		return false
	}
	a.PublishedAt, b.PublishedAt, a.FetchedAt, b.FetchedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

// The Russian and English versions of one Kremlin item share the translation key.
func TestStatementTranslationKey(t *testing.T) {
	ru := &model.RawItem{Source: "kremlin-ru-news", Publisher: "kremlin.ru", URL: "http://kremlin.ru/events/president/news/56624",
		Title: "Телефонный разговор с Премьер-министром Индии Нарендрой Моди", PublishedAt: "2018-01-03T16:50:00+04:00", ContentType: "text/plain"}
	en := &model.RawItem{Source: "kremlin-en-news", Publisher: "en.kremlin.ru", URL: "http://en.kremlin.ru/events/president/news/56624",
		Title: "Telephone conversation with Indian Prime Minister Narendra Modi", PublishedAt: "2018-01-03T16:50:00+04:00", ContentType: "text/plain"}
	a, errA := normalize.Statement(ru)
	b, errB := normalize.Statement(en)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a.TranslationKey != "kremlin.ru/d/56624" || a.TranslationKey != b.TranslationKey {
		t.Errorf("translation keys %q and %q", a.TranslationKey, b.TranslationKey)
	}
	if a.ID != "kremlin.ru/56624" || b.ID != "en.kremlin.ru/56624" {
		t.Errorf("IDs %q and %q", a.ID, b.ID)
	}
	if a.Lang != "ru" || b.Lang != "en" || !a.PublishedAt.Equal(b.PublishedAt) {
		t.Errorf("lang %q/%q, published %v/%v", a.Lang, b.Lang, a.PublishedAt, b.PublishedAt)
	}
	// The URL's material id wins over the crawler's external id, which its
	// pattern may have taken from another id space.
	ru.ExternalID = "99"
	if c, _ := normalize.Statement(ru); c.ID != "kremlin.ru/56624" || c.TranslationKey != "kremlin.ru/d/56624" {
		t.Errorf("with a disagreeing ExternalID: ID %q, key %q", c.ID, c.TranslationKey)
	}
	// Legal acts (/acts/bank/) number their items apart: the same number is no
	// translation of an event, whatever the external id says.
	act := *ru
	act.URL, act.GUID, act.ExternalID = "http://kremlin.ru/acts/bank/56624", "http://kremlin.ru/acts/bank/56624", "56624"
	if c, _ := normalize.Statement(&act); c.ID != "https://kremlin.ru/acts/bank/56624" || c.TranslationKey != "" {
		t.Errorf("legal act: ID %q, key %q", c.ID, c.TranslationKey)
	}
	arch := *ru
	arch.URL, arch.GUID, arch.ExternalID = "http://archive.kremlin.ru/events/president/news/56624", "", "56624"
	if c, _ := normalize.Statement(&arch); c.TranslationKey != "" || c.ID != "https://archive.kremlin.ru/events/president/news/56624" {
		t.Errorf("archive item: ID %q, key %q", c.ID, c.TranslationKey)
	}
	// Another publisher's external id is used as given.
	wh := model.RawItem{Source: "wh", Publisher: "whitehouse.gov", URL: "https://www.whitehouse.gov/?p=1", ExternalID: "p1",
		Title: "Readout", Body: "Text.", PublishedAt: "2025-01-27T10:00:00-05:00"}
	if c, _ := normalize.Statement(&wh); c.ID != "whitehouse.gov/p1" || c.TranslationKey != "" {
		t.Errorf("other publisher: ID %q, key %q", c.ID, c.TranslationKey)
	}
}

// A feed with a million tags (or tags of megabytes) is cleaned in linear time
// and bounded: the first MaxTags distinct tags, each at most MaxTagBytes.
func TestStatementTagsBounded(t *testing.T) {
	tags := make([]string, 0, 200_000)
	for i := range 200_000 {
		tags = append(tags, fmt.Sprintf("  tag\t%d ", i))
	}
	tags = append([]string{strings.Repeat("ж", 10_000), "", "   ", "tag 0"}, tags...)
	st, err := normalize.Statement(&model.RawItem{Source: "x", URL: "https://example.org/a", Title: "T", Body: "B",
		PublishedAt: "2025-01-27T10:00:00Z", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Tags) != normalize.MaxTags {
		t.Fatalf("%d tags, want %d", len(st.Tags), normalize.MaxTags)
	}
	if !utf8.ValidString(st.Tags[0]) || len(st.Tags[0]) > normalize.MaxTagBytes || !strings.HasPrefix(st.Tags[0], "жж") {
		t.Errorf("long tag not cut on a rune boundary: %d bytes, valid %v", len(st.Tags[0]), utf8.ValidString(st.Tags[0]))
	}
	if st.Tags[1] != "tag 0" || st.Tags[2] != "tag 1" {
		t.Errorf("tags not cleaned in order: %q", st.Tags[:3])
	}
	seen := map[string]bool{}
	for _, tg := range st.Tags {
		if seen[tg] {
			t.Fatalf("tag %q repeated", tg)
		}
		seen[tg] = true
	}
}

// Flattened kremlin.ru page text: the tag blocks and the status trailer are
// dropped, the body ends with its last sentence.
func TestStatementKremlinPageText(t *testing.T) {
	wantEnds := map[string]string{
		"http://kremlin.ru/events/president/news/76857": "актуальные вопросы двусторонних отношений.",
		"http://kremlin.ru/events/president/news/76851": "координации на внешнеполитическом направлении.",
		"http://kremlin.ru/events/president/news/76841": "Приглашение было с благодарностью принято.",
	}
	for _, s := range ruPageSamples(t) {
		st, err := normalize.Statement(&model.RawItem{Source: "kremlin-ru", Publisher: "kremlin.ru", URL: s.URL,
			Title: "Телефонный разговор", PublishedAt: "2025-05-06T17:45:00+04:00", ContentType: "text/plain", Body: s.Text})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(st.Text, wantEnds[s.URL]) {
			t.Errorf("%s: text ends %q, want %q", s.URL, st.Text[max(0, len(st.Text)-120):], wantEnds[s.URL])
		}
		for _, bad := range []string{"Статус материала", "Текстовая версия", "География", "Смотрите также",
			"Нетаньяху Нетаньяху", "Пезешкиан Пезешкиан", "Моди Моди"} {
			if strings.Contains(st.Text, bad) {
				t.Errorf("%s: %q left in text", s.URL, bad)
			}
		}
		if st.Lang != "ru" || st.TranslationKey != "kremlin.ru/d/"+normalize.KremlinID(s.URL) {
			t.Errorf("%s: lang %q, key %q", s.URL, st.Lang, st.TranslationKey)
		}
	}
	// Not a Kremlin item: the same words are left alone.
	st, err := normalize.Statement(&model.RawItem{Source: "x", Publisher: "example.org", URL: "https://example.org/a",
		Title: "t", PublishedAt: "2025-05-06T17:45:00Z", ContentType: "text/plain", Body: ruPageSamples(t)[0].Text})
	if err != nil || !strings.Contains(st.Text, "Текстовая версия") {
		t.Errorf("non-Kremlin text was trimmed: %v", err)
	}
}

func TestStatementWhiteHouse(t *testing.T) {
	for _, it := range whiteHouseItems(t) {
		item := &model.RawItem{Source: "wh-briefings", Publisher: "whitehouse.gov", URL: strings.TrimSpace(it.Link),
			GUID: strings.TrimSpace(it.GUID), Lang: "en-US", Title: it.Title, PublishedAt: it.PubDate,
			FetchedAt: fetched, ContentType: "text/plain", Body: it.Description, Tags: it.Categories}
		st, err := normalize.Statement(item)
		if err != nil {
			t.Fatalf("%s: %v", it.Link, err)
		}
		if st.Lang != "en" || st.DeclaredLang != "en" || st.TranslationKey != "" {
			t.Errorf("%s: lang %q declared %q key %q", it.Link, st.Lang, st.DeclaredLang, st.TranslationKey)
		}
		if !strings.HasPrefix(st.CanonicalURL, "https://whitehouse.gov/") || strings.HasSuffix(st.CanonicalURL, "/") || st.ID != st.CanonicalURL ||
			st.URL != strings.TrimSpace(it.Link) {
			t.Errorf("%s: URL %q canonical %q ID %q", it.Link, st.URL, st.CanonicalURL, st.ID)
		}
		if st.Title == "" || st.Title != strings.TrimSpace(st.Title) || strings.Contains(st.Title, "\n") {
			t.Errorf("%s: title %q", it.Link, st.Title)
		}
		if strings.Contains(st.Text, "The White House"+"July") || strings.Contains(st.Text, "The White House"+"August") ||
			strings.HasPrefix(st.Text, "Briefings & Statements") || strings.HasPrefix(strings.ToLower(st.Text), "office of the first lady") {
			t.Errorf("%s: page chrome left: %q", it.Link, st.Text[:min(len(st.Text), 200)])
		}
		for _, tag := range st.Tags {
			if tag != strings.TrimSpace(tag) || tag == "" {
				t.Errorf("%s: tag %q", it.Link, tag)
			}
		}
	}
	for _, r := range readouts(t) {
		st, err := normalize.Statement(&model.RawItem{Source: "wh-readouts", Publisher: "whitehouse.gov", URL: r.URL,
			Title: "Readout", PublishedAt: r.Published, ContentType: "text/plain", Body: r.Body})
		if err != nil {
			t.Fatal(err)
		}
		// Hard-wrapped markdown becomes one paragraph per source paragraph.
		if st.Lang != "en" || strings.Contains(st.Text, "\n\n\n") || strings.Contains(st.Text, "Putin\nof") {
			t.Errorf("%s: lang %q text %q", r.URL, st.Lang, st.Text)
		}
	}
}

func TestStatementFallbacks(t *testing.T) {
	base := func() *model.RawItem {
		return &model.RawItem{Source: "s", Publisher: "whitehouse.gov", URL: "https://www.whitehouse.gov/a/",
			Title: "Readout of a call", PublishedAt: "2024-07-04T12:00:00-04:00", FetchedAt: fetched,
			ContentType: "text/html", Body: "<p>Body.</p>", Summary: "<p>Lead.</p>"}
	}
	t.Run("summary when body empty", func(t *testing.T) {
		it := base()
		it.Body = "  <div> </div> "
		st, err := normalize.Statement(it)
		if err != nil || st.Text != "Lead." {
			t.Errorf("text %q, %v", st.Text, err)
		}
	})
	t.Run("updated_at when published_at bad", func(t *testing.T) {
		it := base()
		it.PublishedAt, it.UpdatedAt = "soon", "2024-07-05T10:00:00Z"
		st, err := normalize.Statement(it)
		if err != nil || !st.PublishedAt.Equal(time.Date(2024, 7, 5, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("published %v, %v", st.PublishedAt, err)
		}
	})
	t.Run("fetched_at when no time", func(t *testing.T) {
		it := base()
		it.PublishedAt = ""
		st, err := normalize.Statement(it)
		if err != nil || !st.PublishedAt.Equal(fetched) {
			t.Errorf("published %v, %v", st.PublishedAt, err)
		}
	})
	t.Run("no usable time", func(t *testing.T) {
		it := base()
		it.PublishedAt, it.FetchedAt = "", time.Time{}
		if _, err := normalize.Statement(it); !errors.Is(err, normalize.ErrBadTime) {
			t.Errorf("err %v, want ErrBadTime", err)
		}
	})
	t.Run("declared language when undetectable", func(t *testing.T) {
		it := base()
		it.Title, it.Body, it.Summary, it.Lang = "G7", "<p>2024</p>", "", "fr-FR"
		st, err := normalize.Statement(it)
		if err != nil || st.Lang != "fr" || st.DeclaredLang != "fr" {
			t.Errorf("lang %q declared %q, %v", st.Lang, st.DeclaredLang, err)
		}
	})
	t.Run("sniffed html without content type", func(t *testing.T) {
		it := base()
		it.ContentType = ""
		it.Body = "<p>One.</p><p>Two &amp; three.</p>"
		st, err := normalize.Statement(it)
		if err != nil || st.Text != "One.\n\nTwo & three." {
			t.Errorf("text %q, %v", st.Text, err)
		}
	})
	t.Run("entities and markup in title", func(t *testing.T) {
		it := base()
		it.Title = "Q&amp;A with <b>the</b>\n  Press Secretary"
		st, err := normalize.Statement(it)
		if err != nil || st.Title != "Q&A with the Press Secretary" {
			t.Errorf("title %q, %v", st.Title, err)
		}
	})
	t.Run("guid when url bad", func(t *testing.T) {
		it := base()
		it.URL, it.GUID = "::bad", "https://www.whitehouse.gov/b/"
		st, err := normalize.Statement(it)
		if err != nil || st.URL != "https://www.whitehouse.gov/b/" || st.CanonicalURL != "https://whitehouse.gov/b" || st.ID != st.CanonicalURL {
			t.Errorf("url %q canonical %q id %q, %v", st.URL, st.CanonicalURL, st.ID, err)
		}
	})
	t.Run("url without scheme cited canonical", func(t *testing.T) {
		it := base()
		it.URL = "//www.whitehouse.gov/c/"
		st, err := normalize.Statement(it)
		if err != nil || st.URL != "https://whitehouse.gov/c" || st.CanonicalURL != st.URL {
			t.Errorf("url %q canonical %q, %v", st.URL, st.CanonicalURL, err)
		}
	})
	t.Run("item key when nothing parses", func(t *testing.T) {
		it := base()
		it.URL, it.GUID = "", "tag:whitehouse.gov,2024:123"
		st, err := normalize.Statement(it)
		if err != nil || st.ID != "s|tag:whitehouse.gov,2024:123" || st.URL != "" || st.CanonicalURL != "tag:whitehouse.gov,2024:123" {
			t.Errorf("url %q canonical %q id %q, %v", st.URL, st.CanonicalURL, st.ID, err)
		}
	})
	t.Run("publisher from host", func(t *testing.T) {
		it := base()
		it.Publisher = ""
		st, err := normalize.Statement(it)
		if err != nil || st.Publisher != "whitehouse.gov" || !st.PublishedAt.Equal(time.Date(2024, 7, 4, 16, 0, 0, 0, time.UTC)) {
			t.Errorf("publisher %q published %v, %v", st.Publisher, st.PublishedAt, err)
		}
	})
	t.Run("kremlin quirk from URL when publisher empty", func(t *testing.T) {
		it := base()
		it.Publisher, it.URL, it.PublishedAt = "", "http://en.kremlin.ru/events/president/news/56624", "2018-01-03T16:50:00+04:00"
		st, err := normalize.Statement(it)
		if err != nil || st.Publisher != "en.kremlin.ru" || !st.PublishedAt.Equal(time.Date(2018, 1, 3, 13, 50, 0, 0, time.UTC)) ||
			st.TranslationKey != "kremlin.ru/d/56624" {
			t.Errorf("publisher %q published %v key %q, %v", st.Publisher, st.PublishedAt, st.TranslationKey, err)
		}
	})
	t.Run("tags never nil", func(t *testing.T) {
		st, err := normalize.Statement(base())
		if err != nil || st.Tags == nil || len(st.Tags) != 0 {
			t.Errorf("tags %#v, %v", st.Tags, err)
		}
	})
}

func TestStatementErrors(t *testing.T) {
	tests := []struct {
		name string
		item *model.RawItem
		want error
	}{
		{"nil", nil, normalize.ErrNilItem},
		{"no url or guid", &model.RawItem{Source: "s", Title: "t", PublishedAt: "2024-01-01T00:00:00Z"}, normalize.ErrNoID},
		{"empty after cleaning", &model.RawItem{Source: "s", URL: "https://kremlin.ru/d/1", Title: " \u00a0\u200b ",
			Body: "<script>x()</script><nav>menu</nav>", ContentType: "text/html", PublishedAt: "2024-01-01T00:00:00Z"}, normalize.ErrEmpty},
		{"too large", &model.RawItem{Source: "s", URL: "https://kremlin.ru/d/1", Title: "t",
			Body: strings.Repeat("<p>текст</p>", normalize.MaxItemBytes/10), ContentType: "text/html", PublishedAt: "2024-01-01T00:00:00Z"}, normalize.ErrTooLarge},
		{"bad time", &model.RawItem{Source: "s", URL: "https://kremlin.ru/d/1", Title: "t", PublishedAt: "never"}, normalize.ErrBadTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := normalize.Statement(tt.item); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	const title, text = "Telephone conversation with Emmanuel Macron", "The leaders discussed Syria.\n\nThey agreed to stay in touch."
	h := normalize.ContentHash(title, text)
	same := []struct{ title, text string }{
		{"  Telephone conversation  with Emmanuel\u00a0Macron ", text},
		{title, "The leaders discussed Syria.\nThey agreed to stay in touch."},
		{title, "The leaders   discussed Syria. They agreed to stay in touch.\n"},
		{title, normalize.HTMLToText("<p>The leaders <b>discussed</b> Syria.</p><p>They agreed to stay in touch.</p>")},
	}
	for _, s := range same {
		if got := normalize.ContentHash(s.title, s.text); got != h {
			t.Errorf("ContentHash(%q, %q) changed", s.title, s.text)
		}
	}
	differ := []struct{ title, text string }{
		{"Telephone conversation with Emmanuel Macron.", text},
		{title, "The leaders discussed Syria and Iran.\n\nThey agreed to stay in touch."},
		{title + " " + "The leaders", "discussed Syria.\n\nThey agreed to stay in touch."},
		{"", ""},
	}
	for _, d := range differ {
		if got := normalize.ContentHash(d.title, d.text); got == h {
			t.Errorf("ContentHash(%q, %q) did not change", d.title, d.text)
		}
	}
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("hash %q is not hex sha256", h)
	}
}

// All 452 real statements of statements-dev normalize: language as labelled,
// Kremlin ids and translation keys from the URL, canonical White House URLs.
func TestStatementStatementsDev(t *testing.T) {
	for _, s := range devStatements(t) {
		st, err := normalize.Statement(&model.RawItem{Source: s.Source, Publisher: s.Source, URL: s.URL,
			Title: s.Title, PublishedAt: s.Date, ContentType: "text/plain", Body: s.Text, FetchedAt: fetched})
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		if st.Lang != s.Lang {
			t.Errorf("%s: lang %q, want %q", s.ID, st.Lang, s.Lang)
		}
		switch s.Source {
		case "kremlin.ru", "en.kremlin.ru":
			id := normalize.KremlinID(s.URL)
			if id == "" || st.ID != s.Source+"/"+id || st.TranslationKey != "kremlin.ru/d/"+id {
				t.Errorf("%s: url %s -> ID %q key %q", s.ID, s.URL, st.ID, st.TranslationKey)
			}
		default:
			if st.ID != st.CanonicalURL || !strings.HasPrefix(st.CanonicalURL, "https://") || st.TranslationKey != "" || st.URL != s.URL {
				t.Errorf("%s: url %s -> ID %q URL %q canonical %q key %q", s.ID, s.URL, st.ID, st.URL, st.CanonicalURL, st.TranslationKey)
			}
		}
	}
}

// A URL that is not http(s) is never passed on as the statement's URL (it
// was, when neither URL nor GUID could be canonicalized): the item is refused.
func TestStatementRefusesNonWebURL(t *testing.T) {
	for _, u := range []string{"javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4="} {
		item := &model.RawItem{Source: "s", Publisher: "whitehouse.gov", URL: u, GUID: "p=1", Title: "T", Body: "Text.",
			PublishedAt: "2026-10-02T10:00:00Z", FetchedAt: time.Unix(1790000000, 0)}
		st, err := normalize.Statement(item)
		if !errors.Is(err, normalize.ErrBadURL) {
			t.Errorf("%s: statement %+v, err %v; want ErrBadURL", u, st.URL, err)
		}
	}
}
