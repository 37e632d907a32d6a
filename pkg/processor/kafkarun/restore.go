package kafkarun

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// state is the dedup and merge state of the partitions one generation assigned.
type state struct {
	dedup        map[int]*processor.Deduper // prepared partition → its statements
	merge        map[int]*processor.Merger  // call-reports partition → its events
	eventRecords int                        // leader-calls records read to rebuild merge
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
		n += m.IndexLen()
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
	st := &state{dedup: map[int]*processor.Deduper{}, merge: map[int]*processor.Merger{}}
	for _, c := range claims {
		switch c.Topic {
		case r.Topics.Prepared:
			st.dedup[c.Partition] = p.NewDeduper()
		case r.Topics.CallReports:
			m := p.NewMerger()
			m.Partition = c.Partition
			st.merge[c.Partition] = m
		}
	}
	if len(st.dedup) > 0 {
		if err := r.restoreStatements(ctx, st.dedup); err != nil {
			st.release()
			return nil, err
		}
	}
	if len(st.merge) > 0 {
		var err error
		if st.eventRecords, err = r.restoreEvents(ctx, st.merge); err != nil {
			st.release()
			return nil, err
		}
	}
	return st, nil
}

func (r *Runner) restoreStatements(ctx context.Context, dedup map[int]*processor.Deduper) error {
	nPrepared, err := bus.Partitions(ctx, r.Bus, r.Topics.Prepared)
	if err != nil {
		return err
	}
	nStatements, err := bus.Partitions(ctx, r.Bus, r.Topics.Statements)
	if err != nil {
		return err
	}
	fn := func(rec bus.Record) error {
		d := dedup[model.PartitionOf(rec.Key, nPrepared)]
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

// restoreEvents rebuilds the merge state of the claimed call-reports
// partitions from the leader-calls partitions of the same numbers (modulo
// the topic's partition count), where they write their events: restore
// reads the instance's share of the topic, not all of it, and a record of
// another partition's event is skipped by its header, undecoded.
//
// A record without the header (written before events carried it,
// partitioned by event id) may be in any partition. Such records precede
// all others in a partition, so the first record of each other partition
// tells whether it holds any: when one does, or the share itself holds one,
// the other partitions are read too, and such records are routed by their
// parties.
func (r *Runner) restoreEvents(ctx context.Context, merge map[int]*processor.Merger) (read int, err error) {
	nReports, err := bus.Partitions(ctx, r.Bus, r.Topics.CallReports)
	if err != nil {
		return 0, err
	}
	nEvents, err := bus.Partitions(ctx, r.Bus, r.Topics.LeaderCalls)
	if err != nil {
		return 0, err
	}
	legacy := false
	fn := func(rec bus.Record) error {
		if owner, err := strconv.Atoi(rec.Headers[model.HeaderCallPartition]); err == nil {
			if m := merge[owner]; m != nil {
				if ev := r.decodeEvent(rec); ev != nil {
					m.Restore(ev)
				}
			}
			return nil
		}
		legacy = true
		if ev := r.decodeEvent(rec); ev != nil {
			if m := merge[r.Processor.EventPartition(ev, nReports)]; m != nil {
				m.Restore(ev)
			}
		}
		return nil
	}
	share := map[int]bool{}
	for p := range merge {
		share[p%max(nEvents, 1)] = true
	}
	var rest []int
	for p := range nEvents {
		if !share[p] {
			rest = append(rest, p)
		}
	}
	read, err = bus.ReadPartitions(ctx, r.Bus, r.Topics.LeaderCalls, slices.Sorted(maps.Keys(share)), fn)
	for _, p := range rest {
		if err != nil || legacy {
			break
		}
		err = bus.ReadFirst(ctx, r.Bus, r.Topics.LeaderCalls, p, func(rec bus.Record) {
			if _, herr := strconv.Atoi(rec.Headers[model.HeaderCallPartition]); herr != nil {
				legacy = true
			}
		})
	}
	if err == nil && legacy && len(rest) > 0 {
		r.log().Warn("the leader-calls topic holds events without the "+model.HeaderCallPartition+" header (written by an earlier version): reading every partition to rebuild the merge state",
			zap.Int("partitions", nEvents))
		var n int
		n, err = bus.ReadPartitions(ctx, r.Bus, r.Topics.LeaderCalls, rest, fn)
		read += n
	}
	if err != nil {
		return read, fmt.Errorf("processor: restore events: %w", err)
	}
	for _, m := range merge {
		m.Restored()
	}
	return read, nil
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
	r.Processor.Metrics().RestoreSkipped.WithLabelValues(rec.Topic).Inc()
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
