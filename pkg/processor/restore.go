package processor

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// state is the dedup and merge state of the partitions one generation assigned.
type state struct {
	dedup map[int]*Deduper // prepared partition → its statements
	merge map[int]*Merger  // call-reports partition → its events
}

func (s *state) statements() (n int) {
	for _, d := range s.dedup {
		n += d.Len()
	}
	return n
}

func (s *state) events() (n int) {
	for _, m := range s.merge {
		n += m.Len()
	}
	return n
}

func (s *state) evicted() (n int) {
	for _, m := range s.merge {
		n += m.t.IndexLen()
	}
	return n
}

func (s *state) release() {
	for _, d := range s.dedup {
		d.Release()
	}
	for _, m := range s.merge {
		m.Release()
	}
}

// restore rebuilds the state of the claimed prepared and call-reports
// partitions: statements from the statements topic (the partition of the
// same number when both topics have as many partitions, else every
// statement whose id falls in a claimed partition), events from the
// leader-calls topic (every event whose parties fall in a claimed partition).
func (r *Runner) restore(ctx context.Context, claims []bus.Claim) (*state, error) {
	p := r.Processor
	st := &state{dedup: map[int]*Deduper{}, merge: map[int]*Merger{}}
	for _, c := range claims {
		switch c.Topic {
		case r.Topics.Prepared:
			st.dedup[c.Partition] = p.NewDeduper()
		case r.Topics.CallReports:
			st.merge[c.Partition] = p.NewMerger()
		}
	}
	if len(st.dedup) > 0 {
		if err := r.restoreStatements(ctx, st.dedup); err != nil {
			st.release()
			return nil, err
		}
	}
	if len(st.merge) > 0 {
		if err := r.restoreEvents(ctx, st.merge); err != nil {
			st.release()
			return nil, err
		}
	}
	return st, nil
}

func (r *Runner) restoreStatements(ctx context.Context, dedup map[int]*Deduper) error {
	nPrepared, err := bus.Partitions(ctx, r.Bus, r.Topics.Prepared)
	if err != nil {
		return err
	}
	nStatements, err := bus.Partitions(ctx, r.Bus, r.Topics.Statements)
	if err != nil {
		return err
	}
	fn := func(rec bus.Record) error {
		d := dedup[bus.PartitionOf(rec.Key, nPrepared)]
		if d == nil {
			return nil
		}
		var s model.Statement
		if err := json.Unmarshal(rec.Value, &s); err != nil || s.ID == "" || s.ID != string(rec.Key) {
			r.skipped(rec, fmt.Errorf("statement: %w", errorOr(err, "no id, or an id that is not the key")))
			return nil
		}
		d.Restore(&s)
		return nil
	}
	if nPrepared == nStatements {
		parts := make([]int, 0, len(dedup))
		for p := range dedup {
			parts = append(parts, p)
		}
		slices.Sort(parts)
		_, err = bus.ReadPartitions(ctx, r.Bus, r.Topics.Statements, parts, fn)
	} else {
		_, err = bus.ReadAll(ctx, r.Bus, r.Topics.Statements, fn)
	}
	if err != nil {
		return fmt.Errorf("processor: restore statements: %w", err)
	}
	for _, d := range dedup {
		d.Restored()
	}
	return nil
}

func (r *Runner) restoreEvents(ctx context.Context, merge map[int]*Merger) error {
	nReports, err := bus.Partitions(ctx, r.Bus, r.Topics.CallReports)
	if err != nil {
		return err
	}
	_, err = bus.ReadAll(ctx, r.Bus, r.Topics.LeaderCalls, func(rec bus.Record) error {
		if ev := r.decodeEvent(rec); ev != nil {
			if m := merge[r.Processor.EventPartition(ev, nReports)]; m != nil {
				m.Restore(ev)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("processor: restore events: %w", err)
	}
	for _, m := range merge {
		m.Restored()
	}
	return nil
}

// decodeEvent decodes an event record, or counts and logs it as skipped.
func (r *Runner) decodeEvent(rec bus.Record) *model.LeaderCall {
	var ev model.LeaderCall
	if err := json.Unmarshal(rec.Value, &ev); err != nil || ev.ID == "" || ev.ID != string(rec.Key) {
		r.skipped(rec, fmt.Errorf("event: %w", errorOr(err, "no id, or an id that is not the key")))
		return nil
	}
	return &ev
}

func (r *Runner) skipped(rec bus.Record, err error) {
	r.Processor.cfg.Metrics.RestoreSkipped.WithLabelValues(rec.Topic).Inc()
	r.log().Warn("undecodable record skipped while rebuilding state", zap.String("topic", rec.Topic),
		zap.Int("partition", rec.Partition), zap.Int64("offset", rec.Offset), zap.Error(err))
}

type stringError string

func (e stringError) Error() string { return string(e) }

func errorOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return stringError(msg)
}
