package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
	"github.com/readout/readout/pkg/outputs/all"
	"github.com/readout/readout/pkg/processor/kafkarun"
)

// NewsroomEncoders are the processor's encoders of the output formats of
// pkg/outputs/all: each writes its format's document of an event version to
// the format's topic in t, keyed by event id.
func NewsroomEncoders(t bus.Topics) []kafkarun.EventEncoder {
	encoders := make([]kafkarun.EventEncoder, 0, len(all.Formats))
	for _, f := range all.Formats {
		encoders = append(encoders, encoder(f, t.Outputs[f.Spec().Key]))
	}
	return encoders
}

// encoder writes f's documents to topic; the events f skips get none.
func encoder(f outputs.Format, topic string) kafkarun.EventEncoder {
	s := f.Spec()
	return func(ev *model.LeaderCall) (bus.Message, error) {
		doc, err := f.Encode(ev)
		if errors.Is(err, outputs.ErrSkip) {
			return bus.Message{}, kafkarun.ErrSkip
		}
		if err != nil {
			return bus.Message{}, fmt.Errorf("%s: %w", s.Key, err)
		}
		return bus.Message{Topic: topic, Key: []byte(ev.ID), Value: doc, Headers: map[string]string{model.HeaderSchema: s.Schema}}, nil
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
