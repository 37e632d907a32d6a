package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Headers of every delivery.
const (
	HeaderSignature    = "X-Readout-Signature"     // "sha256=" + hex HMAC-SHA256 of the body
	HeaderTimestamp    = "X-Readout-Timestamp"     // Unix seconds when this attempt was sent
	HeaderEventID      = "X-Readout-Event-Id"      // model.LeaderCall.ID
	HeaderEventVersion = "X-Readout-Event-Version" // model.LeaderCall.Version
	HeaderDelivery     = "X-Readout-Delivery"      // idempotency key: event id + "@v" + version
	HeaderAttempt      = "X-Readout-Attempt"       // 1 for the first attempt
)

const signaturePrefix = "sha256="

// Sign returns the X-Readout-Signature value for body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is a valid signature of body, in constant time.
// Receivers call it with the raw request body.
func Verify(secret, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
