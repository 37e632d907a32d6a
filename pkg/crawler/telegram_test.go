package crawler

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// telegramFixture reads a channel page of pkg/scrape/testdata.
func telegramFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../scrape/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// telegramServer serves a channel preview the way t.me does: /s/<channel>
// the newest page, ?before=<id> an older one; a test swaps pages while it
// runs.
type telegramServer struct {
	*feedServer
	mu    sync.Mutex
	pages map[string][]byte // "" (newest) or the before value -> page
	asked []string          // the before values asked for
}

func newTelegramServer(t testing.TB, channel string, pages map[string][]byte) *telegramServer {
	t.Helper()
	ts := &telegramServer{feedServer: newFeedServer(t, nil), pages: pages}
	ts.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/s/"+channel {
			http.NotFound(w, r)
			return
		}
		before := r.URL.Query().Get("before")
		ts.mu.Lock()
		ts.asked = append(ts.asked, before)
		page, ok := ts.pages[before]
		ts.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	return ts
}

func (ts *telegramServer) setPage(before string, page []byte) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.pages[before] = page
}

func (ts *telegramServer) olderPagesAsked() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []string
	for _, b := range ts.asked {
		if b != "" {
			out = append(out, b)
		}
	}
	return out
}

func telegramSource(t testing.TB, id, url, extra string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte("sources:\n  - id: " + id + "\n    kind: telegram\n    url: " + url +
		"\n    lang: en\n    publisher: mfa.example\n" + extra))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

func guids(t testing.TB, h *harness) []string {
	t.Helper()
	var out []string
	for _, it := range h.sink.Items() {
		out = append(out, it.GUID)
	}
	return out
}

func TestTelegramPollEndToEnd(t *testing.T) {
	ctx := context.Background()
	newest := telegramFixture(t, "telegram-mfa_example-page.html")
	ts := newTelegramServer(t, "mfa_example", map[string][]byte{
		"":     newest,
		"1001": telegramFixture(t, "telegram-mfa_example-page-before-1001.html"),
	})
	src := telegramSource(t, "tg-mfa-example", ts.srv.URL+"/s/mfa_example", "")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})

	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{"mfa_example/1010", "mfa_example/1008", "mfa_example/1007", "mfa_example/1006", "mfa_example/1003", "mfa_example/1001"}
	if got := guids(t, h); !slices.Equal(got, want) || res.New != 6 || res.CatchUp != 0 {
		t.Fatalf("first poll: %v (new %d, catch-up %d), want %v", got, res.New, res.CatchUp, want)
	}
	first := h.sink.Items()[5]
	if first.URL != "https://t.me/mfa_example/1001" || first.Key() != "tg-mfa-example|mfa_example/1001" ||
		first.PublishedAt != "2026-09-20T06:12:41+00:00" || first.Publisher != "mfa.example" || first.ContentType != "text/plain" ||
		!strings.Contains(first.Body, "\n\nThe ministers discussed") {
		t.Errorf("first item = %+v", first)
	}
	if fwd := h.sink.Items()[3]; !slices.Contains(fwd.Tags, scrape.TagForwarded) {
		t.Errorf("forwarded post tags = %v", fwd.Tags)
	}
	if n := len(ts.olderPagesAsked()); n != 0 {
		t.Errorf("older pages read on a first poll: %d", n)
	}

	// Unchanged: nothing sent.
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 0 || res.Unchanged != 6 {
		t.Fatalf("second poll: %+v", res)
	}

	// The channel edits a post: it goes out again, a new version under the
	// same key; the others do not.
	ts.setPage("", replaceOnce(t, newest, "exercise restraint.", "exercise maximum restraint."))
	res = h.c.Poll(ctx, src.ID)
	items := h.sink.Items()
	if res.Err != nil || res.Changed != 1 || res.Published != 1 || len(items) != 7 {
		t.Fatalf("after the edit: %+v, %d items", res, len(items))
	}
	edited := items[6]
	if edited.Key() != "tg-mfa-example|mfa_example/1008" || edited.ContentHash == items[1].ContentHash ||
		!strings.Contains(edited.Body, "maximum restraint") || !slices.Contains(edited.Tags, scrape.TagEdited) {
		t.Errorf("edited version = %+v", edited)
	}
}

// After downtime none of the newest page's posts was seen: the crawler
// pages back (?before=<id>) until it reaches the posts it had.
func TestTelegramCatchUp(t *testing.T) {
	ctx := context.Background()
	older := telegramFixture(t, "telegram-mfa_example-page-before-1001.html")
	ts := newTelegramServer(t, "mfa_example", map[string][]byte{"": older})
	src := telegramSource(t, "tg-mfa-example", ts.srv.URL+"/s/mfa_example", "")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.New != 3 {
		t.Fatalf("poll before the downtime: %+v", res)
	}

	ts.setPage("", telegramFixture(t, "telegram-mfa_example-page.html"))
	ts.setPage("1001", older)
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.CatchUp != 1 || res.PossibleGap || res.New != 6 || res.Unchanged != 3 {
		t.Fatalf("catch-up poll: %+v", res)
	}
	if asked := ts.olderPagesAsked(); !slices.Equal(asked, []string{"1001"}) {
		t.Errorf("older pages asked: %v", asked)
	}
	if dls := h.sink.DeadLetters(); len(dls) != 0 {
		t.Errorf("dead letters: %+v", dls)
	}
}

// A channel without a public preview: t.me redirects /s/<channel> to
// /<channel>. The poll fails with a dead letter saying so.
func TestTelegramNoPublicPreview(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, nil)
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/s/mfa_hidden":
			http.Redirect(w, r, "/mfa_hidden", http.StatusFound)
		case "/mfa_hidden":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(telegramFixture(t, "telegram-mfa_hidden-channel-page.html"))
		case "/s/mfa_elsewhere":
			http.Redirect(w, r, "https://telegram.org/", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	hidden := telegramSource(t, "tg-mfa-hidden", fs.srv.URL+"/s/mfa_hidden", "")
	elsewhere := telegramSource(t, "tg-mfa-elsewhere", fs.srv.URL+"/s/mfa_elsewhere", "")
	h := newHarness(t, []sources.Source{hidden, elsewhere}, fetch.Options{})

	res := h.c.Poll(ctx, hidden.ID)
	if !errors.Is(res.Err, scrape.ErrNoPublicPreview) || !strings.Contains(res.Err.Error(), hidden.URL) || res.Failures != 1 {
		t.Fatalf("poll = %+v", res)
	}
	dls := h.sink.DeadLetters()
	if len(dls) != 1 || dls[0].Reason != "no_public_preview" || dls[0].Stage != "crawler.parse" || dls[0].Source != hidden.ID ||
		dls[0].Key != fs.srv.URL+"/mfa_hidden" || !strings.Contains(dls[0].Error, "no public preview") || !bytes.Contains(dls[0].Payload, []byte("tgme_page")) {
		t.Errorf("dead letters = %+v", dls)
	}
	if n := h.counter(t, "readout_crawler_dead_letters_total", "reason", "no_public_preview"); n != 1 {
		t.Errorf("dead_letters_total{no_public_preview} = %v", n)
	}
	if len(h.sink.Items()) != 0 {
		t.Error("items published")
	}

	// A redirect off the source's hosts is never followed (t.me only).
	res = h.c.Poll(ctx, elsewhere.ID)
	if !errors.Is(res.Err, fetch.ErrHostNotAllowed) {
		t.Errorf("redirect to another host: %v", res.Err)
	}
}

// crawler backfill walks a channel's pages back with ?before=<id>.
func TestTelegramBackfill(t *testing.T) {
	ctx := context.Background()
	ts := newTelegramServer(t, "mfa_example", map[string][]byte{
		"":     telegramFixture(t, "telegram-mfa_example-page.html"),
		"1001": telegramFixture(t, "telegram-mfa_example-page-before-1001.html"),
	})
	src := telegramSource(t, "tg-mfa-example", ts.srv.URL+"/s/mfa_example", "    archive: {max_pages: 10}\n")
	if src.Archive.Kind != sources.ArchiveFeed {
		t.Fatalf("archive kind = %q", src.Archive.Kind)
	}
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	from, to := time.Date(2026, 9, 18, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 19, 23, 59, 59, 0, time.UTC)
	var progress bytes.Buffer
	if err := h.c.Backfill(ctx, src.ID, from, to, &progress); err != nil {
		t.Fatalf("backfill: %v\n%s", err, progress.String())
	}
	want := []string{"mfa_example/1000", "mfa_example/998", "mfa_example/997"}
	if got := guids(t, h); !slices.Equal(got, want) {
		t.Errorf("backfilled %v, want %v\n%s", got, want, progress.String())
	}
	if asked := ts.olderPagesAsked(); !slices.Equal(asked, []string{"1001"}) {
		t.Errorf("older pages asked: %v", asked)
	}
}

// crawler probe reads a channel preview as the poll does: its posts are the
// items, and a page that is not one fails it.
func TestProbeTelegram(t *testing.T) {
	ts := newTelegramServer(t, "mfa_example", map[string][]byte{"": telegramFixture(t, "telegram-mfa_example-page.html")})
	good := telegramSource(t, "tg", ts.srv.URL+"/s/mfa_example", "")
	missing := telegramSource(t, "tg-missing", ts.srv.URL+"/s/nobody", "")
	results, err := Probe(context.Background(), ProbeConfig{Sources: []sources.Source{good, missing}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; !r.OK || r.Items == 0 || r.Format != "telegram channel" || r.Newest == "" {
		t.Errorf("channel: %+v", r)
	}
	if r := results[1]; r.OK {
		t.Errorf("missing channel reported ok: %+v", r)
	}
}
