package processor

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
