package feedout

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/readout/readout/pkg/plover"
)

// PLOVERContentType is the media type of the PLOVER export: JSON Lines.
const PLOVERContentType = "application/x-ndjson; charset=utf-8"

// PLOVERHandler serves the latest held calls as PLOVER records, one JSON
// object per line (pkg/plover), newest update first: the same events as the
// Atom feed, for event-data tools. Events PLOVER does not code (announced
// calls, unresolved counterparts) are left out. The complete history is the
// readout.plover.v1 topic. It answers If-None-Match with 304.
func (h *Hub) PLOVERHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.answered(w, r, "plover-") {
			return
		}
		var buf bytes.Buffer
		enc := plover.NewEncoder(&buf)
		events := h.Latest(h.opts.FeedSize)
		for i := range events {
			if !plover.Codable(&events[i]) {
				continue
			}
			if err := enc.Encode(&events[i]); err != nil {
				// A held call without a date cannot be coded; it stays out of the export.
				continue
			}
		}
		w.Header().Set("Content-Type", PLOVERContentType)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(buf.Bytes())
	})
}
