package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/readout/readout/pkg/webhook"
)

// A receiver checks the signature over the id, the timestamp and the raw
// body before trusting a delivery, rejects old timestamps (replays), and
// drops a webhook-id it has already processed (delivery is at least once).
// Since the id is signed, a captured request sent again under another id
// fails the signature.
func ExampleVerify() {
	secret := []byte("shared-secret")
	var mu sync.Mutex
	seen := map[string]bool{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		if err := webhook.Verify(secret, r.Header, body, time.Now(), webhook.DefaultTolerance); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		id := r.Header.Get(webhook.HeaderID)
		mu.Lock()
		dup := seen[id]
		seen[id] = true
		mu.Unlock()
		if dup {
			w.WriteHeader(http.StatusOK) // acknowledged before: acknowledge again, do nothing
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	body := `{"id":"call-2018-01-03-Q1058-Q7747","version":1}`
	const id = "call-2018-01-03-Q1058-Q7747@v1"
	now := time.Now().Unix()
	for _, c := range []struct {
		secret, id, signedID string
		ts                   int64
	}{
		{"shared-secret", id, id, now},        // valid
		{"shared-secret", id, id, now},        // the same delivery again: deduplicated
		{"shared-secret", id + "x", id, now},  // replayed under a new id
		{"wrong", id, id, now},                // bad signature
		{"shared-secret", id, id, now - 3600}, // a request captured an hour ago
	} {
		req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		req.Header.Set(webhook.HeaderID, c.id)
		req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(c.ts, 10))
		req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(c.secret), c.signedID, c.ts, []byte(body)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// 204
	// 200
	// 401
	// 401
	// 401
}
