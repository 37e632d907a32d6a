package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/readout/readout/pkg/model"
)

// SourceState is what the crawler remembers about one source between polls.
type SourceState struct {
	SourceID string `json:"source_id"`
	// URL is the URL that ETag and LastModified were answered for, and
	// RequestURL the configured URL (source URL or fallback) whose request
	// was answered there, through redirects when they differ. They are
	// recorded only from a document whose every new entry was handled.
	URL          string `json:"url,omitempty"`
	RequestURL   string `json:"request_url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Seen maps item key (model.RawItem.Key) to the content hash last published.
	Seen map[string]string `json:"seen"`
	// SeenAt is when each key was last present in the source; it bounds Seen.
	SeenAt map[string]time.Time `json:"seen_at"`
	// PolledAt is when the fields below and the validators were last read
	// from the source; merge keeps those of the record polled last.
	PolledAt time.Time `json:"polled_at,omitzero"`
	// NewestPublished is the publication time of the newest item the source
	// has shown, PublishIntervalSeconds the median gap between its recent
	// items: the staleness gauges, restored at start and kept on 304s.
	NewestPublished        time.Time `json:"newest_published,omitzero"`
	PublishIntervalSeconds float64   `json:"publish_interval_seconds,omitempty"`
	// Recent are the newest entries of an HTML listing, newest first, as
	// listed: re-fetched now and then to find edits (sources.Refresh).
	Recent []RecentEntry `json:"recent,omitempty"`
	// Rejected are the entries of the source's current document that were
	// dead-lettered (reject key -> reason): each is reported once while the
	// source keeps it, not on every poll.
	Rejected map[string]string `json:"rejected,omitempty"`
	// Backfill is what `crawler backfill` has done for the source (written
	// by the backfill; merge keeps the latest).
	Backfill  *BackfillProgress `json:"backfill,omitempty"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// RecentEntry is one entry of an HTML listing.
type RecentEntry struct {
	URL   string    `json:"url"`
	Title string    `json:"title,omitempty"`
	Time  time.Time `json:"time,omitzero"`
}

func (e RecentEntry) equal(o RecentEntry) bool {
	return e.URL == o.URL && e.Title == o.Title && e.Time.Equal(o.Time)
}

// StateStore persists source states. Save must be durable when it returns.
type StateStore interface {
	Load(ctx context.Context) (map[string]SourceState, error) // by source id
	Save(ctx context.Context, st SourceState) error
}

func newSourceState(id string) SourceState {
	return SourceState{SourceID: id, Seen: map[string]string{}, SeenAt: map[string]time.Time{}}
}

func (s SourceState) clone() SourceState {
	c := s
	c.Seen = maps.Clone(s.Seen)
	if c.Seen == nil {
		c.Seen = map[string]string{}
	}
	c.SeenAt = maps.Clone(s.SeenAt)
	if c.SeenAt == nil {
		c.SeenAt = map[string]time.Time{}
	}
	c.Recent = slices.Clone(s.Recent)
	c.Rejected = maps.Clone(s.Rejected)
	c.Backfill = s.Backfill.clone()
	return c
}

// merge folds o, another record of the same source (another writer's, such
// as a backfill's), into s: the seen keys are the union of both, a key both
// hold taking the hash of its later sighting; validators, recent entries,
// rejections and the publishing rhythm are those of the record polled last,
// the backfill progress the latest one.
func (s *SourceState) merge(o SourceState) {
	for k, h := range o.Seen {
		at := o.SeenAt[k]
		if _, ok := s.Seen[k]; !ok || at.After(s.SeenAt[k]) {
			s.Seen[k] = h
			s.SeenAt[k] = at
		}
	}
	if o.PolledAt.After(s.PolledAt) {
		s.URL, s.RequestURL, s.ETag, s.LastModified = o.URL, o.RequestURL, o.ETag, o.LastModified
		s.PolledAt, s.PublishIntervalSeconds = o.PolledAt, o.PublishIntervalSeconds
		s.Recent, s.Rejected = slices.Clone(o.Recent), maps.Clone(o.Rejected)
	}
	if o.NewestPublished.After(s.NewestPublished) {
		s.NewestPublished = o.NewestPublished
	}
	// A live crawler's record carries the backfill progress it loaded: the
	// backfill's own, updated later, wins.
	if o.Backfill != nil && (s.Backfill == nil || o.Backfill.UpdatedAt.After(s.Backfill.UpdatedAt)) {
		s.Backfill = o.Backfill.clone()
	}
	if o.UpdatedAt.After(s.UpdatedAt) {
		s.UpdatedAt = o.UpdatedAt
	}
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
	for _, k := range s.oldestFirst(keep) {
		if len(s.Seen) <= max {
			break
		}
		delete(s.Seen, k)
		delete(s.SeenAt, k)
	}
}

// oldestFirst returns the seen keys not in keep, least recently seen first.
func (s *SourceState) oldestFirst(keep map[string]bool) []string {
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
	return keys
}

// ErrStateTooLarge is returned by a save whose record would exceed the
// crawler's MaxStateBytes: the record is not written.
var ErrStateTooLarge = errors.New("crawler: state record too large")

// DefaultMaxStateBytes bounds the encoded state of one source: one Kafka
// message, which the broker refuses beyond its message.max.bytes (1 MiB by
// default).
const DefaultMaxStateBytes = model.MaxMessageBytes

// encodedSize is the size of st as the Kafka store writes it.
func encodedSize(st SourceState) (int, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return 0, fmt.Errorf("crawler: encode state of %s: %w", st.SourceID, err)
	}
	return len(b), nil
}

// fit drops seen keys not in keep, least recently seen first, until s
// encodes to at most max bytes, and returns how many it dropped. The keys
// of the current document are never dropped: when they alone are too
// large, the save refuses the record (ErrStateTooLarge).
func (s *SourceState) fit(max int, keep map[string]bool) int {
	size, err := encodedSize(*s)
	dropped := 0
	for err == nil && size > max {
		keys := s.oldestFirst(keep)
		if len(keys) == 0 {
			break
		}
		for _, k := range keys {
			if size <= max {
				break
			}
			size -= seenEntrySize(k, s.Seen[k], s.SeenAt[k])
			delete(s.Seen, k)
			delete(s.SeenAt, k)
			dropped++
		}
		size, err = encodedSize(*s) // the estimate is close; measure again
	}
	return dropped
}

// seenEntrySize is what one key adds to the encoded state: its entries in
// seen and seen_at with their separators.
func seenEntrySize(key, hash string, at time.Time) int {
	k, _ := json.Marshal(key)
	h, _ := json.Marshal(hash)
	t, _ := json.Marshal(at)
	return 2*(len(k)+2) + len(h) + len(t)
}

// checkedStore is the crawler's view of its StateStore: it refuses a record
// larger than max before writing it, exports each record's size, and keeps
// the error of each source's last save, which holds the source's new items
// back and the crawler unready until a save succeeds.
type checkedStore struct {
	StateStore
	max int
	m   *metrics

	mu      sync.Mutex
	unsaved map[string]error // by source id: why its latest state is not saved
}

func newCheckedStore(s StateStore, max int, m *metrics) *checkedStore {
	return &checkedStore{StateStore: s, max: max, m: m, unsaved: map[string]error{}}
}

// Save writes st if it fits, and records the outcome.
func (s *checkedStore) Save(ctx context.Context, st SourceState) error {
	err := s.save(ctx, st)
	s.mu.Lock()
	if err != nil {
		s.unsaved[st.SourceID] = err
	} else {
		delete(s.unsaved, st.SourceID)
	}
	s.mu.Unlock()
	unsaved := 0.0
	if err != nil {
		unsaved = 1
	}
	s.m.stateUnsaved.WithLabelValues(st.SourceID).Set(unsaved)
	return err
}

func (s *checkedStore) save(ctx context.Context, st SourceState) error {
	n, err := encodedSize(st)
	if err != nil {
		return err
	}
	s.m.stateBytes.WithLabelValues(st.SourceID).Set(float64(n))
	if n > s.max {
		return fmt.Errorf("%w: the state of %s encodes to %d bytes, over the %d a record may carry (%d seen keys)",
			ErrStateTooLarge, st.SourceID, n, s.max, len(st.Seen))
	}
	return s.StateStore.Save(ctx, st)
}

// err returns why the latest state of source id is not saved, or nil.
func (s *checkedStore) err(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unsaved[id]
}

// errs returns, sorted by source, why states are not saved.
func (s *checkedStore) errs() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := slices.Sorted(maps.Keys(s.unsaved))
	errs := make([]error, 0, len(ids))
	for _, id := range ids {
		errs = append(errs, fmt.Errorf("crawler: state of source %s not saved: %w", id, s.unsaved[id]))
	}
	return errors.Join(errs...)
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
