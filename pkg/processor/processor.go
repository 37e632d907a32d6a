package processor

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
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
func (p *Processor) Handle(in Input) (out Output) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			out = Output{DeadLetter: p.deadLetter(in, ReasonPanic, fmt.Errorf("panic: %v", r))}
		}
		p.count(out)
	}()
	return p.handle(in)
}

func (p *Processor) handle(in Input) Output {
	if len(in.Value) > p.cfg.MaxMessageBytes {
		return Output{DeadLetter: p.deadLetter(in, ReasonTooLarge, fmt.Errorf("message of %d bytes exceeds %d", len(in.Value), p.cfg.MaxMessageBytes))}
	}
	if v, ok := in.Headers[model.HeaderSchema]; ok && v != model.SchemaRaw {
		return Output{DeadLetter: p.deadLetter(in, ReasonUnknownSchema, fmt.Errorf("schema %q, want %q", v, model.SchemaRaw))}
	}
	if !utf8.Valid(in.Value) {
		return Output{DeadLetter: p.deadLetter(in, ReasonInvalidUTF8, errors.New("message is not valid UTF-8"))}
	}
	var item model.RawItem
	if err := json.Unmarshal(in.Value, &item); err != nil {
		return Output{DeadLetter: p.deadLetter(in, ReasonMalformedJSON, err)}
	}
	if reason := item.Validate(); reason != "" {
		return Output{DeadLetter: p.deadLetter(in, ReasonInvalidItem, errors.New(reason))}
	}
	st, err := normalize.Statement(&item)
	if err != nil {
		return Output{DeadLetter: p.deadLetter(in, ReasonNormalize, err)}
	}
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
	out := Output{Statement: &st}
	now := p.cfg.Now()
	for _, c := range p.cfg.Extractor.Extract(&st) {
		before := p.tracker.Len()
		evs := p.tracker.Add(&st, c, now)
		if p.tracker.Len() == before && len(evs) > 0 {
			level := "event"
			if st.TranslationKey != "" && sharesTranslation(evs[0], &st) {
				level = "translation"
			}
			m.DedupHits.WithLabelValues(level).Inc()
		}
		out.Events = append(out.Events, evs...)
	}
	p.handled++
	if p.handled%1024 == 0 {
		p.evict()
	}
	return out
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
