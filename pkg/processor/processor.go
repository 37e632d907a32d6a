package processor

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// Dead-letter reasons.
const (
	ReasonMalformedJSON = "malformed_json"
	ReasonUnknownSchema = "unknown_schema"
	ReasonInvalidItem   = "invalid_item"
	// ReasonInvalidField: valid JSON with a field whose value does not fit
	// (a number for a string, a fetched_at without a zone offset); the
	// error names the field.
	ReasonInvalidField = "invalid_field"
	ReasonTooLarge     = "too_large"
	ReasonInvalidUTF8  = "invalid_utf8"
	// ReasonBadTime: no usable publication time, or one out of range: a
	// year before 1900 or after 2200, or more than calls.MaxFuture ahead of
	// the clock. The error names the field.
	ReasonBadTime   = "bad_time"
	ReasonNormalize = "normalize_failed"
	ReasonBadURL    = "bad_url" // a URL that is not http(s): never passed on to consumers
	// ReasonPanic: processing the message panicked; the partition goes on.
	ReasonPanic = "panic"
	// ReasonOutputTooLarge: the statement is too large for a Kafka message.
	ReasonOutputTooLarge = "output_too_large"
	// ReasonEncode: a derived output (ninjs, PLOVER) of an event could not be made.
	ReasonEncode = "encode_failed"
)

// DefaultMaxMessageBytes bounds a raw message; larger ones go to the DLQ.
const DefaultMaxMessageBytes = 8 << 20

// DefaultPartitions is how many partitions the offline pipeline shards its
// state into, as the Kafka topics the services create have.
const DefaultPartitions = 3

// evictEvery is how many records a partition's state takes between evictions.
const evictEvery = 1024

// DefaultStatementIndex bounds the evicted statements a partition's dedup
// state keeps (about 130 bytes each): decades of real statements.
const DefaultStatementIndex = 200000

// Input is one raw message, from Kafka or a replay file.
type Input struct {
	Value   []byte
	Headers map[string]string // may be nil (replay)
	Topic   string
	Key     string
	// Partition and Offset locate a Kafka message, for the dead letter.
	Partition int
	Offset    int64
	// Size is the message's size when Value holds only its start (replay
	// cuts an over-long line); 0 means len(Value).
	Size int
}

// size is the message's size in bytes.
func (in Input) size() int { return max(in.Size, len(in.Value)) }

// Output is what one raw message produced.
type Output struct {
	Statement *model.Statement // nil for a duplicate or a dead letter
	// Events are the new event versions; with a DeadLetter, those the
	// message's reports made before one of them failed.
	Events     []*model.LeaderCall
	DeadLetter *model.DeadLetter
}

// Config configures a Processor.
type Config struct {
	Extractor *extract.Extractor
	// Keys names the parties of calls (merge and partition keys); nil builds
	// one from the default gazetteer.
	Keys    *calls.Keyer
	Logger  *zap.Logger
	Metrics *Metrics
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// MaxMessageBytes bounds a raw message (DefaultMaxMessageBytes by default).
	MaxMessageBytes int
	// StatementRetention: statements published longer than this before the
	// newest one are evicted from the dedup state into its compact index
	// (default 90 days).
	StatementRetention time.Duration
	// StatementIndex bounds the statements the dedup state keeps once past
	// StatementRetention, per partition (DefaultStatementIndex by default):
	// their id, latest version and recent hashes.
	StatementIndex int
	// EventRetention is how long after its call an event is held as recent
	// (calls.DefaultRetention by default); EventIndex bounds the evicted
	// events kept whole per partition (calls.DefaultMaxIndexed by default).
	EventRetention time.Duration
	EventIndex     int
	// Partitions is how many partitions Handle, HandleBatch and Replay shard
	// their state into, as Kafka partitions the prepared and call-report
	// topics (DefaultPartitions by default): replay then gives the answers a
	// Kafka deployment with that many partitions gives.
	Partitions int
}

// Processor runs the three steps of the processor on its state:
//
//  1. prepare (stateless, parallel): raw message → normalized statement and
//     the calls it reports, or a dead letter;
//  2. dedupe (a Deduper per partition of statement ids): redelivery,
//     version numbering;
//  3. merge (a calls.Tracker per partition of call partition keys): reports
//     into leader-call events.
//
// Handle, HandleBatch and Replay run all three in-process over
// Config.Partitions shards of state; the Kafka runner (pkg/processor/kafkarun)
// runs each step on its own topic partitions with the same functions
// (PrepareBatch, Dedupe, Merge), so both give the same answers.
// A Processor is safe for concurrent use; commits are serialized.
type Processor struct {
	cfg Config

	mu      sync.Mutex
	dedup   []*Deduper
	merge   []*Merger
	handled int
}

// New returns a Processor with empty state.
func New(cfg Config) (*Processor, error) {
	if cfg.Extractor == nil {
		return nil, errors.New("processor: no extractor")
	}
	if cfg.Keys == nil {
		g, err := gazetteer.Default()
		if err != nil {
			return nil, fmt.Errorf("processor: gazetteer: %w", err)
		}
		if cfg.Keys, err = calls.NewKeyer(g); err != nil {
			return nil, fmt.Errorf("processor: keys: %w", err)
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.StatementRetention <= 0 {
		cfg.StatementRetention = 90 * 24 * time.Hour
	}
	if cfg.EventRetention <= 0 {
		cfg.EventRetention = calls.DefaultRetention
	}
	if cfg.StatementIndex <= 0 {
		cfg.StatementIndex = DefaultStatementIndex
	}
	if cfg.EventIndex <= 0 {
		cfg.EventIndex = calls.DefaultMaxIndexed
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = DefaultPartitions
	}
	p := &Processor{cfg: cfg}
	for i := range cfg.Partitions {
		p.dedup = append(p.dedup, p.NewDeduper())
		m := p.NewMerger()
		m.Partition = i
		p.merge = append(p.merge, m)
	}
	return p, nil
}

// RestoreStatement loads a statement read back from the statements topic.
func (p *Processor) RestoreStatement(st *model.Statement) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dedup[model.PartitionOf([]byte(st.ID), len(p.dedup))].Restore(st)
}

// RestoreEvent loads an event read back from the leader-calls topic.
func (p *Processor) RestoreEvent(ev *model.LeaderCall) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.merge[p.EventPartition(ev, len(p.merge))]
	m.Restore(ev)
	m.gauge()
}

// EventPartition is the call-reports partition (of n) whose merge state
// holds ev as its parties route it: the partition an event written before
// events carried model.HeaderCallPartition is restored to.
func (p *Processor) EventPartition(ev *model.LeaderCall, n int) int {
	return model.PartitionOf([]byte(p.cfg.Keys.PartitionKey(ev.Participants, ev.Unresolved)), n)
}

// StateSize reports the entries held as they are: recent statements and events (not the indexes of evicted ones).
func (p *Processor) StateSize() (statements, events int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.dedup {
		statements += d.Len()
	}
	for _, m := range p.merge {
		events += m.Len()
	}
	return statements, events
}

// Handle processes one raw message. It never panics and never drops: every
// message ends as a statement, a duplicate or a dead letter.
func (p *Processor) Handle(in Input) Output {
	return p.commit(p.prepare(in))
}

// HandleBatch processes msgs in order. The stateless work (decoding,
// normalizing, extracting) runs in parallel on all cores; dedup and merging
// then run in input order, so the result equals Handle called on each.
func (p *Processor) HandleBatch(msgs []Input) []Output {
	preps := p.prepareAll(msgs)
	out := make([]Output, len(msgs))
	for i := range preps {
		out[i] = p.commit(preps[i])
	}
	return out
}

// prepareAll prepares msgs on all cores.
func (p *Processor) prepareAll(msgs []Input) []prepared {
	preps := make([]prepared, len(msgs))
	workers := min(runtime.GOMAXPROCS(0), len(msgs))
	if workers <= 1 {
		for i := range msgs {
			preps[i] = p.prepare(msgs[i])
		}
		return preps
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(msgs) {
					return
				}
				preps[i] = p.prepare(msgs[i])
			}
		})
	}
	wg.Wait()
	return preps
}

// commit runs steps 2 and 3 on a prepared message, in order. A panic
// becomes a dead letter of the message, and the dedup step's record of the
// statement is taken back, so that a redelivery of the message is
// processed again rather than absorbed as a duplicate; event versions the
// message's earlier reports made are kept in the output (they are in the
// merge state: the next version of their events carries them anyway).
func (p *Processor) commit(pr prepared) (out Output) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var d *Deduper
	defer func() {
		if r := recover(); r != nil {
			if d != nil {
				d.Rollback()
			}
			out = Output{Events: out.Events, DeadLetter: p.panicked(pr.in, r)}
			p.outcome(outcomeDeadLetter)
		}
	}()
	if pr.dl != nil {
		p.outcome(outcomeDeadLetter)
		return Output{DeadLetter: pr.dl}
	}
	dd := p.dedup[model.PartitionOf([]byte(pr.ps.Statement.ID), len(p.dedup))]
	st := dd.Commit(&pr.ps.Statement)
	if st != nil {
		d = dd
	}
	if st == nil {
		p.outcome(outcomeDuplicate)
		return Output{}
	}
	out.Statement = st
	now := p.cfg.Now()
	for i := range pr.ps.Calls {
		r := &pr.ps.Calls[i]
		out.Events = append(out.Events, p.merge[p.ReportPartition(r, len(p.merge))].Add(r, now)...)
	}
	p.outcome(outcomeStatement)
	return out
}

// ReportPartition is the call-reports partition (of n) that merges r.
func (p *Processor) ReportPartition(r *model.CallReport, n int) int {
	return model.PartitionOf([]byte(p.PartitionKey(r)), n)
}

// PartitionKey is the key r is written under on the call-reports topic.
func (p *Processor) PartitionKey(r *model.CallReport) string {
	return p.cfg.Keys.PartitionKey(r.Participants, r.Unresolved)
}

func (p *Processor) panicked(in Input, r any) *model.DeadLetter {
	return p.deadLetter(in, ReasonPanic, fmt.Errorf("panic: %v", r))
}

// deadLetter builds the dead letter of in, counts (by reason) and logs it.
func (p *Processor) deadLetter(in Input, reason string, err error) *model.DeadLetter {
	src := in.Headers[model.HeaderSource]
	where := []zap.Field{zap.String("topic", in.Topic), zap.Int("partition", in.Partition), zap.Int64("offset", in.Offset)}
	if in.Topic == replayTopic {
		where = []zap.Field{zap.Int64("line", in.Offset)} // replay numbers its lines from 1
	}
	p.cfg.Logger.Warn("dead letter", append([]zap.Field{zap.String("reason", reason), zap.Error(err), zap.String("source", src)}, where...)...)
	p.cfg.Metrics.DeadLetters.WithLabelValues(reason).Inc()
	return &model.DeadLetter{Reason: reason, Error: err.Error(), Stage: "processor", Source: src, Topic: in.Topic,
		Partition: in.Partition, Offset: in.Offset, Key: in.Key, Payload: model.TruncatePayload(in.Value), PayloadBytes: in.size(), At: p.cfg.Now().UTC()}
}

// Outcomes of a raw message (readout_processor_messages_total).
const (
	outcomeStatement  = "statement"
	outcomeDuplicate  = "duplicate"
	outcomeDeadLetter = "dead_letter"
)

func (p *Processor) outcome(o string) { p.cfg.Metrics.Messages.WithLabelValues(o).Inc() }

// countEvents counts event versions once they were written (to Kafka, acknowledged, or to the replay output).
func (p *Processor) countEvents(evs []*model.LeaderCall) {
	for _, ev := range evs {
		p.cfg.Metrics.Events.WithLabelValues(ev.Status).Inc()
	}
}
