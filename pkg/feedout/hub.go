package feedout

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/readout/readout/pkg/model"
)

// Defaults for Options.
const (
	DefaultFeedSize          = 50
	DefaultRingSize          = 1024
	DefaultHeartbeatInterval = 15 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultFeedID            = "urn:readout:feed:leader-calls"
	DefaultFeedTitle         = "Readout: leader telephone calls"
)

// Options configure a Hub. Zero values take the defaults above.
type Options struct {
	FeedSize int // events in the Atom feed (latest by update time)
	// RingSize is the replay buffer: the latest SSE messages, which every
	// client reads at its own pace and resumes from with Last-Event-ID.
	RingSize          int
	HeartbeatInterval time.Duration // SSE comment lines that keep idle connections open
	// WriteTimeout bounds each write to an SSE client: one that accepts
	// nothing for this long is disconnected (it resumes with Last-Event-ID).
	// Streams set their own deadlines, so the server's WriteTimeout and
	// ReadTimeout do not end them.
	WriteTimeout time.Duration
	FeedID       string // Atom feed id (an IRI)
	FeedTitle    string
	// SelfURL is the Atom rel="self" link, the feed's public URL. When empty
	// the link is the request path alone: the Host header is never reflected.
	SelfURL string
	Metrics *Metrics // nil counts nothing
}

// message is one SSE message: one version of one event.
type message struct {
	seq  uint64 // its place in the order of publication, from 1
	id   string // SSE id: event id + "@v" + version
	data []byte // the event as JSON, one line
}

// stored is the latest version of one event, with the order it arrived in.
type stored struct {
	ev  model.LeaderCall
	seq uint64
}

// Hub holds the latest events and the replay buffer the SSE clients read.
// It is safe for concurrent use; the zero value is not usable, use New.
type Hub struct {
	opts Options

	mu      sync.Mutex
	seq     uint64 // the last message published
	events  map[string]*stored
	ring    []message     // oldest first; the last opts.RingSize are held
	wake    chan struct{} // closed at the next publication
	clients int
}

// New returns a Hub with opts, defaults filled in.
func New(opts Options) *Hub {
	if opts.FeedSize <= 0 {
		opts.FeedSize = DefaultFeedSize
	}
	if opts.RingSize <= 0 {
		opts.RingSize = DefaultRingSize
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	if opts.FeedID == "" {
		opts.FeedID = DefaultFeedID
	}
	if opts.FeedTitle == "" {
		opts.FeedTitle = DefaultFeedTitle
	}
	return &Hub{
		opts:   opts,
		events: make(map[string]*stored),
		wake:   make(chan struct{}),
	}
}

// MessageID is the SSE id of one version of an event.
func MessageID(ev *model.LeaderCall) string {
	return fmt.Sprintf("%s@v%d", ev.ID, ev.Version)
}

// Publish records ev (a full current state, as on readout.leader-calls.v1)
// and appends it to the replay buffer, waking every SSE client. A version
// not newer than the one held is ignored, so replays from Kafka do not reach
// readers twice.
func (h *Hub) Publish(ev *model.LeaderCall) {
	if ev == nil || ev.ID == "" {
		return
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return // a LeaderCall always marshals; nothing to send otherwise
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	if old, ok := h.events[ev.ID]; ok && old.ev.Version >= ev.Version {
		return
	}
	h.seq++
	h.events[ev.ID] = &stored{ev: *ev, seq: h.seq}
	h.trimEvents()
	h.ring = append(h.ring, message{seq: h.seq, id: MessageID(ev), data: data})
	// Compact only when the ring is twice its size: amortised O(1) per message.
	if len(h.ring) >= 2*h.opts.RingSize {
		h.ring = append(make([]message, 0, 2*h.opts.RingSize), h.ring[len(h.ring)-h.opts.RingSize:]...)
	}
	close(h.wake)
	h.wake = make(chan struct{})
}

// trimEvents keeps the events map bounded: past 8 times the feed size it
// drops all but the latest 4 times (amortised). Callers hold h.mu.
func (h *Hub) trimEvents() {
	limit := 4 * h.opts.FeedSize
	if len(h.events) < 2*limit {
		return
	}
	all := h.latestLocked(len(h.events))
	for _, s := range all[limit:] {
		delete(h.events, s.ev.ID)
	}
}

// Latest returns copies of the latest n events, newest update first.
func (h *Hub) Latest(n int) []model.LeaderCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.latestLocked(n)
	out := make([]model.LeaderCall, len(st))
	for i, s := range st {
		out[i] = s.ev
	}
	return out
}

func (h *Hub) latestLocked(n int) []*stored {
	all := make([]*stored, 0, len(h.events))
	for _, s := range h.events {
		all = append(all, s)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.ev.UpdatedAt.Equal(b.ev.UpdatedAt) {
			return a.ev.UpdatedAt.After(b.ev.UpdatedAt)
		}
		return a.seq > b.seq
	})
	if n < len(all) {
		all = all[:n]
	}
	return all
}

// held is the replay buffer: the latest RingSize messages. Callers hold h.mu.
func (h *Hub) held() []message {
	if len(h.ring) > h.opts.RingSize {
		return h.ring[len(h.ring)-h.opts.RingSize:]
	}
	return h.ring
}

// position is where a client resumes: after lastID if the buffer holds it,
// after the last message published when lastID is empty. An id the buffer
// does not hold (expired, or never sent) resumes before the oldest message
// held and reports expired: messages in between may be lost.
func (h *Hub) position(lastID string) (pos uint64, expired bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if lastID == "" {
		return h.seq, false
	}
	held := h.held()
	for i := len(held) - 1; i >= 0; i-- {
		if held[i].id == lastID {
			return held[i].seq, false
		}
	}
	return h.seq - uint64(len(held)), true
}

// since returns the messages published after pos and a channel closed at
// the next publication. lagged reports that some of them are no longer held:
// the client fell further behind than the buffer reaches.
func (h *Hub) since(pos uint64) (msgs []message, wake <-chan struct{}, lagged bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	held := h.held()
	n := h.seq - pos
	if n > uint64(len(held)) {
		return nil, nil, true
	}
	// The messages are never modified and appends go past this slice's end:
	// it is safe to read without the lock.
	return held[len(held)-int(n):], h.wake, false
}

// connected counts an SSE client in (+1) or out (-1).
func (h *Hub) connected(delta int) {
	h.mu.Lock()
	h.clients += delta
	h.mu.Unlock()
	h.opts.Metrics.streams(float64(delta))
}

// Subscribers reports how many SSE clients are connected.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.clients
}
