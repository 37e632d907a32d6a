package plover

import (
	"encoding/json"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
)

// Format is PLOVER as a Readout output: one record per version of a
// Codable event, on a topic kept 30 days and in the public feed
// /events.plover.jsonl. It is registered in pkg/outputs/all.
var Format outputs.Format = format{}

type format struct{}

func (format) Spec() outputs.Spec {
	return outputs.Spec{Key: "plover", Name: "PLOVER", Topic: Topic, Schema: "plover/1",
		Retention: 30 * 24 * time.Hour, Feed: "/events.plover.jsonl"}
}

// Encode skips the events Codable rejects; a held call without a date is an error.
func (format) Encode(ev *model.LeaderCall) ([]byte, error) {
	if !Codable(ev) {
		return nil, outputs.ErrSkip
	}
	r, err := FromLeaderCall(ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(r)
}
