package feedout

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/model"
)

func load(t testing.TB, name string) *model.LeaderCall {
	t.Helper()
	raw := fixture.Read(t, name)
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

func getFeed(t *testing.T, url string) *gofeed.Feed {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("content type %q", ct)
	}
	feed, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if feed.FeedType != "atom" || feed.FeedVersion != "1.0" {
		t.Errorf("feed type %s %s", feed.FeedType, feed.FeedVersion)
	}
	return feed
}

func TestAtomFeed(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.AtomHandler())
	defer srv.Close()

	empty := getFeed(t, srv.URL+"/feed.atom")
	if len(empty.Items) != 0 || empty.Title != DefaultFeedTitle {
		t.Errorf("empty feed: %d items, title %q", len(empty.Items), empty.Title)
	}

	trump := load(t, "putin-trump-2017-01-28.json")
	modi := load(t, "putin-modi-2018-01-03.json")
	hub.Publish(modi)
	hub.Publish(trump)

	feed := getFeed(t, srv.URL+"/feed.atom")
	if len(feed.Items) != 2 {
		t.Fatalf("items = %d, want 2", len(feed.Items))
	}
	first, second := feed.Items[0], feed.Items[1]
	if first.Title != "Telephone conversation: Vladimir Putin and Narendra Modi" {
		t.Errorf("first title %q (newest update must come first)", first.Title)
	}
	if first.GUID != "urn:readout:leader-call:call-2018-01-03-Q1058-Q7747" {
		t.Errorf("first id %q", first.GUID)
	}
	if first.Link != "http://en.kremlin.ru/events/president/news/56624" {
		t.Errorf("first link %q", first.Link)
	}
	if !strings.Contains(first.Description, "at the initiative of Narendra Modi") {
		t.Errorf("summary %q", first.Description)
	}
	if first.UpdatedParsed == nil || !first.UpdatedParsed.Equal(modi.UpdatedAt) {
		t.Errorf("updated %v, want %v", first.UpdatedParsed, modi.UpdatedAt)
	}
	if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(modi.UpdatedAt) {
		t.Errorf("feed updated %v", feed.UpdatedParsed)
	}
	if second.Link != "http://en.kremlin.ru/events/president/news/53787" {
		t.Errorf("second link %v", second.Link)
	}
	if len(second.Categories) != 8 || second.Categories[0] != "Terrorism" || second.Categories[7] != "held" {
		t.Errorf("second categories %v", second.Categories)
	}
	if feed.FeedLink != "/feed.atom" {
		t.Errorf("self link %q, want the request path (no public URL configured)", feed.FeedLink)
	}

	// An update replaces the entry; it does not add one, and it moves to the top.
	up := *trump
	up.Version = 3
	up.UpdatedAt = modi.UpdatedAt.Add(time.Hour)
	up.Topics = up.Topics[:1]
	hub.Publish(&up)
	feed = getFeed(t, srv.URL+"/feed.atom")
	if len(feed.Items) != 2 || feed.Items[0].GUID != "urn:readout:leader-call:call-2017-01-28-Q22686-Q7747" || len(feed.Items[0].Categories) != 2 {
		t.Errorf("after update: %d items, first %q categories %v", len(feed.Items), feed.Items[0].GUID, feed.Items[0].Categories)
	}
}

func TestAtomFeedSizeAndConditional(t *testing.T) {
	hub := New(Options{FeedSize: 1, SelfURL: "https://readout.example/feed.atom"})
	srv := httptest.NewServer(hub.AtomHandler())
	defer srv.Close()
	hub.Publish(load(t, "putin-trump-2017-01-28.json"))
	hub.Publish(load(t, "putin-modi-2018-01-03.json"))
	feed := getFeed(t, srv.URL)
	if len(feed.Items) != 1 || feed.FeedLink != "https://readout.example/feed.atom" {
		t.Fatalf("items %d self %q", len(feed.Items), feed.FeedLink)
	}

	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: etag %q status %d, want 304", etag, resp.StatusCode)
	}
	ev := load(t, "putin-modi-2018-01-03.json")
	ev.Version = 2
	hub.Publish(ev)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after publish: status %d, want 200", resp.StatusCode)
	}

	resp, err = http.Post(srv.URL, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST status %d", resp.StatusCode)
	}
}

// sseClient reads messages from a real HTTP connection.
type sseClient struct {
	resp   *http.Response
	r      *bufio.Reader
	cancel context.CancelFunc
}

type sseMsg struct {
	id, event, data string
}

func connect(t *testing.T, url, lastID string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{resp: resp, r: bufio.NewReader(resp.Body), cancel: cancel}
	// The handler subscribes before it writes the retry line: after it, nothing published is missed.
	if line, err := c.r.ReadString('\n'); err != nil || line != "retry: 3000\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	c.r.ReadString('\n')
	return c
}

func (c *sseClient) close() {
	c.cancel()
	c.resp.Body.Close()
}

func (c *sseClient) next(t *testing.T) sseMsg {
	t.Helper()
	var m sseMsg
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if m.id != "" || m.data != "" {
				return m
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "id: "):
			m.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			m.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			m.data += line[6:]
		}
	}
}

func TestSSEStreamAndResume(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.SSEHandler())
	defer srv.Close()

	trump := load(t, "putin-trump-2017-01-28.json")
	modi := load(t, "putin-modi-2018-01-03.json")

	c := connect(t, srv.URL, "")
	hub.Publish(trump)
	m := c.next(t)
	if m.id != "call-2017-01-28-Q22686-Q7747@v2" || m.event != "leader-call" {
		t.Errorf("message %q %q", m.id, m.event)
	}
	var got model.LeaderCall
	if err := json.Unmarshal([]byte(m.data), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != trump.ID || got.Version != 2 || len(got.Participants) != 2 {
		t.Errorf("data %+v", got)
	}
	c.close()

	// While the client is away: a new event, a replay of an old version, an update.
	hub.Publish(modi)
	hub.Publish(trump) // same version: ignored
	up := *trump
	up.Version = 3
	hub.Publish(&up)

	c = connect(t, srv.URL, m.id)
	defer c.close()
	for _, want := range []string{"call-2018-01-03-Q1058-Q7747@v1", "call-2017-01-28-Q22686-Q7747@v3"} {
		if m := c.next(t); m.id != want {
			t.Fatalf("resumed message %q, want %q", m.id, want)
		}
	}
	// Live messages follow the backlog on the same connection.
	modi2 := *modi
	modi2.Version = 2
	hub.Publish(&modi2)
	if m := c.next(t); m.id != "call-2018-01-03-Q1058-Q7747@v2" {
		t.Fatalf("live message %q", m.id)
	}
}

// A Last-Event-ID the buffer no longer holds gets a reset event that says
// so, then every message still held.
func TestSSEResumeExpiredIDIsSignalled(t *testing.T) {
	hub := New(Options{RingSize: 2})
	srv := httptest.NewServer(hub.SSEHandler())
	defer srv.Close()
	ev := load(t, "putin-modi-2018-01-03.json")
	for v := 1; v <= 4; v++ {
		ev.Version = v
		hub.Publish(ev)
	}
	c := connect(t, srv.URL, "call-2018-01-03-Q1058-Q7747@v1") // fell out of the ring
	defer c.close()
	m := c.next(t)
	var rs Reset
	if m.event != SSEResetEvent || m.id != "" || json.Unmarshal([]byte(m.data), &rs) != nil {
		t.Fatalf("first message %+v, want a reset event without id", m)
	}
	if rs.Reason != ResetExpired || rs.LastEventID != "call-2018-01-03-Q1058-Q7747@v1" || rs.Oldest != "call-2018-01-03-Q1058-Q7747@v3" || rs.Detail == "" {
		t.Errorf("reset %+v", rs)
	}
	for _, want := range []string{"call-2018-01-03-Q1058-Q7747@v3", "call-2018-01-03-Q1058-Q7747@v4"} {
		if m := c.next(t); m.id != want {
			t.Fatalf("message %q, want %q", m.id, want)
		}
	}
}

// A burst larger than any per-client queue reaches every client whole, in
// order, on its first connection (issue: 500 events dropped every client
// after about 180 messages).
func TestSSEBurstReachesEveryClient(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.SSEHandler())
	defer srv.Close()
	const clients, burst = 20, 500
	var cs []*sseClient
	for range clients {
		c := connect(t, srv.URL, "")
		defer c.close()
		cs = append(cs, c)
	}
	ev := load(t, "putin-modi-2018-01-03.json")
	for v := 1; v <= burst; v++ {
		ev.Version = v
		hub.Publish(ev)
	}
	for i, c := range cs {
		for v := 1; v <= burst; v++ {
			if m := c.next(t); m.id != fmt.Sprintf("call-2018-01-03-Q1058-Q7747@v%d", v) {
				t.Fatalf("client %d: message %q (%s), want version %d", i, m.id, m.event, v)
			}
		}
	}
}

// A client that falls further behind than the buffer holds is told why and
// disconnected; it resumes with Last-Event-ID and is told what is missing.
func TestSSELaggingClientIsToldAndResumes(t *testing.T) {
	const ring, burst = 4, 64
	hub := New(Options{RingSize: ring})
	srv := httptest.NewServer(hub.SSEHandler())
	defer srv.Close()
	c := connect(t, srv.URL, "")
	defer c.close()
	// 1 MiB messages: the socket buffers fill long before the burst ends, so
	// the handler is stuck behind a client that reads nothing meanwhile.
	ev := load(t, "putin-modi-2018-01-03.json")
	ev.Evidence = []model.Evidence{{Kind: "call", Text: strings.Repeat("x", 1<<20)}}
	for v := 1; v <= burst; v++ {
		ev.Version = v
		hub.Publish(ev)
	}
	var last string
	var rs Reset
	for {
		m := c.next(t)
		if m.event == SSEResetEvent {
			if err := json.Unmarshal([]byte(m.data), &rs); err != nil {
				t.Fatal(err)
			}
			break
		}
		last = m.id
	}
	if last == "" || rs.Reason != ResetLagged || rs.LastEventID != last || rs.Oldest == "" || rs.Detail == "" {
		t.Fatalf("after %q: reset %+v", last, rs)
	}
	if _, err := c.r.ReadString('\n'); err == nil {
		t.Fatal("the stream goes on after a lagged reset")
	}
	r := connect(t, srv.URL, rs.LastEventID)
	defer r.close()
	if m := r.next(t); m.event != SSEResetEvent || !strings.Contains(m.data, `"reason":"expired"`) {
		t.Fatalf("resumed: %s %s", m.event, m.data[:min(len(m.data), 200)])
	}
	for v := burst - ring + 1; v <= burst; v++ {
		if m := r.next(t); m.id != fmt.Sprintf("call-2018-01-03-Q1058-Q7747@v%d", v) {
			t.Fatalf("resumed message %q, want version %d", m.id, v)
		}
	}
}

// Streams outlive the server's ReadTimeout and WriteTimeout: the handler
// sets its own deadlines.
func TestSSEOutlivesServerTimeouts(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewUnstartedServer(hub.SSEHandler())
	srv.Config.ReadTimeout = 50 * time.Millisecond
	srv.Config.WriteTimeout = 50 * time.Millisecond
	srv.Start()
	defer srv.Close()
	c := connect(t, srv.URL, "")
	defer c.close()
	time.Sleep(300 * time.Millisecond) // past both timeouts
	hub.Publish(load(t, "putin-modi-2018-01-03.json"))
	if m := c.next(t); m.id != "call-2018-01-03-Q1058-Q7747@v1" {
		t.Fatalf("message %q", m.id)
	}
}

// The Atom self link is the configured public URL or the request path,
// never a URL built from the client's Host header.
func TestAtomSelfLinkIgnoresHost(t *testing.T) {
	for _, configured := range []string{"", "https://readout.example/events.atom"} {
		hub := New(Options{SelfURL: configured})
		srv := httptest.NewServer(hub.AtomHandler())
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/events.atom", nil)
		req.Host = "attacker.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := (&atom.Parser{}).Parse(resp.Body)
		resp.Body.Close()
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := configured
		if want == "" {
			want = "/events.atom"
		}
		if len(feed.Links) != 1 || feed.Links[0].Rel != "self" || feed.Links[0].Href != want {
			t.Errorf("configured %q: links %+v, want self %q", configured, feed.Links, want)
		}
	}
}

func TestSSEClientGoneUnsubscribes(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.SSEHandler())
	defer srv.Close()
	c := connect(t, srv.URL, "")
	if hub.Subscribers() != 1 {
		t.Fatalf("subscribers = %d", hub.Subscribers())
	}
	c.close()
	deadline := time.Now().Add(5 * time.Second)
	for hub.Subscribers() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("handler did not notice the client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func BenchmarkPublish(b *testing.B) {
	hub := New(Options{})
	ev := load(b, "putin-modi-2018-01-03.json")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.Version = i + 1
		hub.Publish(ev)
	}
}

func TestAtomRelatedLinks(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.AtomHandler())
	defer srv.Close()
	hub.Publish(load(t, "putin-trump-2017-01-28.json"))
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	feed, err := (&atom.Parser{}).Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("entries %d", len(feed.Entries))
	}
	e := feed.Entries[0]
	if len(e.Links) != 2 || e.Links[0].Rel != "alternate" || e.Links[1].Rel != "related" ||
		e.Links[1].Href != "https://www.whitehouse.gov/the-press-office/2017/01/28/readout-presidents-call-russian-president-vladimir-putin" ||
		e.Links[1].Title != "whitehouse.gov" {
		t.Errorf("links %+v", e.Links)
	}
	if e.Categories[0].Term != "terrorism" || e.Categories[0].Scheme != "urn:readout:topic" {
		t.Errorf("category %+v", e.Categories[0])
	}
	if e.Published != "2017-01-28T19:33:00Z" || len(feed.Authors) != 1 || feed.Authors[0].Name != "Readout" {
		t.Errorf("published %q authors %+v", e.Published, feed.Authors)
	}
}

func TestMemoryBounded(t *testing.T) {
	hub := New(Options{FeedSize: 2, RingSize: 3})
	ev := load(t, "putin-modi-2018-01-03.json")
	base := ev.UpdatedAt
	for i := range 100 {
		e := *ev
		e.ID = fmt.Sprintf("call-%03d", i)
		e.UpdatedAt = base.Add(time.Duration(i) * time.Minute)
		hub.Publish(&e)
	}
	hub.mu.Lock()
	events, ring := len(hub.events), len(hub.ring)
	hub.mu.Unlock()
	if events >= 16 || ring >= 6 {
		t.Errorf("events %d, ring %d: not bounded", events, ring)
	}
	latest := hub.Latest(2)
	if len(latest) != 2 || latest[0].ID != "call-099" || latest[1].ID != "call-098" {
		t.Errorf("latest %v", latest)
	}
	pos, expired := hub.position("call-000@v1") // long gone: the whole ring, RingSize messages
	backlog, _, lagged := hub.since(pos)
	if !expired || lagged || len(backlog) != 3 || backlog[2].id != "call-099@v1" {
		t.Errorf("expired %v lagged %v backlog %d, last %v", expired, lagged, len(backlog), backlog)
	}
}
