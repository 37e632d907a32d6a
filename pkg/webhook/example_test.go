package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/readout/readout/pkg/webhook"
)

// A receiver checks the signature over the raw body before trusting it.
func ExampleVerify() {
	secret := []byte("shared-secret")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || !webhook.Verify(secret, body, r.Header.Get(webhook.HeaderSignature)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		// Deduplicate on r.Header.Get(webhook.HeaderDelivery): delivery is at least once.
		w.WriteHeader(http.StatusNoContent)
	})
	body := `{"id":"call-2018-01-03-Q1058-Q7747","version":1}`
	for _, sig := range []string{webhook.Sign(secret, []byte(body)), webhook.Sign([]byte("wrong"), []byte(body))} {
		req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		req.Header.Set(webhook.HeaderSignature, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// 204
	// 401
}
