// Package outputs defines an output format of leader-call events (IPTC
// ninjs, PLOVER): its topic, how it encodes an event version and its
// optional JSON Lines feed. The formats Readout writes are listed in
// pkg/outputs/all; the topics, the processor, the public feeds and
// `processor replay` all loop over that list.
package outputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/readout/readout/pkg/model"
)

// ErrSkip is what Encode returns for an event the format does not represent
// (PLOVER: an announced call): nothing is written for it, and it is no error.
var ErrSkip = errors.New("outputs: the format does not represent this event")

// Format is one output format. Its methods must be safe for concurrent use.
type Format interface {
	Spec() Spec
	// Encode renders one event version as one JSON document: a message value
	// on the format's topic, a line of its feed and of replay's output. It
	// returns ErrSkip for an event the format does not represent; any other
	// error dead-letters the event version on Kafka.
	Encode(ev *model.LeaderCall) ([]byte, error)
}

// Spec describes a format: its names, its topic and its feed.
type Spec struct {
	// Key names the format in settings: its topic's key (--topic-partitions
	// plover=6) and replay's flag (--plover FILE).
	Key string
	// Name is the format's name for people: "PLOVER".
	Name string
	// Topic is its topic's contract name, keyed by event id and partitioned
	// like the other output topics; a deployment may prefix it.
	Topic string
	// Schema is the readout-schema header of its messages: "plover/1".
	Schema string
	// Compact keeps the latest document of each event; otherwise Retention
	// bounds the topic (0: the broker's default).
	Compact   bool
	Retention time.Duration
	// Feed, when set, is the path on the public listener that serves the
	// documents of the latest events as JSON Lines: "/events.plover.jsonl".
	Feed string
}

// AppendLine encodes ev in f and appends it to dst as one line of JSON
// Lines. It returns Encode's error, ErrSkip included, and writes nothing then.
func AppendLine(dst *bytes.Buffer, f Format, ev *model.LeaderCall) error {
	doc, err := f.Encode(ev)
	if err != nil {
		return err
	}
	if err := json.Compact(dst, doc); err != nil {
		return fmt.Errorf("outputs: %s document of event %s is not JSON: %w", f.Spec().Key, ev.ID, err)
	}
	dst.WriteByte('\n')
	return nil
}
