package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"sync"
	"syscall"

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
	mu   sync.Mutex
	enc  *json.Encoder
	sync syncer // nil: nothing to make durable
}

type syncer interface{ Sync() error }

// NewJSONLSink returns a sink writing to w. If w is a regular file (or
// another writer with a Sync method) it is synced after each write so that
// Publish means durable. A pipe, a terminal or a socket (stdout of `crawler
// once | jq`) has nothing to sync: Sync fails on them with EINVAL.
func NewJSONLSink(w io.Writer) *JSONLSink {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	s := &JSONLSink{enc: enc}
	if f, ok := w.(syncer); ok && syncable(w) {
		s.sync = f
	}
	return s
}

// syncable reports whether w is worth syncing: any writer with a Sync method
// but an *os.File that is not a regular file.
func syncable(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
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
	return s.flush()
}

// DeadLetter writes dl as one line.
func (s *JSONLSink) DeadLetter(_ context.Context, dl model.DeadLetter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enc.Encode(&dl); err != nil {
		return fmt.Errorf("jsonl dead letters: %w", err)
	}
	return s.flush()
}

// flush syncs the file written to. A file system that cannot sync (EINVAL,
// ENOTSUP) is not a failed write: there is nothing more to do for it.
func (s *JSONLSink) flush() error {
	if s.sync == nil {
		return nil
	}
	if err := s.sync.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("jsonl sink: sync: %w", err)
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
