package normalize_test

import (
	"strconv"
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// typicalEntry is a Kremlin feed entry of about 3 KB of HTML content.
func typicalEntry(b *testing.B) atomEntry {
	best := atomEntry{}
	for _, e := range kremlinFeed(b) {
		if d, bd := abs(len(e.Content)-3000), abs(len(best.Content)-3000); d < bd {
			best = e
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func BenchmarkStatement(b *testing.B) {
	e := typicalEntry(b)
	item := feedItem(e)
	b.SetBytes(int64(len(item.Body) + len(item.Summary)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := normalize.Statement(item); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatementWhiteHousePlain(b *testing.B) {
	it := whiteHouseItems(b)[0]
	item := &model.RawItem{Source: "wh", Publisher: "whitehouse.gov", URL: it.Link, Title: it.Title,
		PublishedAt: it.PubDate, ContentType: "text/plain", Body: it.Description, Lang: "en"}
	b.SetBytes(int64(len(item.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := normalize.Statement(item); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHTMLToText(b *testing.B) {
	e := typicalEntry(b)
	b.SetBytes(int64(len(e.Content)))
	b.ReportAllocs()
	for b.Loop() {
		normalize.HTMLToText(e.Content)
	}
}

func BenchmarkText(b *testing.B) {
	s := devStatements(b)[0].Text
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		normalize.Text(s)
	}
}

func BenchmarkLanguage(b *testing.B) {
	s := devStatements(b)
	texts := []string{s[0].Title, s[0].Text, s[209].Title, s[209].Text}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			normalize.Language(t)
		}
	}
}

func BenchmarkPublishedUTC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := normalize.PublishedUTC("kremlin.ru", "2018-01-07T09:00:00+04:00"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanonicalURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := normalize.CanonicalURL("http://www.en.kremlin.ru/events/president/news/56626/?utm_source=x&b=1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatementManyTags: an item carrying 40 000 distinct tags (the
// audit's case, which took over a second when repeats were found by a scan).
func BenchmarkStatementManyTags(b *testing.B) {
	item := feedItem(typicalEntry(b))
	item.Tags = make([]string, 40_000)
	for i := range item.Tags {
		item.Tags[i] = "tag " + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := normalize.Statement(item); err != nil {
			b.Fatal(err)
		}
	}
}
