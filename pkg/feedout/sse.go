package feedout

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// SSEEventName is the SSE event type of a leader-call message.
const SSEEventName = "leader-call"

// SSEResetEvent is the SSE event type that tells a client messages are
// missing: its data is a Reset. It carries no id, so the client's
// Last-Event-ID stays the last message it received.
const SSEResetEvent = "reset"

// sseRetry is how long clients wait before reconnecting, in milliseconds.
const sseRetry = 3000

// Reset is the data of a reset event.
type Reset struct {
	// Reason is ResetExpired (the stream goes on with every message still
	// held) or ResetLagged (the server closes the stream).
	Reason string `json:"reason"`
	// LastEventID is the last message the client is known to have.
	LastEventID string `json:"last_event_id,omitempty"`
	// Oldest is the oldest message still held (empty when none is).
	Oldest string `json:"oldest,omitempty"`
	Detail string `json:"detail"`
}

// SSEHandler streams events as text/event-stream. Each message carries
// `id: <event id>@v<version>`, `event: leader-call` and the event as JSON.
// Every client reads the shared replay buffer at its own pace, so a burst
// does not drop a client that keeps reading. A client reconnecting with
// Last-Event-ID first receives what it missed; when the buffer no longer
// holds that id it first receives a reset event (reason expired), then
// every message held. A client that falls further behind than the buffer
// reaches receives a reset event (reason lagged) and is disconnected; one
// that accepts nothing for WriteTimeout is disconnected. Both resume with
// Last-Event-ID.
func (h *Hub) SSEHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.connected(1)
		defer h.connected(-1)
		lastID := r.Header.Get("Last-Event-ID")
		pos, expired := h.position(lastID)

		s := &stream{rc: http.NewResponseController(w), bw: bufio.NewWriter(w), timeout: h.opts.WriteTimeout, lastID: lastID}
		// A stream outlives the server's read and write timeouts: each write
		// sets its own deadline instead, and reading is over.
		_ = s.rc.SetReadDeadline(time.Time{})
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Accel-Buffering", "no")
		ok := s.send(func() {
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(s.bw, "retry: %d\n\n", sseRetry)
			if expired {
				h.opts.Metrics.reset(ResetExpired)
				s.reset(h.resetFor(ResetExpired, lastID,
					"Last-Event-ID is not in the replay buffer: messages may be missing; every message held follows (the full state is /events.atom or the readout.leader-calls.v1 topic)"))
			}
		})
		heartbeat := time.NewTicker(h.opts.HeartbeatInterval)
		defer heartbeat.Stop()
		for ok {
			msgs, wake, lagged := h.since(pos)
			if lagged {
				h.opts.Metrics.reset(ResetLagged)
				s.send(func() {
					s.reset(h.resetFor(ResetLagged, s.lastID,
						"the client fell further behind than the replay buffer holds: reconnect with Last-Event-ID; the messages after it are no longer held"))
				})
				return
			}
			if len(msgs) > 0 {
				ok = s.send(func() {
					for _, m := range msgs {
						s.message(m)
					}
				})
				pos = msgs[len(msgs)-1].seq
				continue
			}
			select {
			case <-r.Context().Done():
				return
			case <-wake:
			case <-heartbeat.C:
				ok = s.send(func() { s.bw.WriteString(": keep-alive\n\n") })
			}
		}
	})
}

// resetFor describes a gap after lastID for a reset event.
func (h *Hub) resetFor(reason, lastID, detail string) Reset {
	h.mu.Lock()
	defer h.mu.Unlock()
	rs := Reset{Reason: reason, LastEventID: lastID, Detail: detail}
	if held := h.held(); len(held) > 0 {
		rs.Oldest = held[0].id
	}
	return rs
}

// stream writes SSE lines to one client, each batch under its own deadline.
type stream struct {
	rc      *http.ResponseController
	bw      *bufio.Writer
	timeout time.Duration
	lastID  string // the last message the client has
}

// send runs write under a fresh write deadline and flushes; false when the
// client is gone or accepted nothing for the timeout.
func (s *stream) send(write func()) bool {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	write()
	return s.bw.Flush() == nil && s.rc.Flush() == nil
}

func (s *stream) message(m message) {
	fmt.Fprintf(s.bw, "id: %s\nevent: %s\ndata: %s\n\n", m.id, SSEEventName, m.data)
	s.lastID = m.id
}

func (s *stream) reset(rs Reset) {
	data, _ := json.Marshal(rs) // strings only: always marshals
	fmt.Fprintf(s.bw, "event: %s\ndata: %s\n\n", SSEResetEvent, data)
}
