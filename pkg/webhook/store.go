package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// State is the delivery state of all subscribers.
type State struct {
	Subscribers map[string]*SubscriberState `json:"subscribers"`
}

// NewState returns an empty state.
func NewState() *State { return &State{Subscribers: map[string]*SubscriberState{}} }

// SubscriberState is what one subscriber has acknowledged and what is still owed to it.
type SubscriberState struct {
	// Delivered maps event id to the last version the subscriber acknowledged.
	Delivered map[string]Acked `json:"delivered"`
	// Pending holds at most one delivery per event: the newest version not yet acknowledged.
	Pending []Delivery `json:"pending"`
}

// Acked records an acknowledged version.
type Acked struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"`
}

// Delivery is one event version owed to one subscriber.
type Delivery struct {
	EventID     string          `json:"event_id"`
	Version     int             `json:"version"`
	Body        json.RawMessage `json:"body"` // the event JSON, sent as is
	Attempts    int             `json:"attempts"`
	NextAttempt time.Time       `json:"next_attempt"`
	LastError   string          `json:"last_error,omitempty"` // redacted: no URL credentials or query
	EnqueuedAt  time.Time       `json:"enqueued_at"`
}

// Entry is the state of one event for one subscriber: the unit a Store
// saves. An Entry with neither Acked nor Pending is deleted.
type Entry struct {
	Subscriber string    `json:"subscriber"`
	EventID    string    `json:"event_id"`
	Acked      *Acked    `json:"acked,omitempty"`
	Pending    *Delivery `json:"pending,omitempty"`
}

// Key identifies the entry: the escaped subscriber name, "/", the escaped event id.
func (e Entry) Key() string { return EntryKey(e.Subscriber, e.EventID) }

// EntryKey is the key of the entry of eventID for subscriber.
func EntryKey(subscriber, eventID string) string {
	return url.PathEscape(subscriber) + "/" + url.PathEscape(eventID)
}

// ParseEntryKey splits a key made by EntryKey.
func ParseEntryKey(key string) (subscriber, eventID string, err error) {
	a, b, ok := strings.Cut(key, "/")
	if !ok {
		return "", "", fmt.Errorf("webhook: entry key %q has no /", key)
	}
	if subscriber, err = url.PathUnescape(a); err == nil {
		eventID, err = url.PathUnescape(b)
	}
	if err != nil || subscriber == "" || eventID == "" {
		return "", "", fmt.Errorf("webhook: bad entry key %q", key)
	}
	return subscriber, eventID, nil
}

// Deleted reports whether the entry holds nothing (a tombstone).
func (e Entry) Deleted() bool { return e.Acked == nil && e.Pending == nil }

// entry returns the current entry of eventID for subscriber.
func (st *State) entry(subscriber, eventID string) Entry {
	e := Entry{Subscriber: subscriber, EventID: eventID}
	ss := st.Subscribers[subscriber]
	if ss == nil {
		return e
	}
	if a, ok := ss.Delivered[eventID]; ok {
		e.Acked = &a
	}
	if i := pendingIndex(ss, eventID); i >= 0 {
		p := ss.Pending[i]
		e.Pending = &p
	}
	return e
}

// Apply sets one entry: what a store does when it reads the entry back.
func (st *State) Apply(e Entry) {
	ss := st.Subscribers[e.Subscriber]
	if ss == nil {
		if e.Deleted() {
			return
		}
		ss = &SubscriberState{Delivered: map[string]Acked{}}
		st.Subscribers[e.Subscriber] = ss
	}
	if ss.Delivered == nil {
		ss.Delivered = map[string]Acked{}
	}
	if e.Acked != nil {
		ss.Delivered[e.EventID] = *e.Acked
	} else {
		delete(ss.Delivered, e.EventID)
	}
	i := pendingIndex(ss, e.EventID)
	switch {
	case e.Pending != nil && i >= 0:
		ss.Pending[i] = *e.Pending
	case e.Pending != nil:
		ss.Pending = append(ss.Pending, *e.Pending)
	case i >= 0:
		ss.Pending = append(ss.Pending[:i], ss.Pending[i+1:]...)
	}
}

// Entries lists every entry of the state.
func (st *State) Entries() []Entry {
	var out []Entry
	for name, ss := range st.Subscribers {
		ids := map[string]bool{}
		for id := range ss.Delivered {
			ids[id] = true
		}
		for _, p := range ss.Pending {
			ids[p.EventID] = true
		}
		for id := range ids {
			out = append(out, st.entry(name, id))
		}
	}
	return out
}

func pendingIndex(ss *SubscriberState, eventID string) int {
	for i := range ss.Pending {
		if ss.Pending[i].EventID == eventID {
			return i
		}
	}
	return -1
}

// Store persists the delivery state. Save returns only when the entries are
// durable; entries of one Save may become durable independently, but one
// key's entries are never reordered: a later Save of a key wins.
type Store interface {
	// Load returns the whole state; the caller owns it.
	Load(ctx context.Context) (*State, error)
	// Save records the given entries; a Deleted entry removes its key.
	Save(ctx context.Context, entries []Entry) error
}

// FileStore keeps the state as one JSON file on a local disk, replaced
// atomically on every save (write a temporary file in the same directory,
// fsync, rename, fsync the directory). It suits one process with a disk of
// its own; a service that can move between machines keeps its state in Kafka
// (internal/service).
type FileStore struct {
	Path string

	mu sync.Mutex
	st *State // what the file holds
}

// Load reads the state; a missing file is an empty state.
func (f *FileStore) Load(ctx context.Context) (*State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.read()
	if err != nil {
		return nil, err
	}
	f.st = st
	return cloneState(st)
}

func (f *FileStore) read() (*State, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("webhook: load state: %w", err)
	}
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("webhook: decode state %s: %w", f.Path, err)
	}
	if st.Subscribers == nil {
		st.Subscribers = map[string]*SubscriberState{}
	}
	for _, ss := range st.Subscribers {
		if ss.Delivered == nil {
			ss.Delivered = map[string]Acked{}
		}
		for i := range ss.Pending {
			if err := upgradeBody(&ss.Pending[i]); err != nil {
				return nil, fmt.Errorf("webhook: decode state %s: %w", f.Path, err)
			}
		}
	}
	return &st, nil
}

// upgradeBody reads a body written by versions that stored it base64-encoded.
func upgradeBody(d *Delivery) error {
	if len(d.Body) == 0 || d.Body[0] != '"' {
		return nil
	}
	var s string
	if err := json.Unmarshal(d.Body, &s); err != nil {
		return err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("pending %s: body: %w", d.EventID, err)
	}
	d.Body = b
	return nil
}

func cloneState(st *State) (*State, error) {
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode state: %w", err)
	}
	out := NewState()
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("webhook: copy state: %w", err)
	}
	return out, nil
}

// Save applies the entries and rewrites the file atomically.
func (f *FileStore) Save(ctx context.Context, entries []Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st == nil {
		st, err := f.read()
		if err != nil {
			return err
		}
		f.st = st
	}
	next, err := cloneState(f.st)
	if err != nil {
		return err
	}
	for _, e := range entries {
		next.Apply(e)
	}
	if err := writeFileAtomic(f.Path, next); err != nil {
		return err
	}
	f.st = next
	return nil
}

func writeFileAtomic(path string, st *State) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(st); err != nil {
		return fmt.Errorf("webhook: encode state: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("webhook: save state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("webhook: save state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("webhook: save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("webhook: save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("webhook: save state: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	return nil
}
