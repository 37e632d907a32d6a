package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/readout/readout/pkg/outbound"
)

// A subscriber that answers with a redirect does not get its delivery moved
// elsewhere, signature and all: the attempt fails, is not counted as
// delivered, and the delivery is dead-lettered with the reason at once.
func TestRedirectIsNotFollowed(t *testing.T) {
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			var stolen atomic.Int32
			thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }))
			defer thief.Close()
			var asked atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked.Add(1)
				http.Redirect(w, r, thief.URL+"/collect?token=t0k3n", code)
			}))
			defer srv.Close()
			ctx := context.Background()
			dls := &deadLetters{}
			opts := fast
			opts.DeadLetters = dls
			d, err := NewDispatcher(ctx, []Subscriber{{Name: "moved", URL: srv.URL, Secret: []byte("k"), AllowPrivate: true}},
				&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
			if err != nil {
				t.Fatal(err)
			}
			running(t, d)
			if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "an outcome", func() bool { return len(dls.list()) == 1 || d.Stats().Delivered > 0 })
			if len(dls.list()) != 1 {
				t.Fatalf("no dead letter; stats %+v, the redirect target got %d deliveries", d.Stats(), stolen.Load())
			}
			dl := dls.list()[0]
			if dl.Reason != ReasonRedirected || !strings.Contains(dl.Error, "redirects are not followed") ||
				!strings.Contains(dl.Error, thief.URL+"/collect?REDACTED") || strings.Contains(dl.Error, "t0k3n") {
				t.Errorf("dead letter %s: %s", dl.Reason, dl.Error)
			}
			if st := d.Stats(); st.Delivered != 0 || d.Pending("moved") != 0 || asked.Load() != 1 {
				t.Errorf("stats %+v, pending %d, subscriber asked %d times", st, d.Pending("moved"), asked.Load())
			}
			if stolen.Load() != 0 {
				t.Errorf("the redirect target got %d deliveries", stolen.Load())
			}
		})
	}
}

// A subscriber not allowed private addresses reaches none: not by IP, not
// by a name that resolves to one (checked when dialling, after DNS). Its
// deliveries are dead-lettered with the reason; one that is allowed gets
// them.
func TestPrivateDestinationsRefused(t *testing.T) {
	rcv := newReceiver(t, "k", always(http.StatusNoContent))
	byName := strings.Replace(rcv.srv.URL, "127.0.0.1", "localhost", 1)
	ctx := context.Background()
	dls := &deadLetters{}
	opts := fast
	opts.DeadLetters = dls
	d, err := NewDispatcher(ctx, []Subscriber{
		{Name: "by-ip", URL: rcv.srv.URL, Secret: []byte("k")},
		{Name: "by-name", URL: byName + "/hook", Secret: []byte("k")},
		{Name: "allowed", URL: byName + "/hook", Secret: []byte("k"), AllowPrivate: true},
	}, &FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	if _, err := d.Enqueue(ctx, load(t, "putin-modi-2018-01-03.json")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "an outcome for each", func() bool { return len(dls.list())+d.Stats().Delivered == 3 })
	if n := len(dls.list()); n != 2 {
		t.Errorf("%d dead letters, want 2", n)
	}
	for _, dl := range dls.list() {
		if dl.Reason != ReasonRefused || dl.Source == "allowed" || !strings.Contains(dl.Error, outbound.ErrPrivateAddress.Error()) {
			t.Errorf("dead letter for %s: %s %s", dl.Source, dl.Reason, dl.Error)
		}
	}
	if got := rcv.requests(); len(got) != 1 || !got[0].validSig {
		t.Errorf("the receiver got %d requests, want the allowed subscriber's only", len(got))
	}
}

// A URL that names a private address fails the configuration unless the
// subscriber allows it; names are left to the dial-time check.
func TestConfigRefusesPrivateURLs(t *testing.T) {
	for _, tt := range []struct {
		url     string
		allow   bool
		refused bool
	}{
		{"http://127.0.0.1:8080/hook", false, true},
		{"http://localhost:8080/hook", false, true},
		{"http://169.254.169.254/latest/meta-data/", false, true},
		{"https://10.0.0.7/hook", false, true},
		{"http://[::1]:9000/", false, true},
		{"http://127.0.0.1:8080/hook", true, false},
		{"https://hooks.example/readout", false, false},
	} {
		_, err := Config{Subscribers: []SubscriberConfig{{Name: "a", URL: tt.url, Secret: "s", AllowPrivate: tt.allow}}}.Resolve("", nil)
		if errors.Is(err, outbound.ErrPrivateAddress) != tt.refused || (!tt.refused && err != nil) {
			t.Errorf("%s (allow_private %v): %v", tt.url, tt.allow, err)
		}
		if tt.refused && !strings.Contains(err.Error(), "allow_private") {
			t.Errorf("%s: the error %q does not say how to allow it", tt.url, err)
		}
	}
}

// Every delivery is signed as Standard Webhooks specifies, the id with the
// body: a request captured at the receiver and sent again under a new
// webhook-id, to pass its deduplication, fails verification.
func TestDeliveryIDIsSigned(t *testing.T) {
	var captured atomic.Pointer[http.Request]
	var body atomic.Pointer[[]byte]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body.Store(&b)
		captured.Store(r.Clone(context.Background()))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	ctx := context.Background()
	d, err := NewDispatcher(ctx, []Subscriber{{Name: "r", URL: srv.URL, Secret: []byte("k"), AllowPrivate: true}},
		&FileStore{Path: filepath.Join(t.TempDir(), "state.json")}, fast)
	if err != nil {
		t.Fatal(err)
	}
	running(t, d)
	ev := load(t, "putin-modi-2018-01-03.json")
	if _, err := d.Enqueue(ctx, ev); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the delivery", func() bool { return d.Stats().Delivered == 1 })
	req, b := captured.Load(), *body.Load()
	if req.Header.Get(HeaderID) != ev.ID+"@v1" || !strings.HasPrefix(req.Header.Get(HeaderSignature), "v1,") {
		t.Fatalf("headers %v", req.Header)
	}
	if err := Verify([]byte("k"), req.Header, b, time.Now(), 0); err != nil {
		t.Fatalf("as delivered: %v", err)
	}
	replay := req.Header.Clone()
	replay.Set(HeaderID, ev.ID+"@v1-replay")
	if err := Verify([]byte("k"), replay, b, time.Now(), 0); !errors.Is(err, ErrBadSignature) {
		t.Errorf("replayed under a new id: %v, want ErrBadSignature", err)
	}
}
