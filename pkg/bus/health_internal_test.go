package bus

import (
	"errors"
	"testing"
	"time"
)

// Read errors count as persistent once they went on for the grace without
// a gap longer than readErrorGap; a record read, or a gap, ends the streak.
func TestReadHealthStreaks(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := readHealth{now: func() time.Time { return now }}
	step := func(d time.Duration) { now = now.Add(d) }
	failing := func() bool { _, err := h.persistent(30 * time.Second); return err != nil }
	boom := errors.New("broker away")

	for range 29 { // errors every second for 29 s
		h.failed(boom)
		step(time.Second)
	}
	if failing() {
		t.Fatal("failing before the grace")
	}
	h.failed(boom)
	step(time.Second)
	if _, err := h.persistent(30 * time.Second); !errors.Is(err, boom) {
		t.Fatalf("30 s of errors: %v, want the error", err)
	}
	step(readErrorGap) // the errors stopped: kafka-go got through
	if failing() || h.erring() {
		t.Fatal("still failing after the errors stopped")
	}
	for range 25 { // a new streak starts from zero
		h.failed(boom)
		step(time.Second)
	}
	if failing() {
		t.Fatal("the new streak counted the old one")
	}
	for range 10 {
		h.failed(boom)
		step(time.Second)
	}
	if !failing() {
		t.Fatal("35 s of errors not failing")
	}
	h.ok() // a record was read
	if failing() || h.erring() {
		t.Fatal("failing after a record was read")
	}
}
