package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/ninjs"
	"github.com/readout/readout/pkg/plover"
	"github.com/readout/readout/pkg/processor"
)

// NewsroomEncoders derive the newsroom outputs of each event version: its
// IPTC ninjs 3.1 document (validated against the schema) and its PLOVER record.
func NewsroomEncoders(t bus.Topics) []processor.EventEncoder {
	return []processor.EventEncoder{
		func(ev *model.LeaderCall) (bus.Message, error) {
			doc, err := ninjs.FromLeaderCall(ev)
			if err != nil {
				return bus.Message{}, fmt.Errorf("ninjs: %w", err)
			}
			return bus.Message{Topic: t.Ninjs, Key: []byte(ev.ID), Value: doc, Headers: map[string]string{model.HeaderSchema: "ninjs/3.1"}}, nil
		},
		func(ev *model.LeaderCall) (bus.Message, error) {
			// PLOVER records dyadic events that happened: announced calls and calls
			// whose counterpart is not resolved stay on the leader-calls topic only.
			if !plover.Codable(ev) {
				return bus.Message{}, processor.ErrSkip
			}
			rec, err := plover.FromLeaderCall(ev)
			if err != nil {
				return bus.Message{}, fmt.Errorf("plover: %w", err)
			}
			b, err := json.Marshal(rec)
			if err != nil {
				return bus.Message{}, err
			}
			return bus.Message{Topic: t.Plover, Key: []byte(ev.ID), Value: b, Headers: map[string]string{model.HeaderSchema: "plover/1"}}, nil
		},
	}
}

// dlqWriter parks dead letters of the processor's helpers on the DLQ topic.
type dlqWriter struct {
	p     *bus.Producer
	topic string
}

func (w dlqWriter) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	b, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	return w.p.Write(ctx, bus.Message{Topic: w.topic, Key: []byte(dl.Key), Value: b,
		Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, "readout-reason": dl.Reason}})
}
