package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"sync"

	"github.com/readout/readout/pkg/model"
)

// Sink receives raw items. Publish returns only when the items are durably
// acknowledged; an error means none may be assumed delivered.
type Sink interface {
	Publish(ctx context.Context, items []model.RawItem) error
}

// DeadLetterSink receives what could not be processed.
type DeadLetterSink interface {
	DeadLetter(ctx context.Context, dl model.DeadLetter) error
}

// JSONLSink writes one JSON object per line: raw items on Publish, dead
// letters on DeadLetter (use one sink per file: the formats differ). It is
// safe for concurrent use.
type JSONLSink struct {
	mu  sync.Mutex
	enc *json.Encoder
	w   io.Writer
}

// NewJSONLSink returns a sink writing to w. If w has a Sync method (an
// *os.File) it is called after each write so that Publish means durable.
func NewJSONLSink(w io.Writer) *JSONLSink {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONLSink{enc: enc, w: w}
}

// Publish writes items, one per line.
func (s *JSONLSink) Publish(_ context.Context, items []model.RawItem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range items {
		if err := s.enc.Encode(&items[i]); err != nil {
			return fmt.Errorf("jsonl sink: %w", err)
		}
	}
	return s.sync()
}

// DeadLetter writes dl as one line.
func (s *JSONLSink) DeadLetter(_ context.Context, dl model.DeadLetter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enc.Encode(&dl); err != nil {
		return fmt.Errorf("jsonl dead letters: %w", err)
	}
	return s.sync()
}

func (s *JSONLSink) sync() error {
	if f, ok := s.w.(interface{ Sync() error }); ok {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("jsonl sink: sync: %w", err)
		}
	}
	return nil
}

// MemorySink keeps everything in memory: for tests and dry runs.
type MemorySink struct {
	mu    sync.Mutex
	items []model.RawItem
	dead  []model.DeadLetter
	// Err, when set, is returned by Publish (and nothing is kept).
	Err error
}

// Publish appends items, or fails with s.Err.
func (s *MemorySink) Publish(_ context.Context, items []model.RawItem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.items = append(s.items, items...)
	return nil
}

// DeadLetter appends dl.
func (s *MemorySink) DeadLetter(_ context.Context, dl model.DeadLetter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dead = append(s.dead, dl)
	return nil
}

// SetErr sets the error Publish returns (nil to succeed again).
func (s *MemorySink) SetErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Err = err
}

// Items returns a copy of the published items.
func (s *MemorySink) Items() []model.RawItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.RawItem(nil), s.items...)
}

// DeadLetters returns a copy of the dead letters.
func (s *MemorySink) DeadLetters() []model.DeadLetter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.DeadLetter(nil), s.dead...)
}

// DeadLetterCounter counts dead letters by reason and passes each on to
// Next; with Next nil they are only counted (the crawler logs every one).
// It is safe for concurrent use.
type DeadLetterCounter struct {
	Next DeadLetterSink

	mu     sync.Mutex
	counts map[string]int
}

// DeadLetter counts dl and hands it to Next.
func (d *DeadLetterCounter) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	d.mu.Lock()
	if d.counts == nil {
		d.counts = map[string]int{}
	}
	d.counts[dl.Reason]++
	d.mu.Unlock()
	if d.Next == nil {
		return nil
	}
	return d.Next.DeadLetter(ctx, dl)
}

// Counts returns the dead letters seen so far by reason.
func (d *DeadLetterCounter) Counts() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.counts)
}
