package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/readout/readout/pkg/model"
)

// Defaults for Options.
const (
	DefaultMaxAttempts    = 8
	DefaultBaseDelay      = time.Second
	DefaultMaxDelay       = 5 * time.Minute
	DefaultRequestTimeout = 10 * time.Second
	DefaultAckRetention   = 90 * 24 * time.Hour
	maxResponseBody       = 64 << 10
)

// Dead-letter reasons.
const (
	ReasonExhausted = "webhook_attempts_exhausted"
	ReasonRejected  = "webhook_rejected"
	StageDeliver    = "webhook.deliver"
)

// ErrNoStore is returned by NewDispatcher without a Store.
var ErrNoStore = errors.New("webhook: nil store")

// DeadLetterer receives deliveries that will not be retried.
type DeadLetterer interface {
	DeadLetter(ctx context.Context, dl model.DeadLetter) error
}

// Options tune a Dispatcher. Zero values take the defaults above.
type Options struct {
	Client      *http.Client // http.Client{Timeout: DefaultRequestTimeout} when nil
	MaxAttempts int          // attempts before a delivery is dead-lettered
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	DeadLetters DeadLetterer // nil: exhausted deliveries are dropped from the queue (still counted)
	UserAgent   string
	// AckRetention bounds the delivery state: acknowledgements older than this
	// are forgotten. A replay of such an old version would be delivered again.
	AckRetention time.Duration
}

// Dispatcher delivers events to subscribers. Enqueue records what is owed;
// Run sends it. Both are safe for concurrent use.
type Dispatcher struct {
	subs  []Subscriber
	store Store
	opts  Options

	mu    sync.Mutex
	state *State
	wake  map[string]chan struct{}
	stats Stats
}

// Stats counts outcomes since the Dispatcher was created.
type Stats struct {
	Delivered    int
	Failures     int // failed attempts, retried or not
	DeadLettered int
}

// NewDispatcher loads the delivery state from store.
func NewDispatcher(ctx context.Context, subs []Subscriber, store Store, opts Options) (*Dispatcher, error) {
	if store == nil {
		return nil, ErrNoStore
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: DefaultRequestTimeout}
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.AckRetention <= 0 {
		opts.AckRetention = DefaultAckRetention
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Readout-Webhook/1"
	}
	st, err := store.Load(ctx)
	if err != nil {
		return nil, err
	}
	d := &Dispatcher{subs: subs, store: store, opts: opts, state: st, wake: map[string]chan struct{}{}}
	for _, s := range subs {
		if st.Subscribers[s.Name] == nil {
			st.Subscribers[s.Name] = &SubscriberState{Delivered: map[string]Acked{}}
		}
		if st.Subscribers[s.Name].Delivered == nil {
			st.Subscribers[s.Name].Delivered = map[string]Acked{}
		}
		d.wake[s.Name] = make(chan struct{}, 1)
	}
	return d, nil
}

// Enqueue records ev for every subscriber whose filter matches and which has
// not acknowledged this or a newer version. A pending older version of the
// same event is replaced (each delivery carries the full current state).
// It returns the number of subscribers the event was queued for.
func (d *Dispatcher) Enqueue(ctx context.Context, ev *model.LeaderCall) (int, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("webhook: encode %s: %w", ev.ID, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	var queued []string
	for _, s := range d.subs {
		if !s.Filter.Match(ev) {
			continue
		}
		ss := d.state.Subscribers[s.Name]
		if ack, ok := ss.Delivered[ev.ID]; ok && ack.Version >= ev.Version {
			continue
		}
		i := pendingIndex(ss, ev.ID)
		if i >= 0 && ss.Pending[i].Version >= ev.Version {
			continue
		}
		dl := Delivery{EventID: ev.ID, Version: ev.Version, Body: body, NextAttempt: now, EnqueuedAt: now}
		if i >= 0 {
			ss.Pending[i] = dl
		} else {
			ss.Pending = append(ss.Pending, dl)
		}
		queued = append(queued, s.Name)
	}
	if len(queued) == 0 {
		return 0, nil
	}
	if err := d.store.Save(ctx, d.state); err != nil {
		return 0, err
	}
	for _, name := range queued {
		d.signal(name)
	}
	return len(queued), nil
}

func pendingIndex(ss *SubscriberState, eventID string) int {
	for i := range ss.Pending {
		if ss.Pending[i].EventID == eventID {
			return i
		}
	}
	return -1
}

func (d *Dispatcher) signal(name string) {
	select {
	case d.wake[name] <- struct{}{}:
	default:
	}
}

// Pending returns how many deliveries are owed to the subscriber.
func (d *Dispatcher) Pending(name string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ss := d.state.Subscribers[name]; ss != nil {
		return len(ss.Pending)
	}
	return 0
}

// Stats returns a snapshot of the counters.
func (d *Dispatcher) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// Run delivers until ctx is done, one worker per subscriber, so a slow
// receiver delays only itself. It returns ctx.Err().
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, s := range d.subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work(ctx, s)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

func (d *Dispatcher) work(ctx context.Context, s Subscriber) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		dl, wait, ok := d.next(s.Name)
		if ok {
			d.attempt(ctx, s, dl)
			if ctx.Err() != nil {
				return
			}
			continue
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-d.wake[s.Name]:
		case <-timer.C:
		}
	}
}

// next returns the earliest due delivery, or how long to wait for one.
func (d *Dispatcher) next(name string) (Delivery, time.Duration, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ss := d.state.Subscribers[name]
	now := time.Now()
	best := -1
	for i := range ss.Pending {
		if best < 0 || ss.Pending[i].NextAttempt.Before(ss.Pending[best].NextAttempt) {
			best = i
		}
	}
	if best < 0 {
		return Delivery{}, time.Hour, false
	}
	if wait := ss.Pending[best].NextAttempt.Sub(now); wait > 0 {
		return Delivery{}, wait, false
	}
	return ss.Pending[best], 0, true
}

// attempt sends one delivery and records the outcome.
func (d *Dispatcher) attempt(ctx context.Context, s Subscriber, dl Delivery) {
	status, err := d.post(ctx, s, dl)
	if ctx.Err() != nil {
		return // shutting down: the delivery stays pending as it was
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ss := d.state.Subscribers[s.Name]
	i := pendingIndex(ss, dl.EventID)
	if i < 0 {
		return
	}
	cur := &ss.Pending[i]
	superseded := cur.Version != dl.Version // a newer version arrived meanwhile
	switch {
	case err == nil:
		d.stats.Delivered++
		if ack, ok := ss.Delivered[dl.EventID]; !ok || ack.Version < dl.Version {
			ss.Delivered[dl.EventID] = Acked{Version: dl.Version, At: time.Now().UTC()}
		}
		if !superseded {
			ss.Pending = append(ss.Pending[:i], ss.Pending[i+1:]...)
		}
	case superseded:
		d.stats.Failures++ // the newer version is tried on its own schedule
	default:
		d.stats.Failures++
		cur.Attempts++
		cur.LastError = err.Error()
		permanent := status >= 400 && status < 500 && status != http.StatusRequestTimeout &&
			status != http.StatusTooEarly && status != http.StatusTooManyRequests
		if permanent || cur.Attempts >= d.opts.MaxAttempts {
			reason := ReasonExhausted
			if permanent {
				reason = ReasonRejected
			}
			d.deadLetter(ctx, s, *cur, reason)
			ss.Pending = append(ss.Pending[:i], ss.Pending[i+1:]...)
		} else {
			cur.NextAttempt = time.Now().Add(d.backoff(cur.Attempts))
		}
	}
	d.pruneAcks(ss)
	if err := d.store.Save(ctx, d.state); err != nil {
		// The in-memory state is ahead of the store; the next save catches up.
		// At worst a restart re-sends this version once (at-least-once).
		d.stats.Failures++
	}
}

// backoff is the delay before attempt n+1: exponential from BaseDelay,
// capped at MaxDelay, with "equal jitter" (between half and all of it).
func (d *Dispatcher) backoff(attempts int) time.Duration {
	delay := d.opts.MaxDelay
	if attempts < 32 {
		if exp := d.opts.BaseDelay << (attempts - 1); exp > 0 && exp < delay {
			delay = exp
		}
	}
	half := delay / 2
	return half + rand.N(half+1)
}

func (d *Dispatcher) deadLetter(ctx context.Context, s Subscriber, dl Delivery, reason string) {
	d.stats.DeadLettered++
	if d.opts.DeadLetters == nil {
		return
	}
	// Dead letters are best-effort here: the state save below drops the delivery either way.
	_ = d.opts.DeadLetters.DeadLetter(ctx, model.DeadLetter{
		Reason:  reason,
		Error:   fmt.Sprintf("after %d attempts: %s", dl.Attempts, dl.LastError),
		Stage:   StageDeliver,
		Source:  s.Name,
		Key:     dl.EventID,
		Payload: dl.Body,
		At:      time.Now().UTC(),
	})
}

// post sends one attempt; a non-2xx status is an error.
func (d *Dispatcher) post(ctx context.Context, s Subscriber, dl Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(dl.Body))
	if err != nil {
		return 0, fmt.Errorf("webhook: request %s: %w", s.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.opts.UserAgent)
	req.Header.Set(HeaderSignature, Sign(s.Secret, dl.Body))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set(HeaderEventID, dl.EventID)
	req.Header.Set(HeaderEventVersion, strconv.Itoa(dl.Version))
	req.Header.Set(HeaderDelivery, fmt.Sprintf("%s@v%d", dl.EventID, dl.Version))
	req.Header.Set(HeaderAttempt, strconv.Itoa(dl.Attempts+1))
	resp, err := d.opts.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: post %s: %w", s.Name, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhook: post %s: status %d", s.Name, resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// pruneAcks forgets acknowledgements older than AckRetention. Callers hold d.mu.
func (d *Dispatcher) pruneAcks(ss *SubscriberState) {
	cutoff := time.Now().Add(-d.opts.AckRetention)
	for id, ack := range ss.Delivered {
		if ack.At.Before(cutoff) {
			delete(ss.Delivered, id)
		}
	}
}
