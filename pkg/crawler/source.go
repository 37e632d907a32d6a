package crawler

import (
	"sync"
	"sync/atomic"

	"github.com/readout/readout/pkg/outbound"
	"github.com/readout/readout/pkg/sources"
)

// sourceRun is what the crawler keeps about one enabled source.
type sourceRun struct {
	src   sources.Source
	hosts *outbound.Hosts // where its requests may go: its own hosts and ports only
	// lock is held by a poll, a backfill step or the shutdown drain: one
	// at a time per source.
	lock      sync.Mutex
	attempted atomic.Bool // polled at least once, successfully or not

	mu       sync.Mutex // guards the fields below
	state    SourceState
	failures int           // consecutive failed polls
	pending  []pendingItem // fetched, not yet acknowledged by the sink
	polls    int           // polls since start (refresh schedule)
	// Polls in a row by item key: how long an item has waited for its
	// article page, and how often a listing entry's page failed.
	deferrals    map[string]int
	articleFails map[string]int
}

func newSourceRun(src sources.Source) *sourceRun {
	return &sourceRun{src: src, hosts: outbound.NewHosts(src.AllowedHosts()...), state: newSourceState(src.ID),
		deferrals: map[string]int{}, articleFails: map[string]int{}}
}

// run returns the run of the enabled source id, or nil.
func (c *Crawler) run(id string) *sourceRun {
	for _, r := range c.runs {
		if r.src.ID == id {
			return r
		}
	}
	return nil
}

func (c *Crawler) source(id string) (sources.Source, bool) {
	if r := c.run(id); r != nil {
		return r.src, true
	}
	return sources.Source{}, false
}

// state returns a copy of the state of source id.
func (c *Crawler) state(id string) SourceState {
	if r := c.run(id); r != nil {
		return r.getState()
	}
	return newSourceState(id)
}

func (c *Crawler) setState(st SourceState) {
	if r := c.run(st.SourceID); r != nil {
		r.setState(st)
	}
}

func (r *sourceRun) getState() SourceState {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.state.clone()
	st.SourceID = r.src.ID
	return st
}

func (r *sourceRun) setState(st SourceState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = st
}

// failed counts one more consecutive failure and returns the count.
func (r *sourceRun) failed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures++
	return r.failures
}

func (r *sourceRun) succeeded() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = 0
}

// countPoll counts a poll and returns the number of polls before it.
func (r *sourceRun) countPoll() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polls++
	return r.polls - 1
}

// bump adds one to counts[key] (one of the run's counts of polls in a row)
// and returns it.
func (r *sourceRun) bump(counts map[string]int, key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts[key]++
	return counts[key]
}

// reset drops key from counts.
func (r *sourceRun) reset(counts map[string]int, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(counts, key)
}

// forget drops from counts the keys cy sent or its document no longer lists.
func (r *sourceRun) forget(counts map[string]int, cy *cycle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range counts {
		if _, sent := cy.hashes[k]; sent || !cy.present[k] {
			delete(counts, k)
		}
	}
}

// pendingKeys returns the item keys of the pending items.
func (r *sourceRun) pendingKeys() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.pending))
	for _, p := range r.pending {
		keys = append(keys, p.item.Key())
	}
	return keys
}
