package service_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feedout"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
	"github.com/readout/readout/pkg/outputs/all"
)

// idsFormat is a throw-away output format with a feed at path: each
// event's id.
type idsFormat struct{ feed string }

func (f idsFormat) Spec() outputs.Spec {
	return outputs.Spec{Key: "ids", Name: "ids", Topic: "readout.ids.v1", Schema: "ids/1", Compact: true, Feed: f.feed}
}

func (idsFormat) Encode(ev *model.LeaderCall) ([]byte, error) { return json.Marshal(ev.ID) }

// registerFormat adds f to the registered formats, as its one line in
// pkg/outputs/all would, until the test ends.
func registerFormat(t *testing.T, f outputs.Format) {
	old := all.Formats
	all.Formats = append(slices.Clip(old), f)
	t.Cleanup(func() { all.Formats = old })
}

// A format registered in pkg/outputs/all with a feed is served on the
// public listener beside Atom and PLOVER, with its own ETag.
func TestRegisteredFormatFeedIsServed(t *testing.T) {
	registerFormat(t, idsFormat{feed: "/events.ids.jsonl"})
	_, feeds, _ := feedsProcessor(t, service.Public{})
	resp, body := do(t, feeds+"/events.ids.jsonl")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != feedout.JSONLinesContentType ||
		!strings.HasPrefix(resp.Header.Get("ETag"), `"ids-`) || body != "" {
		t.Errorf("ids feed: %d %q %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), body)
	}
	if resp, _ := do(t, feeds+"/events.plover.jsonl"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("ETag"), `"plover-`) {
		t.Errorf("plover feed: %d %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

// A format whose feed path another feed has already stops the processor at
// start, with an error that names the format and the path.
func TestFormatFeedPathTaken(t *testing.T) {
	registerFormat(t, idsFormat{feed: "/events.atom"})
	cfg := bus.Config{Brokers: []string{"127.0.0.1:" + strconv.Itoa(freePort(t))}}
	adminLn, publicLn := listen(t), listen(t)
	defer adminLn.Close()
	defer publicLn.Close()
	// The processor stops at once; the deadline only ends a run that does not.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := service.RunProcessor(ctx, service.ProcessorOptions{Bus: cfg, Topics: bus.PrefixedTopics("taken."),
		Public: service.Public{HTTP: service.HTTP{Listener: publicLn}}, HTTPListener: adminLn, Logger: zaptest.NewLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "output format ids: feed path /events.atom is taken") {
		t.Errorf("RunProcessor: %v, want the feed path named as taken", err)
	}
}
