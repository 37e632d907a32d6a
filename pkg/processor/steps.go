package processor

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/readout/readout/pkg/model"
)

// The steps one at a time, for a runner that carries each on its own
// topic partitions (pkg/processor/kafkarun): it decodes and encodes
// messages, writes them and owns a Deduper or Merger per partition.

// PrepareBatch is step 1 on a batch, on all cores: emit is called, in input
// order, with each input's prepared statement, or dead with its dead letter
// (counted). A statement emit returns an error for is dead-lettered too
// (reason panic, with that error).
func (p *Processor) PrepareBatch(batch []Input, emit func(*model.PreparedStatement) error, dead func(*model.DeadLetter)) {
	for i, pr := range p.prepareAll(batch) {
		if pr.dl == nil {
			err := emit(pr.ps)
			if err == nil {
				continue
			}
			pr.dl = p.deadLetter(batch[i], ReasonPanic, err)
		}
		p.outcome(outcomeDeadLetter)
		dead(pr.dl)
	}
}

// Dedupe is step 2 on a batch of prepared statements (JSON), in order: d
// numbers each new statement or version and emit is called with it and its
// call reports; a redelivery is counted and dropped. A record that is no
// prepared statement, or whose handling panics (in emit too), goes to dead
// as a dead letter, and d forgets its statement so that a redelivery is not
// absorbed.
func (p *Processor) Dedupe(d *Deduper, batch []Input, emit func(*model.Statement, []model.CallReport), dead func(*model.DeadLetter)) {
	for _, in := range batch {
		p.dedupe(d, in, emit, dead)
	}
}

func (p *Processor) dedupe(d *Deduper, in Input, emit func(*model.Statement, []model.CallReport), dead func(*model.DeadLetter)) {
	committed := false
	defer func() {
		if e := recover(); e != nil {
			if committed {
				d.Rollback()
			}
			p.outcome(outcomeDeadLetter)
			dead(p.panicked(in, e))
		}
	}()
	var ps model.PreparedStatement
	if err := json.Unmarshal(in.Value, &ps); err != nil || ps.Statement.ID == "" {
		p.outcome(outcomeDeadLetter)
		dead(p.deadLetter(in, ReasonMalformedJSON, fmt.Errorf("prepared statement: %w", errors.Join(err, errNoID(ps.Statement.ID)))))
		return
	}
	st := d.Commit(&ps.Statement)
	if st == nil {
		p.outcome(outcomeDuplicate)
		return
	}
	committed = true
	emit(st, ps.Calls)
	p.outcome(outcomeStatement)
}

func errNoID(id string) error {
	if id == "" {
		return errors.New("no statement id")
	}
	return nil
}

// Merge is step 3 on a batch of call reports (JSON), in order: emit is
// called with each event version m makes and the report that made it. A
// record that is no call report, or whose handling panics (in emit too),
// goes to dead as a dead letter.
func (p *Processor) Merge(m *Merger, batch []Input, emit func(*model.LeaderCall, *model.CallReport), dead func(*model.DeadLetter)) {
	now := p.cfg.Now()
	for _, in := range batch {
		func() {
			defer func() {
				if e := recover(); e != nil {
					dead(p.panicked(in, e))
				}
			}()
			rep := &model.CallReport{}
			if err := json.Unmarshal(in.Value, rep); err != nil {
				dead(p.deadLetter(in, ReasonMalformedJSON, fmt.Errorf("call report: %w", err)))
				return
			}
			for _, ev := range m.Add(rep, now) {
				emit(ev, rep)
			}
		}()
	}
}

// DeadLetter is the dead letter of in for reason, counted by reason and logged.
func (p *Processor) DeadLetter(in Input, reason string, err error) *model.DeadLetter {
	return p.deadLetter(in, reason, err)
}

// Metrics are the metrics p counts on.
func (p *Processor) Metrics() *Metrics { return p.cfg.Metrics }
