package processor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// Runner consumes readout.raw.v1 as a consumer group and publishes the
// processor's outputs. For each batch it writes events first, then statements
// and dead letters (a statement on the topic marks its item as done), and
// commits the raw offsets only after all of them were acknowledged.
type Runner struct {
	Processor *Processor
	Bus       bus.Config
	Topics    bus.Topics
	Group     string
	Producer  *bus.Producer
	Logger    *zap.Logger
	// BatchSize and BatchWait bound a micro-batch (defaults 500, 20 ms).
	BatchSize int
	BatchWait time.Duration
	// Encoders add messages derived from an event (ninjs, PLOVER); optional.
	Encoders []EventEncoder
	// OnEvent is called for each emitted event version after it was acknowledged; optional.
	OnEvent func(*model.LeaderCall)
	// OnRestore is called for each event read back at start; optional.
	OnRestore func(*model.LeaderCall)

	ready atomic.Bool
}

// maxOutputBytes bounds an output message: the broker's default
// message.max.bytes is about 1 MiB, and headers and framing need room.
const maxOutputBytes = bus.MaxBatchBytes - 16<<10

// EventEncoder derives an extra message from an event, e.g. its ninjs document.
// It returns ErrSkip for an event its format does not represent.
type EventEncoder func(ev *model.LeaderCall) (bus.Message, error)

// ErrSkip tells the runner that an encoder has nothing to write for an event.
var ErrSkip = errors.New("processor: encoder skips this event")

// Ready reports whether state was restored and the consumer is running.
func (r *Runner) Ready() bool { return r.ready.Load() }

// Restore rebuilds the dedup state from the compacted statements and leader-calls topics.
func (r *Runner) Restore(ctx context.Context) error {
	start := time.Now()
	ns, err := bus.ReadAll(ctx, r.Bus, r.Topics.Statements, func(rec bus.Record) error {
		var st model.Statement
		if json.Unmarshal(rec.Value, &st) == nil && st.ID != "" {
			r.Processor.RestoreStatement(&st)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("processor: restore statements: %w", err)
	}
	ne, err := bus.ReadAll(ctx, r.Bus, r.Topics.LeaderCalls, func(rec bus.Record) error {
		var ev model.LeaderCall
		if json.Unmarshal(rec.Value, &ev) == nil && ev.ID != "" {
			r.Processor.RestoreEvent(&ev)
			if r.OnRestore != nil {
				r.OnRestore(&ev)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("processor: restore events: %w", err)
	}
	s, e := r.Processor.StateSize()
	r.Processor.cfg.Metrics.StateEntries.WithLabelValues("statements").Set(float64(s))
	r.Processor.cfg.Metrics.StateEntries.WithLabelValues("events").Set(float64(e))
	r.log().Info("state restored", zap.Int("statement_records", ns), zap.Int("event_records", ne),
		zap.Int("statements", s), zap.Int("events", e), zap.Duration("took", time.Since(start)))
	return nil
}

func (r *Runner) log() *zap.Logger {
	if r.Logger == nil {
		return zap.NewNop()
	}
	return r.Logger
}

// Run consumes until ctx is done, then finishes the batch in hand and returns.
func (r *Runner) Run(ctx context.Context) error {
	if r.BatchSize <= 0 {
		r.BatchSize = 500
	}
	if r.BatchWait <= 0 {
		r.BatchWait = 20 * time.Millisecond
	}
	c, err := bus.NewConsumer(r.Bus, r.Group, r.Topics.Raw)
	if err != nil {
		return err
	}
	defer c.Close()
	r.ready.Store(true)
	defer r.ready.Store(false)
	go r.watchLag(ctx)
	for {
		first, err := c.Fetch(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.log().Warn("fetch failed; retrying", zap.Error(err))
			if !sleep(ctx, time.Second) {
				return nil
			}
			continue
		}
		batch := []bus.Record{first}
		bctx, cancel := context.WithTimeout(ctx, r.BatchWait)
		for len(batch) < r.BatchSize {
			rec, err := c.Fetch(bctx)
			if err != nil {
				break
			}
			batch = append(batch, rec)
		}
		cancel()
		// The batch in hand is finished even during shutdown, within a bound.
		dctx, dcancel := drainContext(ctx, 30*time.Second)
		t0 := time.Now()
		err = r.process(dctx, c, batch)
		dcancel()
		r.log().Debug("batch", zap.Int("n", len(batch)), zap.Duration("process", time.Since(t0)))
		if err != nil {
			return err
		}
	}
}

func (r *Runner) process(ctx context.Context, c *bus.Consumer, batch []bus.Record) error {
	var events, rest []bus.Message
	type emission struct {
		ev *model.LeaderCall
		st *model.Statement // the statement whose arrival produced it
	}
	var emitted []emission
	ins := make([]Input, len(batch))
	for i, rec := range batch {
		ins[i] = Input{Value: rec.Value, Headers: rec.Headers, Topic: rec.Topic, Key: string(rec.Key), Partition: rec.Partition, Offset: rec.Offset}
	}
	for i, out := range r.Processor.HandleBatch(ins) {
		rec := batch[i]
		for _, ev := range out.Events {
			b, err := json.Marshal(ev)
			if err != nil {
				return fmt.Errorf("processor: encode event: %w", err)
			}
			events = append(events, bus.Message{Topic: r.Topics.LeaderCalls, Key: []byte(ev.ID), Value: b,
				Headers: map[string]string{model.HeaderSchema: model.SchemaLeaderCall}})
			for _, enc := range r.Encoders {
				m, err := enc(ev)
				if errors.Is(err, ErrSkip) {
					continue
				}
				if err != nil {
					r.log().Error("encode event output", zap.String("event", ev.ID), zap.Error(err))
					continue
				}
				events = append(events, m)
			}
			emitted = append(emitted, emission{ev, out.Statement})
		}
		if out.Statement != nil {
			b, err := json.Marshal(out.Statement)
			if err != nil {
				return fmt.Errorf("processor: encode statement: %w", err)
			}
			if len(b) > maxOutputBytes {
				// Kafka would refuse it forever: park the raw message instead of blocking the partition.
				out.DeadLetter = r.Processor.deadLetter(ins[i], ReasonOutputTooLarge,
					fmt.Errorf("statement %s encodes to %d bytes, over the %d a Kafka message may carry", out.Statement.ID, len(b), maxOutputBytes))
				r.Processor.cfg.Metrics.DeadLetters.WithLabelValues(ReasonOutputTooLarge).Inc()
			} else {
				rest = append(rest, bus.Message{Topic: r.Topics.Statements, Key: []byte(out.Statement.ID), Value: b,
					Headers: map[string]string{model.HeaderSchema: model.SchemaStatement, model.HeaderSource: out.Statement.Source}})
			}
		}
		if dl := out.DeadLetter; dl != nil {
			b, _ := json.Marshal(dl)
			rest = append(rest, bus.Message{Topic: r.Topics.DLQ, Key: rec.Key, Value: b,
				Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, "readout-reason": dl.Reason, model.HeaderSource: dl.Source}})
		}
	}
	t1 := time.Now()
	if err := r.write(ctx, events); err != nil {
		return err
	}
	t2 := time.Now()
	if err := r.write(ctx, rest); err != nil {
		return err
	}
	r.log().Debug("writes", zap.Int("events", len(events)), zap.Duration("events_write", t2.Sub(t1)), zap.Int("rest", len(rest)), zap.Duration("rest_write", time.Since(t2)))
	now := time.Now()
	m := r.Processor.cfg.Metrics
	for _, e := range emitted {
		if e.st != nil {
			m.PublishToEvent.Observe(now.Sub(e.st.PublishedAt).Seconds())
			m.FetchToEvent.Observe(now.Sub(e.st.FetchedAt).Seconds())
		}
		if r.OnEvent != nil {
			r.OnEvent(e.ev)
		}
	}
	return retry(ctx, r.log(), "commit", func() error { return c.Commit(ctx, batch...) })
}

// write writes msgs, retrying with backoff until acknowledged or ctx ends:
// nothing is skipped, so nothing is lost.
func (r *Runner) write(ctx context.Context, msgs []bus.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return retry(ctx, r.log(), "write", func() error { return r.Producer.Write(ctx, msgs...) })
}

func retry(ctx context.Context, log *zap.Logger, what string, fn func() error) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("processor: %s abandoned at shutdown: %w", what, errors.Join(err, ctx.Err()))
		}
		log.Warn(what+" failed; retrying", zap.Int("attempt", attempt), zap.Duration("backoff", backoff), zap.Error(err))
		if !sleep(ctx, backoff+time.Duration(rand.Int64N(int64(backoff/2)+1))) {
			return fmt.Errorf("processor: %s abandoned at shutdown: %w", what, err)
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (r *Runner) watchLag(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		lag, err := bus.GroupLag(ctx, r.Bus, r.Group, r.Topics.Raw)
		if err == nil {
			for p, l := range lag {
				r.Processor.cfg.Metrics.ConsumerLag.WithLabelValues(strconv.Itoa(p)).Set(float64(l))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drainContext is a context that outlives ctx's cancellation by at most grace.
func drainContext(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(grace, cancel)
	})
	return dctx, func() { stop(); cancel() }
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
