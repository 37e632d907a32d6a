package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// SourceState is what the crawler remembers about one source between polls.
type SourceState struct {
	SourceID string `json:"source_id"`
	// URL is the URL that ETag and LastModified were answered for.
	URL          string `json:"url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Seen maps item key (model.RawItem.Key) to the content hash last published.
	Seen map[string]string `json:"seen"`
	// SeenAt is when each key was last present in the source; it bounds Seen.
	SeenAt    map[string]time.Time `json:"seen_at"`
	UpdatedAt time.Time            `json:"updated_at"`
}

// StateStore persists source states. Save must be durable when it returns.
type StateStore interface {
	Load(ctx context.Context) (map[string]SourceState, error) // by source id
	Save(ctx context.Context, st SourceState) error
}

func (s SourceState) clone() SourceState {
	c := s
	c.Seen = make(map[string]string, len(s.Seen))
	for k, v := range s.Seen {
		c.Seen[k] = v
	}
	c.SeenAt = make(map[string]time.Time, len(s.SeenAt))
	for k, v := range s.SeenAt {
		c.SeenAt[k] = v
	}
	return c
}

// prune drops keys not seen since now-ttl, then the oldest beyond max.
// Keys in keep (the current document) are never dropped.
func (s *SourceState) prune(now time.Time, ttl time.Duration, max int, keep map[string]bool) {
	for k := range s.Seen {
		if _, ok := s.SeenAt[k]; !ok {
			s.SeenAt[k] = now
		}
	}
	for k, at := range s.SeenAt {
		if _, ok := s.Seen[k]; !ok || (!keep[k] && ttl > 0 && now.Sub(at) > ttl) {
			delete(s.SeenAt, k)
			delete(s.Seen, k)
		}
	}
	if max <= 0 || len(s.Seen) <= max {
		return
	}
	keys := make([]string, 0, len(s.Seen))
	for k := range s.Seen {
		if !keep[k] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := s.SeenAt[keys[i]], s.SeenAt[keys[j]]
		if a.Equal(b) {
			return keys[i] < keys[j]
		}
		return a.Before(b)
	})
	for _, k := range keys {
		if len(s.Seen) <= max {
			break
		}
		delete(s.Seen, k)
		delete(s.SeenAt, k)
	}
}

// MemoryStore keeps states in memory.
type MemoryStore struct {
	mu     sync.Mutex
	states map[string]SourceState
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{states: map[string]SourceState{}} }

// Load returns a copy of every state.
func (m *MemoryStore) Load(context.Context) (map[string]SourceState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]SourceState, len(m.states))
	for k, v := range m.states {
		out[k] = v.clone()
	}
	return out, nil
}

// Save stores a copy of st.
func (m *MemoryStore) Save(_ context.Context, st SourceState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[st.SourceID] = st.clone()
	return nil
}

// FileStore keeps one JSON file per source in a directory, replaced
// atomically (write to a temp file, fsync, rename).
type FileStore struct {
	dir string
}

// NewFileStore returns a store in dir, creating it.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("file state store: %w", err)
	}
	return &FileStore{dir: dir}, nil
}

const stateSuffix = ".state.json"

// Load reads every state file of the directory.
func (f *FileStore) Load(context.Context) (map[string]SourceState, error) {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return nil, fmt.Errorf("file state store: %w", err)
	}
	out := map[string]SourceState{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), stateSuffix) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(f.dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("file state store: %w", err)
		}
		var st SourceState
		if err := json.Unmarshal(data, &st); err != nil {
			return nil, fmt.Errorf("file state store: %s: %w", e.Name(), err)
		}
		if st.SourceID == "" {
			return nil, fmt.Errorf("file state store: %s: %w", e.Name(), errors.New("no source_id"))
		}
		out[st.SourceID] = st
	}
	return out, nil
}

// Save writes st atomically.
func (f *FileStore) Save(_ context.Context, st SourceState) error {
	if st.SourceID == "" || strings.ContainsAny(st.SourceID, `/\`) {
		return fmt.Errorf("file state store: bad source id %q", st.SourceID)
	}
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return fmt.Errorf("file state store: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, st.SourceID+".tmp*")
	if err != nil {
		return fmt.Errorf("file state store: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("file state store: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("file state store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("file state store: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(f.dir, st.SourceID+stateSuffix)); err != nil {
		return fmt.Errorf("file state store: %w", err)
	}
	return nil
}
