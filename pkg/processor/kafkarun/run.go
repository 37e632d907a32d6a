// Package kafkarun runs the processor's steps on Kafka: each step reads its
// own topic partitions, as a member of a consumer group of any number of
// instances, and rebuilds the state of the partitions it is assigned from
// the compacted topics.
package kafkarun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/retry"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// Runner runs the processor on Kafka, as one member of a consumer group of
// any number of instances. Each step reads its own topic, partitioned so
// that every record a step's state depends on reaches one partition:
//
//	readout.raw.v1         (key: item)      → prepare → readout.prepared.v1 (key: statement id), DLQ
//	readout.prepared.v1    (key: statement) → dedupe  → readout.call-reports.v1 (key: the call's
//	                                                    partition key), then readout.statements.v1
//	readout.call-reports.v1 (key: parties)  → merge   → readout.leader-calls.v1 and derived outputs
//
// At every rebalance the state of exactly the partitions this instance was
// assigned is rebuilt from their share of the compacted statements and
// leader-calls topics (the partitions of the same numbers) before it reads
// them. Each batch is committed only after its outputs were
// acknowledged (at-least-once); the outputs are idempotent by key, and a
// record read again finds its effect in the rebuilt state and changes nothing.
type Runner struct {
	Processor *processor.Processor
	Bus       bus.Config
	Topics    bus.Topics
	Group     string
	Producer  *bus.Producer
	Logger    *zap.Logger
	// BatchSize and BatchWait bound a micro-batch per partition (defaults 500, 20 ms).
	BatchSize int
	BatchWait time.Duration
	// Encoders add messages derived from an event (ninjs, PLOVER); optional.
	Encoders []EventEncoder
	// OnEvent is called for each emitted event version after it was acknowledged; optional.
	OnEvent func(*model.LeaderCall)

	ready   atomic.Bool
	mu      sync.Mutex
	readers map[*bus.PartitionReader]bool // the partitions being read
}

// drainGrace bounds how long after shutdown or the end of a generation (a
// rebalance began) the batch in hand may still start writes and commits, so
// that it is committed rather than redone by the next owner. Writes are
// rounds of bus.Producer.WriteAttempts that run to their end: all are over
// drainGrace + bus.AttemptTimeout after the generation ended, well within
// bus.SessionTimeout, so the broker does not give the partitions to another
// member while this one still writes to their outputs (kafka-go has no
// fencing: see README, Delivery guarantees).
const drainGrace = 10 * time.Second

// EventEncoder derives an extra message from an event, e.g. its ninjs document.
// It returns ErrSkip for an event its format does not represent.
type EventEncoder func(ev *model.LeaderCall) (bus.Message, error)

// ErrSkip tells the runner that an encoder has nothing to write for an event.
var ErrSkip = errors.New("processor: encoder skips this event")

// Ready reports whether the instance consumes with the state of all its
// partitions rebuilt, and none of its partitions has been failing to read
// for bus.ReadErrorGrace (see Readiness).
func (r *Runner) Ready() bool { return r.Readiness() == nil }

// Readiness is nil when the instance consumes with the state of all its
// partitions rebuilt, else why not: not consuming yet (joining the group,
// rebuilding state), or a partition's reads have been failing for
// bus.ReadErrorGrace (kafka-go retries them without end: the broker away, a
// partition without a leader).
func (r *Runner) Readiness() error {
	if !r.ready.Load() {
		return errors.New("processor: not consuming (joining the group or rebuilding state)")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for pr := range r.readers {
		if err := pr.Failing(); err != nil {
			return fmt.Errorf("processor: %w", err)
		}
	}
	return nil
}

func (r *Runner) reading(pr *bus.PartitionReader, on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.readers == nil {
		r.readers = map[*bus.PartitionReader]bool{}
	}
	if on {
		r.readers[pr] = true
	} else {
		delete(r.readers, pr)
	}
}

func (r *Runner) log() *zap.Logger {
	if r.Logger == nil {
		return zap.NewNop()
	}
	return r.Logger
}

// Run consumes until ctx is done, then finishes the batches in hand and returns.
func (r *Runner) Run(ctx context.Context) error {
	if r.BatchSize <= 0 {
		r.BatchSize = 500
	}
	if r.BatchWait <= 0 {
		r.BatchWait = 20 * time.Millisecond
	}
	g, err := bus.NewGroup(r.Bus, r.Group, r.Topics.Raw, r.Topics.Prepared, r.Topics.CallReports)
	if err != nil {
		return err
	}
	defer g.Close()
	g.OnOffsetReset = func(o bus.OffsetReset) {
		r.Processor.Metrics().OffsetResets.WithLabelValues(o.Topic, o.Reason).Inc()
		r.log().Warn("offset outside the partition's log: reading it again from its start", zap.String("topic", o.Topic),
			zap.Int("partition", o.Partition), zap.Int64("offset", o.Offset), zap.Int64("first", o.First), zap.Int64("end", o.End),
			zap.String("reason", o.Reason))
	}
	defer r.ready.Store(false)
	go r.watchLag(ctx)
	for {
		gen, err := g.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.log().Warn("joining the group failed; retrying", zap.String("group", r.Group), zap.Error(err))
			if !retry.Sleep(ctx, time.Second) {
				return nil
			}
			continue
		}
		r.Processor.Metrics().Rebalances.Inc()
		r.ready.Store(false)
		gen.Start(func(gctx context.Context) { r.generation(ctx, gctx, gen) })
	}
}

// generation rebuilds the state of the partitions gen assigned and consumes
// them until the generation or ctx ends.
func (r *Runner) generation(ctx, gctx context.Context, gen *bus.Generation) {
	ctx, cancel := bothContext(ctx, gctx)
	defer cancel()
	log := r.log().With(zap.Int("generation", gen.ID))
	log.Info("partitions assigned; rebuilding their state", zap.Int("partitions", len(gen.Claims)))
	start := time.Now()
	st, err := r.restore(ctx, gen.Claims)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("rebuilding state failed; rejoining the group", zap.Error(err))
			retry.Sleep(ctx, time.Second) // do not rejoin in a tight loop while Kafka is unwell
		} else {
			log.Info("generation ended while rebuilding state")
		}
		return // ends the generation: the group rebalances and this member tries again
	}
	defer st.release()
	log.Info("state rebuilt; consuming", zap.Int("statements", st.statements()), zap.Int("events", st.events()),
		zap.Int("evicted_events", st.evicted()), zap.Int("event_records_read", st.eventRecords), zap.Duration("took", time.Since(start)))
	var wg sync.WaitGroup
	for _, c := range gen.Claims {
		wg.Go(func() {
			if err := r.consume(ctx, gen, c, st); err != nil && ctx.Err() == nil {
				log.Error("partition stopped; rejoining the group", zap.String("topic", c.Topic), zap.Int("partition", c.Partition), zap.Error(err))
				cancel()
			}
		})
	}
	r.ready.Store(true)
	wg.Wait()
}

// consume reads one claimed partition in batches and runs its step on each.
func (r *Runner) consume(ctx context.Context, gen *bus.Generation, c bus.Claim, st *state) error {
	var step func(context.Context, []bus.Record) error
	switch c.Topic {
	case r.Topics.Raw:
		step = r.prepareStep
	case r.Topics.Prepared:
		d := st.dedup[c.Partition]
		step = func(ctx context.Context, b []bus.Record) error { return r.dedupStep(ctx, d, b) }
	case r.Topics.CallReports:
		m := st.merge[c.Partition]
		step = func(ctx context.Context, b []bus.Record) error { return r.mergeStep(ctx, m, b) }
	default:
		return fmt.Errorf("processor: assigned unknown topic %s", c.Topic)
	}
	pr, err := gen.Open(c)
	if err != nil {
		return err
	}
	defer pr.Close()
	r.reading(pr, true)
	defer r.reading(pr, false)
	for {
		first, err := pr.Fetch(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("processor: fetch %s/%d: %w", c.Topic, c.Partition, err)
		}
		batch := []bus.Record{first}
		bctx, bcancel := context.WithTimeout(ctx, r.BatchWait)
		for len(batch) < r.BatchSize {
			rec, err := pr.Fetch(bctx)
			if err != nil {
				break
			}
			batch = append(batch, rec)
		}
		bcancel()
		// The batch in hand is finished even when shutdown or a rebalance begins, within a bound.
		dctx, dcancel := drainContext(ctx, drainGrace)
		err = step(dctx, batch)
		if err == nil {
			err = r.retry(dctx, "commit", func() error { return gen.Commit(batch[len(batch)-1]) })
		}
		dcancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil // not committed: the next owner reads the batch again
			}
			return err
		}
	}
}

// prepareStep is step 1 on a batch of raw records: prepared statements to
// the prepared topic, bad input to the DLQ.
func (r *Runner) prepareStep(ctx context.Context, batch []bus.Record) error {
	msgs := make([]bus.Message, 0, len(batch))
	r.Processor.PrepareBatch(inputs(batch), func(ps *model.PreparedStatement) error {
		b, err := json.Marshal(ps)
		if err != nil {
			return fmt.Errorf("encode prepared statement: %w", err)
		}
		msgs = append(msgs, bus.Message{Topic: r.Topics.Prepared, Key: []byte(ps.Statement.ID), Value: b,
			Headers: map[string]string{model.HeaderSchema: model.SchemaPrepared, model.HeaderSource: ps.Statement.Source}})
		return nil
	}, func(dl *model.DeadLetter) { msgs = append(msgs, r.dlqMessage(dl)) })
	return r.write(ctx, msgs)
}

// dedupStep is step 2 on a batch of prepared statements: the call reports
// of new statements and versions first, then the statements (a statement
// on its topic marks its reports as written).
func (r *Runner) dedupStep(ctx context.Context, d *processor.Deduper, batch []bus.Record) error {
	var reports, rest []bus.Message
	r.Processor.Dedupe(d, inputs(batch), func(st *model.Statement, calls []model.CallReport) {
		for i := range calls {
			rep := &calls[i]
			reports = append(reports, bus.Message{Topic: r.Topics.CallReports, Key: []byte(r.Processor.PartitionKey(rep)), Value: mustMarshal(rep),
				Headers: map[string]string{model.HeaderSchema: model.SchemaCallReport, model.HeaderSource: st.Source}})
		}
		rest = append(rest, bus.Message{Topic: r.Topics.Statements, Key: []byte(st.ID), Value: mustMarshal(st),
			Headers: map[string]string{model.HeaderSchema: model.SchemaStatement, model.HeaderSource: st.Source}})
	}, func(dl *model.DeadLetter) { rest = append(rest, r.dlqMessage(dl)) })
	if err := r.write(ctx, reports); err != nil {
		return err
	}
	return r.write(ctx, rest)
}

// mustMarshal encodes v, panicking when it cannot: the step turns the panic
// into the dead letter of the record.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// mergeStep is step 3 on a batch of call reports: event versions and their
// derived outputs, counted and announced once acknowledged.
func (r *Runner) mergeStep(ctx context.Context, m *processor.Merger, batch []bus.Record) error {
	type emission struct {
		ev  *model.LeaderCall
		rep *model.CallReport
	}
	var msgs []bus.Message
	var emitted []emission
	r.Processor.Merge(m, inputs(batch), func(ev *model.LeaderCall, rep *model.CallReport) {
		msgs = append(msgs, r.eventMessages(ev, m.Partition)...)
		emitted = append(emitted, emission{ev, rep})
	}, func(dl *model.DeadLetter) { msgs = append(msgs, r.dlqMessage(dl)) })
	if err := r.write(ctx, msgs); err != nil {
		return err
	}
	at := time.Now()
	met := r.Processor.Metrics()
	for _, e := range emitted {
		met.Events.WithLabelValues(e.ev.Status).Inc()
		met.PublishToEvent.Observe(at.Sub(e.rep.Source.PublishedAt).Seconds())
		met.FetchToEvent.Observe(at.Sub(e.rep.FetchedAt).Seconds())
		if r.OnEvent != nil {
			r.OnEvent(e.ev)
		}
	}
	return nil
}

// eventMessages are the messages of one event version, merged by the
// call-reports partition part: the event (to the leader-calls partition of
// that number, which says it in model.HeaderCallPartition), then what the
// encoders derive from it; an encoder's failure is a dead letter.
func (r *Runner) eventMessages(ev *model.LeaderCall, part int) []bus.Message {
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err) // a LeaderCall always encodes
	}
	out := []bus.Message{{Topic: r.Topics.LeaderCalls, Key: []byte(ev.ID), Value: b, Partition: bus.ToPartition(part),
		Headers: map[string]string{model.HeaderSchema: model.SchemaLeaderCall, model.HeaderCallPartition: strconv.Itoa(part)}}}
	for i, enc := range r.Encoders {
		m, err := enc(ev)
		if errors.Is(err, ErrSkip) {
			continue
		}
		if err != nil {
			dl := r.Processor.DeadLetter(processor.Input{Value: b, Topic: r.Topics.LeaderCalls, Key: ev.ID}, processor.ReasonEncode,
				fmt.Errorf("encoder %d, event %s v%d: %w", i, ev.ID, ev.Version, err))
			dl.Stage = "processor.encode"
			out = append(out, r.dlqMessage(dl))
			continue
		}
		out = append(out, m)
	}
	return out
}

func (r *Runner) dlqMessage(dl *model.DeadLetter) bus.Message {
	b, err := json.Marshal(dl)
	if err != nil {
		panic(err) // a DeadLetter always encodes
	}
	return bus.Message{Topic: r.Topics.DLQ, Key: []byte(dl.Key), Value: b,
		Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, "readout-reason": dl.Reason, model.HeaderSource: dl.Source}}
}

func input(rec bus.Record) processor.Input {
	return processor.Input{Value: rec.Value, Headers: rec.Headers, Topic: rec.Topic, Key: string(rec.Key), Partition: rec.Partition, Offset: rec.Offset}
}

func inputs(batch []bus.Record) []processor.Input {
	ins := make([]processor.Input, len(batch))
	for i, rec := range batch {
		ins[i] = input(rec)
	}
	return ins
}

// write writes msgs, retrying with backoff until acknowledged or ctx ends:
// nothing is skipped, so nothing is lost. No attempt starts once ctx is
// done, and none is left on its way when write returns.
func (r *Runner) write(ctx context.Context, msgs []bus.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return r.retry(ctx, "write", func() error { return r.Producer.WriteAttempts(ctx, msgs...) })
}

// stepRetry waits 100 ms to 150 ms after the first failure, doubling up to 5 s to 7.5 s.
var stepRetry = retry.Policy{Initial: 125 * time.Millisecond, Max: 6250 * time.Millisecond, Jitter: 0.2}

// retry calls fn until it succeeds, with backoff; it gives up once ctx is
// done (starting no attempt after that) or the generation ended.
func (r *Runner) retry(ctx context.Context, what string, fn func() error) error {
	err := retry.Do(ctx, stepRetry, func() error {
		err := fn()
		if bus.IsGenerationEnded(err) {
			return retry.Permanent(err)
		}
		return err
	}, func(attempt int, err error, wait time.Duration) {
		r.log().Warn(what+" failed; retrying", zap.Int("attempt", attempt), zap.Duration("backoff", wait), zap.Error(err))
	})
	if err != nil {
		return fmt.Errorf("processor: %s abandoned: %w", what, err)
	}
	return nil
}

func (r *Runner) watchLag(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	m := r.Processor.Metrics()
	for {
		if lag, err := bus.GroupLag(ctx, r.Bus, r.Group, r.Topics.Raw); err == nil {
			for p, l := range lag {
				m.ConsumerLag.WithLabelValues(strconv.Itoa(p)).Set(float64(l))
			}
		}
		for _, topic := range []string{r.Topics.Prepared, r.Topics.CallReports} {
			if lag, err := bus.GroupLag(ctx, r.Bus, r.Group, topic); err == nil {
				for p, l := range lag {
					m.StageLag.WithLabelValues(topic, strconv.Itoa(p)).Set(float64(l))
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// bothContext ends when either a or b does, with a's values.
func bothContext(a, b context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(a)
	stop := context.AfterFunc(b, cancel)
	return ctx, func() { stop(); cancel() }
}

// drainContext is a context that outlives ctx's cancellation by at most grace.
func drainContext(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(grace, cancel)
	})
	return dctx, func() { stop(); cancel() }
}
