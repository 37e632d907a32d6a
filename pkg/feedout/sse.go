package feedout

import (
	"bufio"
	"fmt"
	"net/http"
	"time"
)

// SSEEventName is the SSE event type of a leader-call message.
const SSEEventName = "leader-call"

// SSEHandler streams events as text/event-stream. Each message carries
// `id: <event id>@v<version>`, `event: leader-call` and the event as JSON.
// A client reconnecting with Last-Event-ID first receives what it missed
// from the in-memory ring.
func (h *Hub) SSEHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		rc := http.NewResponseController(w)
		ch, backlog := h.subscribe(r.Header.Get("Last-Event-ID"))
		defer h.unsubscribe(ch)

		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		bw := bufio.NewWriter(w)
		// Tell clients how long to wait before reconnecting.
		fmt.Fprintf(bw, "retry: %d\n\n", 3000)
		for _, m := range backlog {
			writeMessage(bw, m)
		}
		if bw.Flush() != nil || rc.Flush() != nil {
			return
		}
		heartbeat := time.NewTicker(h.opts.HeartbeatInterval)
		defer heartbeat.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case m, ok := <-ch:
				if !ok {
					return // too slow: dropped; the client resumes with Last-Event-ID
				}
				writeMessage(bw, m)
			case <-heartbeat.C:
				bw.WriteString(": keep-alive\n\n")
			}
			if bw.Flush() != nil || rc.Flush() != nil {
				return
			}
		}
	})
}

func writeMessage(bw *bufio.Writer, m message) {
	fmt.Fprintf(bw, "id: %s\nevent: %s\ndata: %s\n\n", m.id, SSEEventName, m.data)
}
