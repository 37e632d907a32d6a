package feedout

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/readout/readout/pkg/outputs"
)

// JSONLinesContentType is the media type of the output formats' feeds.
const JSONLinesContentType = "application/x-ndjson; charset=utf-8"

// JSONLinesHandler serves the latest events in format f, one document per
// line, newest update first: the same events as the Atom feed. Events f
// skips or cannot encode (PLOVER: a held call without a date) are left out;
// the complete history is f's topic. It answers If-None-Match with 304.
func (h *Hub) JSONLinesHandler(f outputs.Format) http.Handler {
	tag := f.Spec().Key + "-"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.answered(w, r, tag) {
			return
		}
		var buf bytes.Buffer
		events := h.Latest(h.opts.FeedSize)
		for i := range events {
			_ = outputs.AppendLine(&buf, f, &events[i]) // an event that fails stays out, as one skipped does
		}
		w.Header().Set("Content-Type", JSONLinesContentType)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(buf.Bytes())
	})
}
