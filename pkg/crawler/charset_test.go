package crawler

import (
	"context"
	"strings"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// A UTF-8 feed with a bad byte stays UTF-8 (the bad byte becomes U+FFFD),
// and the crawler logs and counts what it replaced.
func TestInvalidUTF8IsReplacedAndCounted(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	feed = replaceOnce(t, feed, "<title>Christmas greetings</title>", "<title>Leaders\u2019 \u201ccall\u201d \xff</title>")
	fs := newFeedServer(t, feed)
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/events/president/news/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	items := h.sink.Items()
	if len(items) == 0 || !strings.HasPrefix(items[0].Title, "Leaders\u2019 \u201ccall\u201d \ufffd") {
		t.Fatalf("first title %q, want the UTF-8 text kept with U+FFFD for the bad byte", items[0].Title)
	}
	if n := h.counter(t, "readout_crawler_invalid_utf8_total", "source", "kremlin-en-news"); n != 1 {
		t.Errorf("readout_crawler_invalid_utf8_total = %v, want 1", n)
	}
}
