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
	"github.com/readout/readout/pkg/outbound"
)

// Defaults for Options.
const (
	DefaultMaxAttempts    = 8
	DefaultBaseDelay      = time.Second
	DefaultMaxDelay       = 5 * time.Minute
	DefaultRequestTimeout = 10 * time.Second
	DefaultAckRetention   = 90 * 24 * time.Hour
	// DefaultMaxBodyBytes bounds an event body: its delivery state must fit
	// one Kafka message (about 1 MiB by default) with room for the rest.
	DefaultMaxBodyBytes = 900 << 10
	// DefaultFlushRetry is how often state the store refused is saved again.
	DefaultFlushRetry = 5 * time.Second
	maxResponseBody   = 64 << 10
)

// Dead-letter reasons.
const (
	ReasonExhausted      = "webhook_attempts_exhausted"
	ReasonRejected       = "webhook_rejected"
	ReasonRedirected     = "webhook_redirected"          // the subscriber answered 3xx: redirects are not followed
	ReasonRefused        = "webhook_destination_refused" // a private address, not allowed for the subscriber
	ReasonTooLarge       = "webhook_event_too_large"
	ReasonMalformedEvent = "webhook_malformed_event" // a leader-calls record that is not an event
	ReasonMalformedState = "webhook_malformed_state" // a delivery-state record that does not decode
	StageDeliver         = "webhook.deliver"
	StageEnqueue         = "webhook.enqueue"
	StageRestore         = "webhook.restore"
)

// ErrNoStore is returned by NewDispatcher without a Store.
var ErrNoStore = errors.New("webhook: nil store")

// DeadLetterer receives deliveries that will not be retried.
type DeadLetterer interface {
	DeadLetter(ctx context.Context, dl model.DeadLetter) error
}

// Options tune a Dispatcher. Zero values take the defaults above.
type Options struct {
	// RequestTimeout bounds one attempt, reading the response included.
	RequestTimeout time.Duration
	MaxAttempts    int // attempts before a delivery is dead-lettered
	BaseDelay      time.Duration
	MaxDelay       time.Duration
	// DeadLetters receives what is given up. Nil: given-up deliveries are
	// dropped (still counted); with it, a delivery leaves the queue only once
	// its dead letter was written.
	DeadLetters DeadLetterer
	UserAgent   string
	// AckRetention bounds the delivery state: acknowledgements older than this
	// are forgotten. A replay of such an old version would be delivered again.
	AckRetention time.Duration
	// MaxBodyBytes bounds an event's JSON; a larger event is dead-lettered.
	MaxBodyBytes int
	// FlushRetry is how often state the store refused is saved again.
	FlushRetry time.Duration
	// Metrics, when set, receives the outcome counters and pending gauges.
	Metrics *Metrics
}

// Dispatcher delivers events to subscribers. Enqueue records what is owed;
// Run sends it. Both are safe for concurrent use.
//
// Locking: mu guards the in-memory state and is held only for memory work,
// never across HTTP, the dead-letter sink or the store. saveMu serializes
// saves; each save snapshots the keys it writes while holding it, so the
// store always receives a key's states in the order they happened.
type Dispatcher struct {
	subs  []Subscriber
	store Store
	opts  Options
	// public refuses private addresses; private is for subscribers that
	// allow them. Neither follows redirects (outbound.NewClient).
	public, private *http.Client

	saveMu sync.Mutex

	mu    sync.Mutex
	state *State
	dirty map[string]bool // entry keys changed in memory and not yet saved
	wake  map[string]chan struct{}
	stats Stats
}

// Stats counts outcomes since the Dispatcher was created.
type Stats struct {
	Delivered    int
	Failures     int // failed attempts, retried or not
	DeadLettered int
	SaveFailures int // store saves that failed (retried)
}

// NewDispatcher loads the delivery state from store.
func NewDispatcher(ctx context.Context, subs []Subscriber, store Store, opts Options) (*Dispatcher, error) {
	if store == nil {
		return nil, ErrNoStore
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
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
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.FlushRetry <= 0 {
		opts.FlushRetry = DefaultFlushRetry
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Readout-Webhook/1"
	}
	st, err := store.Load(ctx)
	if err != nil {
		return nil, err
	}
	if st.Subscribers == nil {
		st.Subscribers = map[string]*SubscriberState{}
	}
	d := &Dispatcher{subs: subs, store: store, opts: opts, state: st, dirty: map[string]bool{}, wake: map[string]chan struct{}{},
		public:  outbound.NewClient(outbound.ClientOptions{Timeout: opts.RequestTimeout}),
		private: outbound.NewClient(outbound.ClientOptions{Timeout: opts.RequestTimeout, AllowPrivate: true}),
	}
	opts.Metrics.init(subs)
	for _, s := range subs {
		if st.Subscribers[s.Name] == nil {
			st.Subscribers[s.Name] = &SubscriberState{Delivered: map[string]Acked{}}
		}
		if st.Subscribers[s.Name].Delivered == nil {
			st.Subscribers[s.Name].Delivered = map[string]Acked{}
		}
		d.wake[s.Name] = make(chan struct{}, 1)
		opts.Metrics.pending(s.Name, len(st.Subscribers[s.Name].Pending))
	}
	return d, nil
}

// Enqueue records ev for every subscriber whose filter matches and which has
// not acknowledged this or a newer version. A pending older version of the
// same event is replaced (each delivery carries the full current state).
// It returns only when what it recorded is durable in the store (and any
// earlier change the store refused), so the caller may then commit ev's
// offset. It returns the number of subscribers the event was queued for.
func (d *Dispatcher) Enqueue(ctx context.Context, ev *model.LeaderCall) (int, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("webhook: encode %s: %w", ev.ID, err)
	}
	if len(body) > d.opts.MaxBodyBytes {
		return 0, d.tooLarge(ctx, ev, body)
	}
	d.mu.Lock()
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
		d.dirty[EntryKey(s.Name, ev.ID)] = true
		d.opts.Metrics.pending(s.Name, len(ss.Pending))
		queued = append(queued, s.Name)
	}
	d.mu.Unlock()
	if err := d.flush(ctx); err != nil {
		return 0, err
	}
	for _, name := range queued {
		d.signal(name)
	}
	return len(queued), nil
}

// tooLarge dead-letters an event too large to keep in the delivery state,
// once for each subscriber it was meant for.
func (d *Dispatcher) tooLarge(ctx context.Context, ev *model.LeaderCall, body []byte) error {
	for _, s := range d.subs {
		if !s.Filter.Match(ev) {
			continue
		}
		dl := model.DeadLetter{Reason: ReasonTooLarge, Stage: StageEnqueue, Source: s.Name, Key: ev.ID,
			Error:   fmt.Sprintf("event %s v%d is %d bytes, over the %d-byte bound", ev.ID, ev.Version, len(body), d.opts.MaxBodyBytes),
			Payload: model.TruncatePayload(body), PayloadBytes: len(body), At: time.Now().UTC()}
		if d.opts.DeadLetters != nil {
			if err := d.opts.DeadLetters.DeadLetter(ctx, dl); err != nil {
				return fmt.Errorf("webhook: dead-letter oversized %s: %w", ev.ID, err)
			}
		}
		d.opts.Metrics.DeadLetter(ReasonTooLarge)
		d.opts.Metrics.delivery(s.Name, OutcomeDeadLettered)
		d.mu.Lock()
		d.stats.DeadLettered++
		d.mu.Unlock()
	}
	return nil
}

// flush saves every dirty entry. Saves are serialized and each snapshots
// its keys under saveMu, so a later state of a key is never overwritten by
// an earlier one. Keys whose save failed stay dirty for the next flush.
func (d *Dispatcher) flush(ctx context.Context) error {
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	d.mu.Lock()
	if len(d.dirty) == 0 {
		d.mu.Unlock()
		return nil
	}
	keys := make([]string, 0, len(d.dirty))
	entries := make([]Entry, 0, len(d.dirty))
	for k := range d.dirty {
		sub, id, err := ParseEntryKey(k)
		if err != nil { // keys are made by EntryKey
			delete(d.dirty, k)
			continue
		}
		keys = append(keys, k)
		entries = append(entries, d.state.entry(sub, id))
		delete(d.dirty, k)
	}
	d.mu.Unlock()
	if err := d.store.Save(ctx, entries); err != nil {
		d.mu.Lock()
		for _, k := range keys {
			d.dirty[k] = true
		}
		d.stats.SaveFailures++
		d.mu.Unlock()
		return fmt.Errorf("webhook: save delivery state: %w", err)
	}
	return nil
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
// receiver delays only itself; state the store refused is saved again every
// FlushRetry. When ctx is done it saves what is unsaved, then returns ctx.Err().
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, s := range d.subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work(ctx, s)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d.opts.FlushRetry)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = d.flush(ctx) // counted in Stats.SaveFailures; kept dirty
			}
		}
	}()
	wg.Wait()
	// Save what the last attempts recorded, so a restart does not re-send it.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalFlushTimeout)
	defer cancel()
	_ = d.flush(fctx)
	return ctx.Err()
}

// finalFlushTimeout bounds the save at shutdown.
const finalFlushTimeout = 10 * time.Second

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

// attempt sends one delivery and records the outcome. The HTTP request, the
// dead letter and the save all happen without d.mu held.
func (d *Dispatcher) attempt(ctx context.Context, s Subscriber, dl Delivery) {
	status, err := d.post(ctx, s, dl)
	if ctx.Err() != nil {
		return // shutting down: the delivery stays pending as it was
	}
	var dead *model.DeadLetter
	d.mu.Lock()
	ss := d.state.Subscribers[s.Name]
	i := pendingIndex(ss, dl.EventID)
	if i < 0 {
		d.mu.Unlock()
		return
	}
	key := EntryKey(s.Name, dl.EventID)
	cur := &ss.Pending[i]
	superseded := cur.Version != dl.Version // a newer version arrived meanwhile
	switch {
	case err == nil:
		d.stats.Delivered++
		d.opts.Metrics.delivery(s.Name, OutcomeDelivered)
		if ack, ok := ss.Delivered[dl.EventID]; !ok || ack.Version < dl.Version {
			ss.Delivered[dl.EventID] = Acked{Version: dl.Version, At: time.Now().UTC()}
		}
		if !superseded {
			ss.Pending = append(ss.Pending[:i], ss.Pending[i+1:]...)
		}
	case superseded:
		d.stats.Failures++ // the newer version is tried on its own schedule
		d.opts.Metrics.delivery(s.Name, OutcomeFailed)
	default:
		d.stats.Failures++
		d.opts.Metrics.delivery(s.Name, OutcomeFailed)
		cur.Attempts++
		cur.LastError = err.Error()
		reason := giveUp(status, err)
		if reason != "" || cur.Attempts >= d.opts.MaxAttempts {
			if reason == "" {
				reason = ReasonExhausted
			}
			dead = &model.DeadLetter{
				Reason:       reason,
				Error:        fmt.Sprintf("after %d attempts: %s", cur.Attempts, cur.LastError),
				Stage:        StageDeliver,
				Source:       s.Name,
				Key:          dl.EventID,
				Payload:      model.TruncatePayload(cur.Body),
				PayloadBytes: len(cur.Body),
				At:           time.Now().UTC(),
			}
			// Not retried while its dead letter is written; moved back below if that fails.
			cur.NextAttempt = time.Now().Add(d.opts.MaxDelay)
		} else {
			cur.NextAttempt = time.Now().Add(d.backoff(cur.Attempts))
		}
	}
	d.dirty[key] = true
	d.pruneAcks(s.Name, ss)
	d.opts.Metrics.pending(s.Name, len(ss.Pending))
	d.mu.Unlock()

	if dead != nil {
		d.deadLetter(ctx, s, dl, dead)
	}
	_ = d.flush(ctx) // a failed save stays dirty: retried by the next flush
}

// deadLetter writes a given-up delivery to the dead-letter sink, then drops
// it from the queue. If the sink fails, the delivery stays pending and is
// tried again after a backoff (at least once: nothing is lost).
func (d *Dispatcher) deadLetter(ctx context.Context, s Subscriber, dl Delivery, dead *model.DeadLetter) {
	var err error
	if d.opts.DeadLetters != nil {
		err = d.opts.DeadLetters.DeadLetter(ctx, *dead)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ss := d.state.Subscribers[s.Name]
	i := pendingIndex(ss, dl.EventID)
	if err != nil {
		if i >= 0 && ss.Pending[i].Version == dl.Version {
			ss.Pending[i].LastError = fmt.Sprintf("%s; dead letter not written: %v", ss.Pending[i].LastError, err)
			ss.Pending[i].NextAttempt = time.Now().Add(d.backoff(ss.Pending[i].Attempts))
		}
		return
	}
	d.stats.DeadLettered++
	d.opts.Metrics.delivery(s.Name, OutcomeDeadLettered)
	d.opts.Metrics.DeadLetter(dead.Reason)
	if i >= 0 && ss.Pending[i].Version == dl.Version {
		ss.Pending = append(ss.Pending[:i], ss.Pending[i+1:]...)
	}
	d.dirty[EntryKey(s.Name, dl.EventID)] = true
	d.opts.Metrics.pending(s.Name, len(ss.Pending))
}

// backoff is the delay before attempt n+1: exponential from BaseDelay,
// capped at MaxDelay, with "equal jitter" (between half and all of it).
func (d *Dispatcher) backoff(attempts int) time.Duration {
	delay := d.opts.MaxDelay
	if attempts < 32 {
		if exp := d.opts.BaseDelay << max(attempts-1, 0); exp > 0 && exp < delay {
			delay = exp
		}
	}
	half := delay / 2
	return half + rand.N(half+1)
}

// giveUp returns the dead-letter reason of a failed attempt that retrying
// cannot mend, or "". A 4xx other than 408, 425 and 429 is a rejection; a
// redirect (the URL moved: set it to the new one) and a refused private
// address are configuration for the operator to fix.
func giveUp(status int, err error) string {
	switch {
	case errors.Is(err, outbound.ErrPrivateAddress):
		return ReasonRefused
	case outbound.IsRedirect(status):
		return ReasonRedirected
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout &&
		status != http.StatusTooEarly && status != http.StatusTooManyRequests:
		return ReasonRejected
	}
	return ""
}

// deliveryID is the webhook-id of every attempt of one version of an event.
func deliveryID(eventID string, version int) string {
	return fmt.Sprintf("%s@v%d", eventID, version)
}

// post sends one attempt, signed; a non-2xx status is an error, a redirect
// too (it is not followed). Errors never carry the subscriber URL's
// credentials or query (RedactURL).
func (d *Dispatcher) post(ctx context.Context, s Subscriber, dl Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(dl.Body))
	if err != nil {
		return 0, fmt.Errorf("webhook: request %s: %w", s.Name, redactError(err, s.URL))
	}
	id, ts := deliveryID(dl.EventID, dl.Version), time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.opts.UserAgent)
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(s.Secret, id, ts, dl.Body))
	req.Header.Set(HeaderAttempt, strconv.Itoa(dl.Attempts+1))
	client := d.public
	if s.AllowPrivate {
		client = d.private
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: post %s: %w", s.Name, redactError(err, s.URL))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
	resp.Body.Close()
	switch {
	case outbound.IsRedirect(resp.StatusCode):
		return resp.StatusCode, fmt.Errorf("webhook: post %s (%s): status %d redirects to %s; redirects are not followed: set the subscriber's url to where it should deliver",
			s.Name, RedactURL(s.URL), resp.StatusCode, RedactURL(resp.Header.Get("Location")))
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return resp.StatusCode, fmt.Errorf("webhook: post %s (%s): status %d", s.Name, RedactURL(s.URL), resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// pruneAcks forgets acknowledgements older than AckRetention. Callers hold d.mu.
func (d *Dispatcher) pruneAcks(name string, ss *SubscriberState) {
	cutoff := time.Now().Add(-d.opts.AckRetention)
	for id, ack := range ss.Delivered {
		if ack.At.Before(cutoff) {
			delete(ss.Delivered, id)
			d.dirty[EntryKey(name, id)] = true
		}
	}
}
