package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Headers of every delivery.
const (
	// HeaderSignature is "sha256=" + the lower-case hex HMAC-SHA256, keyed with
	// the subscriber's secret, of the timestamp header's value, ".", and the raw body.
	HeaderSignature = "X-Readout-Signature"
	// HeaderTimestamp is the Unix time in seconds when this attempt was signed.
	HeaderTimestamp    = "X-Readout-Timestamp"
	HeaderEventID      = "X-Readout-Event-Id"      // model.LeaderCall.ID
	HeaderEventVersion = "X-Readout-Event-Version" // model.LeaderCall.Version
	// HeaderDelivery is the idempotency key: event id + "@v" + version. Delivery
	// is at least once: a receiver that has seen a key drops the request.
	HeaderDelivery = "X-Readout-Delivery"
	// HeaderIdempotencyKey carries the same key under the IETF draft's name.
	HeaderIdempotencyKey = "Idempotency-Key"
	HeaderAttempt        = "X-Readout-Attempt" // 1 for the first attempt
)

// DefaultTolerance is how far a delivery's timestamp may be from the
// receiver's clock before Verify rejects it as a replay.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	ErrBadSignature   = errors.New("webhook: signature does not match")
	ErrBadTimestamp   = errors.New("webhook: timestamp header is not Unix seconds")
	ErrStaleTimestamp = errors.New("webhook: timestamp outside the tolerance (replayed or clock skew)")
)

const signaturePrefix = "sha256="

// Sign returns the X-Readout-Signature value for a body sent at ts (Unix seconds).
func Sign(secret []byte, ts int64, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(secret, strconv.FormatInt(ts, 10), body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a delivery: signature is the X-Readout-Signature header,
// timestamp the X-Readout-Timestamp header, body the raw request body. The
// signature must match (compared in constant time) and the timestamp must be
// within tolerance of now (DefaultTolerance when tolerance <= 0), so a captured
// request cannot be replayed later. Receivers also deduplicate on
// X-Readout-Delivery, since a retry after a lost response is a new request.
func Verify(secret, body []byte, timestamp, signature string, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrBadTimestamp, timestamp)
	}
	hexSig, ok := strings.CutPrefix(signature, signaturePrefix)
	if !ok {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || !hmac.Equal(got, mac(secret, timestamp, body)) {
		return ErrBadSignature
	}
	if skew := now.Sub(time.Unix(ts, 0)); skew > tolerance || skew < -tolerance {
		return fmt.Errorf("%w: %s from now", ErrStaleTimestamp, skew.Round(time.Second))
	}
	return nil
}
