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
	DefaultSubscriberBuffer  = 64
	DefaultHeartbeatInterval = 15 * time.Second
	DefaultFeedID            = "urn:readout:feed:leader-calls"
	DefaultFeedTitle         = "Readout: leader telephone calls"
)

// Options configure a Hub. Zero values take the defaults above.
type Options struct {
	FeedSize          int           // events in the Atom feed (latest by update time)
	RingSize          int           // SSE messages kept for Last-Event-ID resume
	SubscriberBuffer  int           // messages queued per SSE client before it is dropped
	HeartbeatInterval time.Duration // SSE comment lines that keep idle connections open
	FeedID            string        // Atom feed id (an IRI)
	FeedTitle         string
	SelfURL           string // Atom rel="self" link; derived from the request when empty
}

// message is one SSE message: one version of one event.
type message struct {
	id   string // SSE id: event id + "@v" + version
	data []byte // the event as JSON, one line
}

// stored is the latest version of one event, with the order it arrived in.
type stored struct {
	ev  model.LeaderCall
	seq uint64
}

// Hub holds the latest events and fans them out to SSE clients. It is safe
// for concurrent use; the zero value is not usable, use New.
type Hub struct {
	opts Options

	mu     sync.Mutex
	seq    uint64
	events map[string]*stored
	ring   []message // oldest first, at most opts.RingSize
	subs   map[chan message]struct{}
}

// New returns a Hub with opts, defaults filled in.
func New(opts Options) *Hub {
	if opts.FeedSize <= 0 {
		opts.FeedSize = DefaultFeedSize
	}
	if opts.RingSize <= 0 {
		opts.RingSize = DefaultRingSize
	}
	if opts.SubscriberBuffer <= 0 {
		opts.SubscriberBuffer = DefaultSubscriberBuffer
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = DefaultHeartbeatInterval
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
		subs:   make(map[chan message]struct{}),
	}
}

// MessageID is the SSE id of one version of an event.
func MessageID(ev *model.LeaderCall) string {
	return fmt.Sprintf("%s@v%d", ev.ID, ev.Version)
}

// Publish records ev (a full current state, as on readout.leader-calls.v1)
// and sends it to every SSE client. A version not newer than the one held is
// ignored, so replays from Kafka do not reach readers twice. A client whose
// queue is full is disconnected; it resumes with Last-Event-ID.
func (h *Hub) Publish(ev *model.LeaderCall) {
	if ev == nil || ev.ID == "" {
		return
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return // a LeaderCall always marshals; nothing to send otherwise
	}
	msg := message{id: MessageID(ev), data: data}

	h.mu.Lock()
	defer h.mu.Unlock()
	if old, ok := h.events[ev.ID]; ok && old.ev.Version >= ev.Version {
		return
	}
	h.seq++
	h.events[ev.ID] = &stored{ev: *ev, seq: h.seq}
	h.trimEvents()
	h.ring = append(h.ring, msg)
	// Compact only when the ring is twice its size: amortised O(1) per message.
	if len(h.ring) >= 2*h.opts.RingSize {
		h.ring = append(make([]message, 0, 2*h.opts.RingSize), h.ring[len(h.ring)-h.opts.RingSize:]...)
	}
	for ch := range h.subs {
		select {
		case ch <- msg:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
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

// subscribe registers a client and returns its channel and the backlog it
// missed: the ring after lastID, the whole ring when lastID is no longer
// (or was never) in it, nothing when lastID is empty.
func (h *Hub) subscribe(lastID string) (chan message, []message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan message, h.opts.SubscriberBuffer)
	h.subs[ch] = struct{}{}
	if lastID == "" {
		return ch, nil
	}
	ring := h.ring
	if len(ring) > h.opts.RingSize {
		ring = ring[len(ring)-h.opts.RingSize:]
	}
	start := 0
	for i := len(ring) - 1; i >= 0; i-- {
		if ring[i].id == lastID {
			start = i + 1
			break
		}
	}
	return ch, append([]message(nil), ring[start:]...)
}

func (h *Hub) unsubscribe(ch chan message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// Subscribers reports how many SSE clients are connected.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
