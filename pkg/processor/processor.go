package processor

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// Dead-letter reasons.
const (
	ReasonMalformedJSON = "malformed_json"
	ReasonUnknownSchema = "unknown_schema"
	ReasonInvalidItem   = "invalid_item"
	ReasonTooLarge      = "too_large"
	ReasonInvalidUTF8   = "invalid_utf8"
	ReasonNormalize     = "normalize_failed"
	ReasonPanic         = "internal_error"
	// ReasonOutputTooLarge: the statement is too large for a Kafka message.
	ReasonOutputTooLarge = "output_too_large"
)

// DefaultMaxMessageBytes bounds a raw message; larger ones go to the DLQ.
const DefaultMaxMessageBytes = 8 << 20

// Input is one raw message, from Kafka or a replay file.
type Input struct {
	Value   []byte
	Headers map[string]string // may be nil (replay)
	Topic   string
	Key     string
	// Partition and Offset locate a Kafka message, for the dead letter.
	Partition int
	Offset    int64
}

// Output is what one raw message produced.
type Output struct {
	Statement  *model.Statement    // nil for a duplicate or a dead letter
	Events     []*model.LeaderCall // new event versions
	DeadLetter *model.DeadLetter
}

// Config configures a Processor.
type Config struct {
	Extractor *extract.Extractor
	Logger    *zap.Logger
	Metrics   *Metrics
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// MaxMessageBytes bounds a raw message (DefaultMaxMessageBytes by default).
	MaxMessageBytes int
	// StatementRetention bounds the dedup state: statements published longer
	// than this before the newest one are forgotten (default 90 days).
	StatementRetention time.Duration
}

type seenStatement struct {
	hash        string
	version     int
	publishedAt time.Time
}

// Processor is safe for concurrent use; Handle calls are serialized because
// dedup and merging depend on what came before.
type Processor struct {
	cfg        Config
	mu         sync.Mutex
	statements map[string]seenStatement // statement id → latest version seen
	tracker    *calls.Tracker
	newest     time.Time
	handled    int
}

// New returns a Processor with empty state.
func New(cfg Config) (*Processor, error) {
	if cfg.Extractor == nil {
		return nil, errors.New("processor: no extractor")
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
	return &Processor{cfg: cfg, statements: map[string]seenStatement{}, tracker: calls.NewTracker(0, 0)}, nil
}

// RestoreStatement loads a statement read back from the statements topic.
func (p *Processor) RestoreStatement(st *model.Statement) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.statements[st.ID]; ok && old.version >= st.Version {
		return
	}
	p.statements[st.ID] = seenStatement{hash: st.ContentHash, version: st.Version, publishedAt: st.PublishedAt}
	if st.PublishedAt.After(p.newest) {
		p.newest = st.PublishedAt
	}
}

// RestoreEvent loads an event read back from the leader-calls topic.
func (p *Processor) RestoreEvent(ev *model.LeaderCall) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tracker.Restore(ev)
}

// StateSize reports the entries held in memory.
func (p *Processor) StateSize() (statements, events int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.statements), p.tracker.Len()
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
	preps := make([]prepared, len(msgs))
	workers := min(runtime.GOMAXPROCS(0), len(msgs))
	if workers <= 1 {
		for i := range msgs {
			preps[i] = p.prepare(msgs[i])
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(msgs) {
						return
					}
					preps[i] = p.prepare(msgs[i])
				}
			}()
		}
		wg.Wait()
	}
	out := make([]Output, len(msgs))
	for i := range preps {
		out[i] = p.commit(preps[i])
	}
	return out
}

// prepared is the stateless result of one message: a statement and the calls
// it reports, or a dead letter.
type prepared struct {
	st    *model.Statement
	calls []extract.Call
	dl    *model.DeadLetter
}

func (p *Processor) prepare(in Input) (pr prepared) {
	defer func() {
		if r := recover(); r != nil {
			pr = prepared{dl: p.deadLetter(in, ReasonPanic, fmt.Errorf("panic: %v", r))}
		}
	}()
	if len(in.Value) > p.cfg.MaxMessageBytes {
		return prepared{dl: p.deadLetter(in, ReasonTooLarge, fmt.Errorf("message of %d bytes exceeds %d", len(in.Value), p.cfg.MaxMessageBytes))}
	}
	if v, ok := in.Headers[model.HeaderSchema]; ok && v != model.SchemaRaw {
		return prepared{dl: p.deadLetter(in, ReasonUnknownSchema, fmt.Errorf("schema %q, want %q", v, model.SchemaRaw))}
	}
	if !utf8.Valid(in.Value) {
		return prepared{dl: p.deadLetter(in, ReasonInvalidUTF8, errors.New("message is not valid UTF-8"))}
	}
	var item model.RawItem
	if err := json.Unmarshal(in.Value, &item); err != nil {
		return prepared{dl: p.deadLetter(in, ReasonMalformedJSON, err)}
	}
	if reason := item.Validate(); reason != "" {
		return prepared{dl: p.deadLetter(in, ReasonInvalidItem, errors.New(reason))}
	}
	st, err := normalize.Statement(&item)
	if err != nil {
		return prepared{dl: p.deadLetter(in, ReasonNormalize, err)}
	}
	return prepared{st: &st, calls: p.cfg.Extractor.Extract(&st)}
}

// commit applies dedup and merging to a prepared message, in order.
func (p *Processor) commit(pr prepared) (out Output) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() { p.count(out) }()
	if pr.dl != nil {
		return Output{DeadLetter: pr.dl}
	}
	st := pr.st
	m := p.cfg.Metrics
	prev, seen := p.statements[st.ID]
	if seen && prev.hash == st.ContentHash {
		m.DedupHits.WithLabelValues("redelivery").Inc()
		return Output{}
	}
	st.Version = prev.version + 1
	if seen {
		m.DedupHits.WithLabelValues("version").Inc()
	}
	p.statements[st.ID] = seenStatement{hash: st.ContentHash, version: st.Version, publishedAt: st.PublishedAt}
	if st.PublishedAt.After(p.newest) {
		p.newest = st.PublishedAt
	}
	out = Output{Statement: st}
	now := p.cfg.Now()
	for _, c := range pr.calls {
		before := p.tracker.Len()
		evs := p.tracker.Add(st, c, now)
		if p.tracker.Len() == before && len(evs) > 0 {
			level := "event"
			if st.TranslationKey != "" && sharesTranslation(evs[0], st) {
				level = "translation"
			}
			m.DedupHits.WithLabelValues(level).Inc()
		}
		for _, ev := range evs {
			// Emit a snapshot: the tracker keeps mutating its own copy.
			cp := cloneEvent(ev)
			out.Events = append(out.Events, &cp)
		}
	}
	p.handled++
	if p.handled%1024 == 0 {
		p.evict()
	}
	return out
}

func cloneEvent(ev *model.LeaderCall) model.LeaderCall {
	cp := *ev
	cp.Participants = slices.Clone(ev.Participants)
	cp.Unresolved = slices.Clone(ev.Unresolved)
	cp.Topics = make([]model.Topic, len(ev.Topics))
	for i, t := range ev.Topics {
		t.Triggers = slices.Clone(t.Triggers)
		cp.Topics[i] = t
	}
	cp.Sources = slices.Clone(ev.Sources)
	cp.AnnouncedBy = slices.Clone(ev.AnnouncedBy)
	cp.Evidence = slices.Clone(ev.Evidence)
	return cp
}

// sharesTranslation reports whether ev already lists another language version of st.
func sharesTranslation(ev *model.LeaderCall, st *model.Statement) bool {
	id := st.TranslationKey[strings.LastIndexByte(st.TranslationKey, '/')+1:]
	for _, s := range ev.Sources {
		if s.StatementID != st.ID && strings.HasSuffix(s.StatementID, "/"+id) {
			return true
		}
	}
	return false
}

func (p *Processor) evict() {
	cut := p.newest.Add(-p.cfg.StatementRetention)
	for id, s := range p.statements {
		if s.publishedAt.Before(cut) {
			delete(p.statements, id)
		}
	}
	p.tracker.Evict()
	p.cfg.Metrics.StateEntries.WithLabelValues("statements").Set(float64(len(p.statements)))
	p.cfg.Metrics.StateEntries.WithLabelValues("events").Set(float64(p.tracker.Len()))
}

func (p *Processor) count(out Output) {
	m := p.cfg.Metrics
	switch {
	case out.DeadLetter != nil:
		m.Messages.WithLabelValues("dead_letter").Inc()
		m.DeadLetters.WithLabelValues(out.DeadLetter.Reason).Inc()
	case out.Statement == nil:
		m.Messages.WithLabelValues("duplicate").Inc()
	default:
		m.Messages.WithLabelValues("statement").Inc()
	}
	for _, ev := range out.Events {
		m.Events.WithLabelValues(ev.Status).Inc()
	}
}

func (p *Processor) deadLetter(in Input, reason string, err error) *model.DeadLetter {
	src := in.Headers[model.HeaderSource]
	p.cfg.Logger.Warn("dead letter", zap.String("reason", reason), zap.Error(err), zap.String("source", src),
		zap.String("topic", in.Topic), zap.Int("partition", in.Partition), zap.Int64("offset", in.Offset))
	return &model.DeadLetter{Reason: reason, Error: err.Error(), Stage: "processor", Source: src, Topic: in.Topic,
		Partition: in.Partition, Offset: in.Offset, Key: in.Key, Payload: model.TruncatePayload(in.Value), PayloadBytes: len(in.Value), At: p.cfg.Now().UTC()}
}
