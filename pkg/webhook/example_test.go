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

// A receiver checks the signature over the timestamp and the raw body before
// trusting a delivery, rejects old timestamps (replays), and drops a delivery
// key it has already processed (delivery is at least once).
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
		if err := webhook.Verify(secret, body, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), time.Now(), webhook.DefaultTolerance); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		mu.Lock()
		dup := seen[r.Header.Get(webhook.HeaderDelivery)]
		seen[r.Header.Get(webhook.HeaderDelivery)] = true
		mu.Unlock()
		if dup {
			w.WriteHeader(http.StatusOK) // acknowledged before: acknowledge again, do nothing
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	body := `{"id":"call-2018-01-03-Q1058-Q7747","version":1}`
	now := time.Now().Unix()
	for _, c := range []struct {
		secret string
		ts     int64
	}{
		{"shared-secret", now},        // valid
		{"shared-secret", now},        // the same delivery again: deduplicated
		{"wrong", now},                // bad signature
		{"shared-secret", now - 3600}, // a request captured an hour ago
	} {
		req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(c.ts, 10))
		req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(c.secret), c.ts, []byte(body)))
		req.Header.Set(webhook.HeaderDelivery, "call-2018-01-03-Q1058-Q7747@v1")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// 204
	// 200
	// 401
	// 401
}
