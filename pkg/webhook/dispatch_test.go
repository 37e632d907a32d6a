package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/readout/readout/pkg/model"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.example/readout":                          "https://hooks.example/readout",
		"https://user:hunter2@hooks.example/readout":             "https://hooks.example/readout",
		"https://hooks.example/readout?token=abc&x=1":            "https://hooks.example/readout?REDACTED",
		"https://tok@hooks.example:8443/a/b?sig=zzz#frag":        "https://hooks.example:8443/a/b?REDACTED",
		"http://[::1]:9/hook":                                    "http://[::1]:9/hook",
		"https://hooks.example/%zz":                              "(unparsable url)",
		"https://u:p@hooks.example/hook?access_token=t0ps3cr3t#": "https://hooks.example/hook?REDACTED",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Credentials in a subscriber URL (user info, query tokens) reach the
// receiver but never an error, the stored state or a dead letter.
func TestURLSecretsStayOutOfErrorsAndDeadLetters(t *testing.T) {
	const password, token = "hunter2-pw", "t0k3n-in-query"
	var gotAuth, gotToken string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		_, gotAuth, _ = r.BasicAuth()
		gotToken = r.URL.Query().Get("token")
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // connection refused: a transport error that names the URL
	withSecrets := func(base string) string {
		return strings.Replace(base, "http://", "http://readout:"+password+"@", 1) + "/hook?token=" + token
	}
	ctx := context.Background()
	dls := &deadLetters{}
	opts := fast
	opts.MaxAttempts = 2
	opts.DeadLetters = dls
	state := &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}
	subs := []Subscriber{
		{Name: "status", URL: withSecrets(srv.URL), Secret: []byte("k"), AllowPrivate: true},
		{Name: "refused", URL: withSecrets(closed.URL), Secret: []byte("k"), AllowPrivate: true},
	}
	for _, s := range subs {
		if strings.Contains(s.String(), password) || strings.Contains(s.String(), token) {
			t.Errorf("Subscriber.String() = %q", s.String())
		}
	}
	d, err := NewDispatcher(ctx, subs, state, opts)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both dead-lettered", func() bool { return len(dls.list()) == 2 })
	mu.Lock()
	if gotAuth != password || gotToken != token {
		t.Errorf("the receiver got password %q and token %q: credentials must still be sent", gotAuth, gotToken)
	}
	mu.Unlock()
	for _, dl := range dls.list() {
		raw, _ := json.Marshal(dl)
		if strings.Contains(string(raw), password) || strings.Contains(string(raw), token) {
			t.Errorf("dead letter carries a URL secret: %s", dl.Error)
		}
		if !strings.Contains(dl.Error, "REDACTED") {
			t.Errorf("dead letter error %q does not name the (redacted) URL", dl.Error)
		}
	}
	// Every failed attempt's error went through the state file too.
	raw, err := os.ReadFile(state.Path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), password) || strings.Contains(string(raw), token) {
		t.Errorf("state file carries a URL secret")
	}
	_, err = Config{Subscribers: []SubscriberConfig{{Name: "a", URL: "ftp://u:" + password + "@x.example/?token=" + token, Secret: "s"}}}.Resolve("", nil)
	if err == nil || strings.Contains(err.Error(), password) || strings.Contains(err.Error(), token) {
		t.Errorf("config error %v", err)
	}
}

// blockingSink is a dead-letter sink that holds each call until released.
type blockingSink struct {
	entered chan model.DeadLetter
	release chan error
}

func (b *blockingSink) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	b.entered <- dl
	select {
	case err := <-b.release:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A dead letter being written (a slow Kafka) blocks neither other
// subscribers' deliveries nor Enqueue, Pending and Stats.
func TestSlowDeadLetterSinkBlocksNobodyElse(t *testing.T) {
	ctx := context.Background()
	gone := newReceiver(t, "k", always(http.StatusGone))
	ok := newReceiver(t, "k", always(http.StatusOK))
	sink := &blockingSink{entered: make(chan model.DeadLetter, 1), release: make(chan error)}
	opts := fast
	opts.DeadLetters = sink
	d, err := NewDispatcher(ctx, []Subscriber{
		{Name: "gone", URL: gone.srv.URL, Secret: []byte("k"), AllowPrivate: true, Filter: Filter{Countries: []string{"IN"}}},
		{Name: "ok", URL: ok.srv.URL, Secret: []byte("k"), AllowPrivate: true, Filter: Filter{Countries: []string{"US"}}},
	}, &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	dl := <-sink.entered // the "gone" worker is now inside the sink
	if dl.Reason != ReasonRejected {
		t.Fatalf("dead letter %+v", dl)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if n, err := d.Enqueue(ctx, load(t, "putin-trump-2017-01-28.json")); n != 1 || err != nil {
			t.Errorf("Enqueue while a dead letter is written: %d, %v", n, err)
		}
		_ = d.Pending("gone")
		_ = d.Stats()
	}()
	waitFor(t, "Enqueue, Pending and Stats while the sink blocks", func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	waitFor(t, "the other subscriber's delivery while the sink blocks", func() bool { return len(ok.requests()) == 1 })
	if d.Pending("gone") != 1 {
		t.Errorf("the delivery being dead-lettered left the queue before its dead letter was written")
	}
	sink.release <- nil
	waitFor(t, "dead letter written", func() bool { return d.Pending("gone") == 0 && d.Stats().DeadLettered == 1 })
}

// A dead letter that cannot be written keeps the delivery queued: it is
// tried again, and dead-lettered once the sink works.
func TestFailedDeadLetterKeepsDelivery(t *testing.T) {
	ctx := context.Background()
	gone := newReceiver(t, "k", always(http.StatusGone))
	sink := &blockingSink{entered: make(chan model.DeadLetter, 1), release: make(chan error)}
	opts := fast
	opts.DeadLetters = sink
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "gone", URL: gone.srv.URL, Secret: []byte("k"), AllowPrivate: true}},
		&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	<-sink.entered
	sink.release <- errors.New("kafka: leader not available")
	<-sink.entered // tried again: the delivery was kept
	if d.Pending("gone") != 1 || d.Stats().DeadLettered != 0 {
		t.Errorf("after a failed dead letter: pending %d, stats %+v", d.Pending("gone"), d.Stats())
	}
	sink.release <- nil
	waitFor(t, "dead-lettered", func() bool { return d.Stats().DeadLettered == 1 && d.Pending("gone") == 0 })
	if n := len(gone.requests()); n != 2 {
		t.Errorf("%d requests, want 2 (the first, and one more after the failed dead letter)", n)
	}
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	flaky := newReceiver(t, "k", func(n int) int {
		if n == 1 {
			return http.StatusBadGateway
		}
		return http.StatusOK
	})
	gone := newReceiver(t, "k", always(http.StatusGone))
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	opts := fast
	opts.Metrics = m
	opts.DeadLetters = &deadLetters{}
	d, err := NewDispatcher(ctx, []Subscriber{
		{Name: "flaky", URL: flaky.srv.URL, Secret: []byte("k"), AllowPrivate: true},
		{Name: "gone", URL: gone.srv.URL, Secret: []byte("k"), AllowPrivate: true},
		{Name: "idle", URL: gone.srv.URL, Secret: []byte("k"), AllowPrivate: true, Filter: Filter{Countries: []string{"FR"}}},
	}, &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Every series exists before anything happened, so rate() and alerts see a zero.
	if n := testutil.CollectAndCount(m.Deliveries); n != 9 {
		t.Errorf("%d delivery series at start, want 3 subscribers x 3 outcomes", n)
	}
	if n := testutil.CollectAndCount(m.DeadLetters); n != len(DeadLetterReasons) {
		t.Errorf("%d dead-letter series at start, want %d", n, len(DeadLetterReasons))
	}
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.Pending.WithLabelValues("flaky")); got != 1 {
		t.Errorf("pending flaky = %v before Run", got)
	}
	running(t, d)
	waitFor(t, "outcomes", func() bool { s := d.Stats(); return s.Delivered == 1 && s.DeadLettered == 1 })
	for _, c := range []struct {
		sub, outcome string
		want         float64
	}{
		{"flaky", OutcomeFailed, 1}, {"flaky", OutcomeDelivered, 1}, {"flaky", OutcomeDeadLettered, 0},
		{"gone", OutcomeFailed, 1}, {"gone", OutcomeDelivered, 0}, {"gone", OutcomeDeadLettered, 1},
		{"idle", OutcomeFailed, 0},
	} {
		if got := testutil.ToFloat64(m.Deliveries.WithLabelValues(c.sub, c.outcome)); got != c.want {
			t.Errorf("deliveries{%s,%s} = %v, want %v", c.sub, c.outcome, got, c.want)
		}
	}
	for _, sub := range []string{"flaky", "gone", "idle"} {
		if got := testutil.ToFloat64(m.Pending.WithLabelValues(sub)); got != 0 {
			t.Errorf("pending{%s} = %v after the outcomes", sub, got)
		}
	}
	if got := testutil.ToFloat64(m.DeadLetters.WithLabelValues(ReasonRejected)); got != 1 {
		t.Errorf("dead letters{rejected} = %v", got)
	}
}

// Enqueue returns only once the state is durable; a failed save is an
// error (the caller does not commit) and is saved by the next Enqueue.
func TestEnqueueFailsUntilStateIsSaved(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "not-yet")
	store := &FileStore{Path: filepath.Join(dir, "state.json")}
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: "http://127.0.0.1:1/", Secret: []byte("k"), AllowPrivate: true}}, store, fast)
	if err != nil {
		t.Fatal(err)
	}
	ev := load(t, "putin-modi-2018-01-03.json")
	if _, err := d.Enqueue(ctx, ev); err == nil {
		t.Fatal("Enqueue succeeded though the state could not be saved")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The redelivered event is already pending in memory; its state is saved now.
	if _, err := d.Enqueue(ctx, ev); err != nil {
		t.Fatal(err)
	}
	st, err := (&FileStore{Path: store.Path}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Subscribers["r"].Pending; len(p) != 1 || p[0].EventID != ev.ID {
		t.Errorf("saved pending %+v", p)
	}
	if d.Stats().SaveFailures != 1 {
		t.Errorf("stats %+v", d.Stats())
	}
}

func TestOversizedEventIsDeadLettered(t *testing.T) {
	ctx := context.Background()
	dls := &deadLetters{}
	opts := fast
	opts.DeadLetters = dls
	opts.MaxBodyBytes = 200
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: "http://127.0.0.1:1/", Secret: []byte("k"), AllowPrivate: true}},
		&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ev := load(t, "putin-modi-2018-01-03.json")
	if n, err := d.Enqueue(ctx, ev); n != 0 || err != nil {
		t.Fatalf("Enqueue = %d, %v", n, err)
	}
	got := dls.list()
	if len(got) != 1 || got[0].Reason != ReasonTooLarge || got[0].Key != ev.ID || got[0].PayloadBytes <= 200 || d.Pending("r") != 0 {
		t.Errorf("dead letters %+v, pending %d", got, d.Pending("r"))
	}
}

// State written by versions that kept the body base64-encoded still loads.
func TestFileStoreReadsLegacyBodies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "webhooks.json")
	legacy := `{"subscribers":{"r":{"delivered":{},"pending":[{"event_id":"call-1","version":2,` +
		`"body":"eyJpZCI6ImNhbGwtMSJ9","attempts":3,"next_attempt":"2018-01-03T00:00:00Z","enqueued_at":"2018-01-03T00:00:00Z"}]}}}`
	if err := os.WriteFile(path, []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := (&FileStore{Path: path}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := st.Subscribers["r"].Pending
	if len(p) != 1 || string(p[0].Body) != `{"id":"call-1"}` || p[0].Attempts != 3 {
		t.Errorf("pending %+v", p)
	}
}

func TestEntries(t *testing.T) {
	for _, c := range [][2]string{{"a", "call-1"}, {"desk/ru", "call/2"}, {"ü", "%"}} {
		sub, id, err := ParseEntryKey(EntryKey(c[0], c[1]))
		if err != nil || sub != c[0] || id != c[1] {
			t.Errorf("key round trip of %q: %q %q %v", c, sub, id, err)
		}
	}
	for _, bad := range []string{"", "no-slash", "/x", "x/", "%zz/x"} {
		if _, _, err := ParseEntryKey(bad); err == nil {
			t.Errorf("ParseEntryKey(%q) accepted", bad)
		}
	}
	at := time.Date(2018, 1, 3, 0, 0, 0, 0, time.UTC)
	st := NewState()
	st.Apply(Entry{Subscriber: "a", EventID: "e1", Acked: &Acked{Version: 1, At: at}})
	st.Apply(Entry{Subscriber: "a", EventID: "e2", Pending: &Delivery{EventID: "e2", Version: 3, Body: []byte(`{}`)}})
	st.Apply(Entry{Subscriber: "a", EventID: "e2", Acked: &Acked{Version: 2, At: at}, Pending: &Delivery{EventID: "e2", Version: 4, Body: []byte(`{}`)}})
	st.Apply(Entry{Subscriber: "b", EventID: "e3", Pending: &Delivery{EventID: "e3", Version: 1}})
	st.Apply(Entry{Subscriber: "b", EventID: "e3"}) // tombstone
	st.Apply(Entry{Subscriber: "c", EventID: "e4"}) // tombstone of nothing
	if len(st.Subscribers["a"].Pending) != 1 || st.Subscribers["a"].Pending[0].Version != 4 || st.Subscribers["a"].Delivered["e2"].Version != 2 {
		t.Errorf("a: %+v", st.Subscribers["a"])
	}
	if len(st.Subscribers["b"].Pending) != 0 || st.Subscribers["c"] != nil {
		t.Errorf("tombstones: b %+v, c %+v", st.Subscribers["b"], st.Subscribers["c"])
	}
	// Entries rebuild the same state.
	again := NewState()
	for _, e := range st.Entries() {
		again.Apply(e)
	}
	a, _ := json.Marshal(st.Subscribers["a"])
	b, _ := json.Marshal(again.Subscribers["a"])
	if string(a) != string(b) || len(st.Entries()) != 2 {
		t.Errorf("entries round trip: %s vs %s (%d entries)", a, b, len(st.Entries()))
	}
}
