package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

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

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// receiver is a real HTTP endpoint that verifies signatures and answers
// with the status its respond function picks.
type receiver struct {
	srv    *httptest.Server
	secret []byte

	mu      sync.Mutex
	got     []received
	respond func(n int) int // n counts requests from 1
}

type received struct {
	eventID, delivery string
	version, attempt  int
	validSig          bool
	ts                int64
	body              []byte
}

func newReceiver(t *testing.T, secret string, respond func(n int) int) *receiver {
	r := &receiver{secret: []byte(secret), respond: respond}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var ev model.LeaderCall
		_ = json.Unmarshal(body, &ev)
		attempt, _ := strconv.Atoi(req.Header.Get(HeaderAttempt))
		ts, _ := strconv.ParseInt(req.Header.Get(HeaderTimestamp), 10, 64)
		r.mu.Lock()
		r.got = append(r.got, received{
			eventID:  ev.ID,
			delivery: req.Header.Get(HeaderID),
			version:  ev.Version, attempt: attempt, ts: ts, body: body,
			validSig: req.Method == http.MethodPost && req.Header.Get("Content-Type") == "application/json" &&
				Verify(r.secret, req.Header, body, time.Now(), 0) == nil,
		})
		status := r.respond(len(r.got))
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) setRespond(f func(int) int) {
	r.mu.Lock()
	r.respond = f
	r.mu.Unlock()
}

func always(code int) func(int) int { return func(int) int { return code } }

type deadLetters struct {
	mu  sync.Mutex
	got []model.DeadLetter
}

func (d *deadLetters) DeadLetter(_ context.Context, dl model.DeadLetter) error {
	d.mu.Lock()
	d.got = append(d.got, dl)
	d.mu.Unlock()
	return nil
}

func (d *deadLetters) list() []model.DeadLetter {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]model.DeadLetter(nil), d.got...)
}

// running starts d.Run and returns a stop function that waits for it to end.
func running(t *testing.T, d *Dispatcher) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

var fast = Options{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

func TestSignVerify(t *testing.T) {
	body := []byte(`{"id":"call-2018-01-03-Q1058-Q7747","version":1}`)
	const id, ts = "call-2018-01-03-Q1058-Q7747@v1", 1514987400 // 2018-01-03T13:50:00Z
	sig := Sign([]byte("s3cret"), id, ts, body)
	// Known answer, computed independently:
	//   printf %s "$id.1514987400.$body" | openssl dgst -sha256 -hmac s3cret -binary | base64
	if sig != "v1,V+bPttcq/O2XO6Yau1aLzPbp5wyGSS22+NGU1nnjK7k=" {
		t.Fatalf("signature %q", sig)
	}
	headers := func(id, ts, sig string) http.Header {
		h := http.Header{}
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		return h
	}
	sent := time.Unix(ts, 0)
	tests := []struct {
		name   string
		secret string
		body   []byte
		header http.Header
		now    time.Time
		want   error
	}{
		{"valid", "s3cret", body, headers(id, "1514987400", sig), sent.Add(10 * time.Second), nil},
		{"valid, receiver clock a little behind", "s3cret", body, headers(id, "1514987400", sig), sent.Add(-time.Minute), nil},
		{"valid among others (key rotation)", "s3cret", body, headers(id, "1514987400", "v1,bm9wZQ== "+sig), sent, nil},
		{"wrong secret", "other", body, headers(id, "1514987400", sig), sent, ErrBadSignature},
		{"tampered body", "s3cret", append(append([]byte(nil), body...), ' '), headers(id, "1514987400", sig), sent, ErrBadSignature},
		// Moving the timestamp forward to replay a captured request breaks the signature.
		{"tampered timestamp", "s3cret", body, headers(id, "1514990000", sig), time.Unix(1514990000, 0), ErrBadSignature},
		// So does a new id, to get past the receiver's deduplication within the tolerance.
		{"replayed under another id", "s3cret", body, headers("call-2018-01-03-Q1058-Q7747@v1-again", "1514987400", sig), sent, ErrBadSignature},
		{"replayed an hour later", "s3cret", body, headers(id, "1514987400", sig), sent.Add(time.Hour), ErrStaleTimestamp},
		{"timestamp far in the future", "s3cret", body, headers(id, "1514987400", sig), sent.Add(-time.Hour), ErrStaleTimestamp},
		{"no id", "s3cret", body, headers("", "1514987400", sig), sent, ErrNoID},
		{"no timestamp", "s3cret", body, headers(id, "", sig), sent, ErrBadTimestamp},
		{"no version", "s3cret", body, headers(id, "1514987400", sig[len("v1,"):]), sent, ErrBadSignature},
		{"not base64", "s3cret", body, headers(id, "1514987400", "v1,!!"), sent, ErrBadSignature},
		{"empty", "s3cret", body, headers(id, "1514987400", ""), sent, ErrBadSignature},
		// The signatures of earlier versions (hex, over the timestamp and body only) are not accepted.
		{"X-Readout-Signature of earlier versions", "s3cret", body, headers(id, "1514987400", "sha256=c9afdbea219cbd5ccbc730c4ab43f5712048f596c590ccc176b27dcca1d594b8"), sent, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]byte(tt.secret), tt.header, tt.body, tt.now, 0)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// A "whsec_" secret is keyed as the Standard Webhooks libraries key it: the
// specification's published test vector.
func TestStandardWebhooksTestVector(t *testing.T) {
	secret := []byte("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	body := []byte(`{"test": 2432232314}`)
	sig := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
	if sig != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature %q", sig)
	}
	h := http.Header{}
	h.Set(HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set(HeaderTimestamp, "1614265330")
	h.Set(HeaderSignature, sig)
	if err := Verify(secret, h, body, time.Unix(1614265330, 0), 0); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfig(t *testing.T) {
	env := map[string]string{"NEWSROOM_WEBHOOK_SECRET": "env-secret"}
	subs, err := LoadConfig("testdata/subscribers.yaml", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"newsroom": "env-secret", "archive": "file-secret", "russia-desk": "inline-secret-for-dev"}
	if len(subs) != 3 {
		t.Fatalf("subscribers %d", len(subs))
	}
	for _, s := range subs {
		if string(s.Secret) != want[s.Name] {
			t.Errorf("%s secret %q, want %q", s.Name, s.Secret, want[s.Name])
		}
	}
	if _, err := LoadConfig("testdata/subscribers.yaml", func(string) string { return "" }); !errors.Is(err, ErrNoSecret) {
		t.Errorf("missing env: err = %v", err)
	}

	bad := []struct {
		name string
		sc   SubscriberConfig
		want error
	}{
		{"no name", SubscriberConfig{URL: "https://x.example/", Secret: "s"}, ErrNoName},
		{"relative url", SubscriberConfig{Name: "a", URL: "/hook", Secret: "s"}, ErrBadURL},
		{"ftp url", SubscriberConfig{Name: "a", URL: "ftp://x.example/", Secret: "s"}, ErrBadURL},
		{"no secret", SubscriberConfig{Name: "a", URL: "https://x.example/"}, ErrNoSecret},
		{"two secrets", SubscriberConfig{Name: "a", URL: "https://x.example/", Secret: "s", SecretEnv: "E"}, ErrTwoSecrets},
		{"missing file", SubscriberConfig{Name: "a", URL: "https://x.example/", SecretFile: "nope"}, ErrNoSecret},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Config{Subscribers: []SubscriberConfig{tt.sc}}.Resolve("testdata", nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	dup := Config{Subscribers: []SubscriberConfig{
		{Name: "a", URL: "https://x.example/", Secret: "s"}, {Name: "a", URL: "https://y.example/", Secret: "s"},
	}}
	if _, err := dup.Resolve("", nil); !errors.Is(err, ErrDupName) {
		t.Errorf("dup: err = %v", err)
	}
}

func TestFilterMatch(t *testing.T) {
	trump := load(t, "putin-trump-2017-01-28.json")
	modi := load(t, "putin-modi-2018-01-03.json")
	tests := []struct {
		name        string
		f           Filter
		trump, modi bool
	}{
		{"empty matches all", Filter{}, true, true},
		{"country us", Filter{Countries: []string{"us"}}, true, false},
		{"country ru", Filter{Countries: []string{"RU"}}, true, true},
		{"participant modi", Filter{Participants: []string{"Q1058"}}, false, true},
		{"topic syria", Filter{Topics: []string{"syria"}}, true, false},
		{"announced only", Filter{Statuses: []string{model.StatusAnnounced}}, false, false},
		{"all conditions", Filter{Countries: []string{"IN"}, Topics: []string{"bilateral"}, Statuses: []string{"held"}}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Match(trump); got != tt.trump {
				t.Errorf("trump: %v", got)
			}
			if got := tt.f.Match(modi); got != tt.modi {
				t.Errorf("modi: %v", got)
			}
		})
	}
}

func TestDeliverSigned(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t, "k1", always(http.StatusNoContent))
	other := newReceiver(t, "k2", always(http.StatusOK))
	subs := []Subscriber{
		{Name: "all", URL: rcv.srv.URL, Secret: []byte("k1"), AllowPrivate: true},
		{Name: "india-only", URL: other.srv.URL, Secret: []byte("k2"), AllowPrivate: true, Filter: Filter{Countries: []string{"IN"}}},
	}
	d, err := NewDispatcher(ctx, subs, &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, fast)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	ev := load(t, "putin-trump-2017-01-28.json")
	if n, err := d.Enqueue(ctx, ev); err != nil || n != 1 {
		t.Fatalf("Enqueue = %d, %v", n, err)
	}
	waitFor(t, "delivery", func() bool { return d.Stats().Delivered == 1 })
	got := rcv.requests()
	if len(got) != 1 {
		t.Fatalf("requests %d", len(got))
	}
	r := got[0]
	if !r.validSig || r.eventID != ev.ID || r.version != 2 || r.attempt != 1 || r.delivery != ev.ID+"@v2" {
		t.Errorf("request %+v", r)
	}
	if age := time.Since(time.Unix(r.ts, 0)); age < -time.Minute || age > time.Minute {
		t.Errorf("timestamp header %d is not now", r.ts)
	}
	var body model.LeaderCall
	if err := json.Unmarshal(r.body, &body); err != nil || body.ID != ev.ID || len(body.Sources) != 2 {
		t.Errorf("body %+v %v", body, err)
	}
	if len(other.requests()) != 0 || d.Pending("india-only") != 0 {
		t.Error("filtered subscriber got the event")
	}
	// The same version again (a Kafka replay) is not delivered twice.
	if n, _ := d.Enqueue(ctx, ev); n != 0 {
		t.Errorf("re-enqueue of an acknowledged version queued %d", n)
	}
}

func TestRetryUntilSuccess(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t, "k", func(n int) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	dls := &deadLetters{}
	opts := fast
	opts.DeadLetters = dls
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: rcv.srv.URL, Secret: []byte("k"), AllowPrivate: true}},
		&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "delivery after retries", func() bool { return d.Stats().Delivered == 1 })
	got := rcv.requests()
	if len(got) != 4 {
		t.Fatalf("requests %d, want 4", len(got))
	}
	for i, r := range got {
		if r.attempt != i+1 || !r.validSig || r.version != 1 {
			t.Errorf("request %d: %+v", i, r)
		}
	}
	if s := d.Stats(); s.Failures != 3 || s.DeadLettered != 0 || d.Pending("r") != 0 || len(dls.list()) != 0 {
		t.Errorf("stats %+v pending %d", s, d.Pending("r"))
	}
}

func TestDeadLetters(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		requests int
		reason   string
	}{
		{"exhausted on 503", http.StatusServiceUnavailable, 3, ReasonExhausted},
		{"retried on 429", http.StatusTooManyRequests, 3, ReasonExhausted},
		{"rejected on 410", http.StatusGone, 1, ReasonRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			rcv := newReceiver(t, "k", always(tt.status))
			dls := &deadLetters{}
			opts := fast
			opts.MaxAttempts = 3
			opts.DeadLetters = dls
			d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: rcv.srv.URL, Secret: []byte("k"), AllowPrivate: true}},
				&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
			if err != nil {
				t.Fatal(err)
			}
			running(t, d)
			ev := load(t, "putin-modi-2018-01-03.json")
			d.Enqueue(ctx, ev)
			waitFor(t, "dead letter", func() bool { return len(dls.list()) == 1 })
			dl := dls.list()[0]
			if dl.Reason != tt.reason || dl.Stage != StageDeliver || dl.Source != "r" || dl.Key != ev.ID || len(dl.Payload) == 0 {
				t.Errorf("dead letter %+v", dl)
			}
			if n := len(rcv.requests()); n != tt.requests {
				t.Errorf("requests %d, want %d", n, tt.requests)
			}
			if d.Pending("r") != 0 {
				t.Error("dead-lettered delivery still pending")
			}
		})
	}
}

func TestRestartResumesPendingWithoutDuplicates(t *testing.T) {
	ctx := context.Background()
	state := &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}
	rcv := newReceiver(t, "k", always(http.StatusBadGateway))
	subs := []Subscriber{{Name: "r", URL: rcv.srv.URL, Secret: []byte("k"), AllowPrivate: true}}
	opts := fast
	opts.MaxAttempts = 1000

	trump := load(t, "putin-trump-2017-01-28.json")
	modi := load(t, "putin-modi-2018-01-03.json")

	// First life: modi is delivered, trump keeps failing.
	rcv.setRespond(func(n int) int {
		if n == 1 {
			return http.StatusOK
		}
		return http.StatusBadGateway
	})
	d1, err := NewDispatcher(ctx, subs, state, opts)
	if err != nil {
		t.Fatal(err)
	}
	d1.Enqueue(ctx, modi)
	stop := running(t, d1)
	waitFor(t, "modi delivered", func() bool { return d1.Stats().Delivered == 1 })
	d1.Enqueue(ctx, trump)
	waitFor(t, "failed trump attempts", func() bool { return d1.Stats().Failures >= 2 })
	stop()

	// Second life: the receiver recovers; the pending trump delivery resumes.
	// A new endpoint under the same subscriber name: state is keyed by name, and
	// a request d1 had in flight when it stopped cannot be mistaken for d2's.
	rcv2 := newReceiver(t, "k", always(http.StatusOK))
	subs2 := []Subscriber{{Name: "r", URL: rcv2.srv.URL, Secret: []byte("k"), AllowPrivate: true}}
	d2, err := NewDispatcher(ctx, subs2, state, opts)
	if err != nil {
		t.Fatal(err)
	}
	if d2.Pending("r") != 1 {
		t.Fatalf("pending after restart = %d, want 1", d2.Pending("r"))
	}
	// Replays of what was already acknowledged are not queued again.
	if n, _ := d2.Enqueue(ctx, modi); n != 0 {
		t.Errorf("acknowledged modi v1 re-queued after restart")
	}
	running(t, d2)
	waitFor(t, "trump delivered after restart", func() bool { return d2.Stats().Delivered == 1 })
	got := rcv2.requests()
	if len(got) != 1 || got[0].eventID != trump.ID || got[0].version != 2 || got[0].attempt < 3 || !got[0].validSig {
		t.Fatalf("after restart: %d requests, first %+v", len(got), got[0].delivery)
	}
	// An update of an acknowledged event is delivered.
	modi.Version = 2
	if n, _ := d2.Enqueue(ctx, modi); n != 1 {
		t.Fatalf("modi v2 not queued")
	}
	waitFor(t, "modi v2", func() bool { return d2.Stats().Delivered == 2 })
	count := func(r *receiver) map[string]int {
		seen := map[string]int{}
		for _, q := range r.requests() {
			seen[q.delivery]++
		}
		return seen
	}
	first, second := count(rcv), count(rcv2)
	if first[modi.ID+"@v1"] != 1 || second[modi.ID+"@v1"] != 0 || second[modi.ID+"@v2"] != 1 || second[trump.ID+"@v2"] != 1 {
		t.Errorf("deliveries before restart %v, after %v: each version exactly once", first, second)
	}
}

func TestPendingUpdateReplacesOlderVersion(t *testing.T) {
	ctx := context.Background()
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: "http://127.0.0.1:1/", Secret: []byte("k"), AllowPrivate: true}},
		&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, fast)
	if err != nil {
		t.Fatal(err)
	}
	ev := load(t, "putin-modi-2018-01-03.json")
	for _, v := range []int{1, 3, 2} {
		ev.Version = v
		d.Enqueue(ctx, ev)
	}
	st, err := d.store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := st.Subscribers["r"].Pending
	if len(p) != 1 || p[0].Version != 3 {
		t.Fatalf("pending %+v, want only v3", p)
	}
}

func TestFileStoreCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDispatcher(context.Background(), nil, &FileStore{Path: path}, Options{}); err == nil {
		t.Fatal("corrupt state accepted")
	}
	if _, err := NewDispatcher(context.Background(), nil, nil, Options{}); !errors.Is(err, ErrNoStore) {
		t.Fatalf("nil store: %v", err)
	}
}

func TestBackoffBounds(t *testing.T) {
	d := &Dispatcher{opts: Options{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}}
	for attempts, full := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		for range 50 {
			if got := d.backoff(attempts); got < full/2 || got > full {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", attempts, got, full/2, full)
			}
		}
	}
}

func TestOldAcksArePruned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.json")
	old := &State{Subscribers: map[string]*SubscriberState{"r": {Delivered: map[string]Acked{
		"call-2017-01-28-Q22686-Q7747": {Version: 2, At: time.Now().Add(-100 * 24 * time.Hour)},
		"call-2018-01-03-Q1058-Q7747":  {Version: 1, At: time.Now().Add(-time.Hour)},
	}}}}
	store := &FileStore{Path: path}
	if err := store.Save(ctx, old.Entries()); err != nil {
		t.Fatal(err)
	}
	rcv := newReceiver(t, "k", always(http.StatusOK))
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: rcv.srv.URL, Secret: []byte("k"), AllowPrivate: true}}, store, fast)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	modi := load(t, "putin-modi-2018-01-03.json")
	modi.Version = 2
	d.Enqueue(ctx, modi)
	var acks map[string]Acked
	waitFor(t, "acknowledgement saved", func() bool {
		st, err := (&FileStore{Path: path}).Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		acks = st.Subscribers["r"].Delivered
		return acks["call-2018-01-03-Q1058-Q7747"].Version == 2
	})
	if _, ok := acks["call-2017-01-28-Q22686-Q7747"]; ok || acks["call-2018-01-03-Q1058-Q7747"].Version != 2 {
		t.Errorf("acks after prune: %+v", acks)
	}
}
