package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// State is the delivery state of all subscribers.
type State struct {
	Subscribers map[string]*SubscriberState `json:"subscribers"`
}

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
	EventID     string    `json:"event_id"`
	Version     int       `json:"version"`
	Body        []byte    `json:"body"` // the event JSON, sent as is
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
	EnqueuedAt  time.Time `json:"enqueued_at"`
}

// Store persists State. Save must be atomic: after a crash Load returns
// either the previous or the new state, never a mix.
type Store interface {
	Load(ctx context.Context) (*State, error)
	Save(ctx context.Context, st *State) error
}

// FileStore keeps State as one JSON file, replaced atomically (write to a
// temporary file in the same directory, fsync, rename, fsync the directory).
type FileStore struct {
	Path string
}

// Load reads the state; a missing file is an empty state.
func (f *FileStore) Load(ctx context.Context) (*State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{Subscribers: map[string]*SubscriberState{}}, nil
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
	return &st, nil
}

// Save writes the state atomically.
func (f *FileStore) Save(ctx context.Context, st *State) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("webhook: encode state: %w", err)
	}
	dir := filepath.Dir(f.Path)
	tmp, err := os.CreateTemp(dir, filepath.Base(f.Path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("webhook: save state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(raw); err != nil {
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
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("webhook: save state: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
