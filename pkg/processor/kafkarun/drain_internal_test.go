package kafkarun

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/bus"
)

// A member's last writes of a generation end drainGrace + one write round
// after the generation did; its session must outlast that with room to
// spare (a heartbeat interval and more), or the broker gives its partitions
// to another member while it still writes to their outputs.
func TestDrainEndsWellWithinTheSession(t *testing.T) {
	if last, session := drainGrace+bus.AttemptTimeout+bus.HeartbeatInterval, bus.SessionTimeout; last > session-5*time.Second {
		t.Errorf("writes may go on %v after the last heartbeat; the session ends after %v", last, session)
	}
}

// A failed write or commit waits 100 ms to 150 ms, doubling up to 5 s to
// 7.5 s: the schedule the runner had before it used retry.Policy.
func TestStepRetryWindows(t *testing.T) {
	b := stepRetry.Backoff()
	lo := 100 * time.Millisecond
	for i := range 10 {
		if d := b.NextBackOff(); d < lo || d > lo*3/2+1 {
			t.Errorf("wait %d: %v, want within [%v, %v]", i+1, d, lo, lo*3/2)
		}
		lo = min(2*lo, 5*time.Second)
	}
}
