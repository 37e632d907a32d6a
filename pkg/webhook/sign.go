package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of every delivery, as the Standard Webhooks specification
// (https://www.standardwebhooks.com) names them. The signature covers the
// id, the timestamp and the body: nothing a receiver relies on is unsigned.
const (
	// HeaderID is the delivery's id, event id + "@v" + version: the same for
	// every attempt of one version. Delivery is at least once: a receiver
	// that has seen an id drops the request.
	HeaderID = "webhook-id"
	// HeaderTimestamp is the Unix time in seconds when this attempt was signed.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature is "v1," + the base64 HMAC-SHA256, keyed with the
	// subscriber's secret, of id "." timestamp "." raw body. A receiver
	// accepts any of several space-separated signatures (key rotation).
	HeaderSignature = "webhook-signature"
	// HeaderAttempt is the attempt's number, 1 for the first. Informational
	// and not signed: never use it to deduplicate.
	HeaderAttempt = "X-Readout-Attempt"
)

// DefaultTolerance is how far a delivery's timestamp may be from the
// receiver's clock before Verify rejects it as a replay.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	ErrBadSignature   = errors.New("webhook: signature does not match")
	ErrNoID           = errors.New("webhook: no webhook-id header")
	ErrBadTimestamp   = errors.New("webhook: timestamp header is not Unix seconds")
	ErrStaleTimestamp = errors.New("webhook: timestamp outside the tolerance (replayed or clock skew)")
)

const (
	signatureVersion = "v1,"
	// secretPrefix marks a Standard Webhooks secret: the key is the
	// base64-decoded rest.
	secretPrefix = "whsec_"
)

// Sign returns the webhook-signature value of a delivery: id, the Unix
// time ts it is sent at, and its body.
func Sign(secret []byte, id string, ts int64, body []byte) string {
	return signatureVersion + base64.StdEncoding.EncodeToString(mac(secret, id, strconv.FormatInt(ts, 10), body))
}

func mac(secret []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, signingKey(secret))
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// signingKey is the HMAC key of secret: a "whsec_" secret's base64-decoded
// rest, as the Standard Webhooks libraries take it, or else the secret's
// bytes as they are.
func signingKey(secret []byte) []byte {
	if rest, ok := strings.CutPrefix(string(secret), secretPrefix); ok {
		if key, err := base64.StdEncoding.DecodeString(rest); err == nil {
			return key
		}
	}
	return secret
}

// Verify checks a delivery's headers against its raw body: webhook-id must
// be present, one of the webhook-signature values must match (compared in
// constant time) and webhook-timestamp must be within tolerance of now
// (DefaultTolerance when tolerance <= 0). A captured request can therefore
// not be replayed after the tolerance, nor under another id within it:
// receivers deduplicate on webhook-id.
func Verify(secret []byte, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	id, timestamp := header.Get(HeaderID), header.Get(HeaderTimestamp)
	if id == "" {
		return ErrNoID
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrBadTimestamp, timestamp)
	}
	if !validSignature(header.Get(HeaderSignature), mac(secret, id, timestamp, body)) {
		return ErrBadSignature
	}
	if skew := now.Sub(time.Unix(ts, 0)); skew > tolerance || skew < -tolerance {
		return fmt.Errorf("%w: %s from now", ErrStaleTimestamp, skew.Round(time.Second))
	}
	return nil
}

// validSignature reports whether one of the space-separated v1 signatures
// in header is want.
func validSignature(header string, want []byte) bool {
	for _, s := range strings.Fields(header) {
		b64, ok := strings.CutPrefix(s, signatureVersion)
		if !ok {
			continue
		}
		if got, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}
