package kafkarun

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// Events are written to the leader-calls partition of the number of the
// call-reports partition that merged them, which their header names; an
// instance rebuilding the merge state of one call-reports partition reads
// that leader-calls partition only, and ends with the state the writer had.
// A record without the header (an earlier version's, partitioned by event
// id) makes it read the other partitions too, so such an event is not lost.
func TestRestoreReadsOnlyTheAssignedShare(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	prod := env.Producer(ctx, t)
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g)})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Processor: p, Bus: env.Config, Topics: env.Topics, Producer: prod, Logger: zaptest.NewLogger(t)}

	base, err := synth.LoadJSONL("../../../testdata/eval/raw.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	writers := map[int]*processor.Merger{}
	var held []*model.CallReport // reports kept back, merged after the restore
	for i, it := range base {
		b, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		ps, dl := p.Prepare(processor.Input{Value: b})
		if dl != nil {
			continue
		}
		for _, rep := range ps.Calls {
			part := p.ReportPartition(&rep, 3)
			if writers[part] == nil {
				writers[part] = p.NewMerger()
				writers[part].Partition = part
			}
			if i%9 == 0 {
				held = append(held, &rep)
				continue
			}
			v, _ := json.Marshal(rep)
			if err := r.mergeStep(ctx, writers[part], []bus.Record{{Topic: env.Topics.CallReports, Partition: part, Value: v}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	perPartition := map[int]int{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.LeaderCalls, func(rec bus.Record) error {
		perPartition[rec.Partition]++
		if h := rec.Headers[model.HeaderCallPartition]; h != strconv.Itoa(rec.Partition) {
			t.Errorf("event record in partition %d says it was merged by %q", rec.Partition, h)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(perPartition) != 3 {
		t.Fatalf("events in partitions %v: the dev set should fill all three", perPartition)
	}

	restored := func(want int) *processor.Merger {
		t.Helper()
		st, err := r.restore(ctx, []bus.Claim{{Topic: env.Topics.CallReports, Partition: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if st.eventRecords != want {
			t.Errorf("restore read %d event records, want %d (per partition: %v)", st.eventRecords, want, perPartition)
		}
		return st.merge[1]
	}
	m := restored(perPartition[1])
	w := writers[1]
	w.Restored() // evicts as the restore did: the same events, recent or not
	if m.Len() != w.Len() || m.IndexLen() != w.IndexLen() || m.Len()+m.IndexLen() == 0 {
		t.Fatalf("restored %d recent and %d evicted events, the writer holds %d and %d", m.Len(), m.IndexLen(), w.Len(), w.IndexLen())
	}
	now := time.Now()
	merged := 0
	for _, rep := range held {
		if p.ReportPartition(rep, 3) != 1 {
			continue
		}
		a, b := m.Add(rep, now), w.Add(rep, now)
		if ja, jb := mustJSON(t, a), mustJSON(t, b); ja != jb {
			t.Fatalf("report %s: restored state gives\n%s\nthe writer's\n%s", rep.Source.StatementID, ja, jb)
		}
		merged += len(b)
	}
	if merged == 0 {
		t.Fatal("no held-back report of partition 1 changed an event: the comparison proves nothing")
	}

	// A topic an earlier version wrote: events partitioned by id, without the
	// header. One of partition 1 in partition 0, then one with the header in 2.
	var legacy *model.LeaderCall
	for _, rep := range held {
		if p.ReportPartition(rep, 3) == 1 {
			legacy = p.NewMerger().Add(rep, now)[0]
			break
		}
	}
	env2 := kafkatest.New(t)
	if err := bus.EnsureTopics(ctx, env2.Config, env2.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	prod2, err := bus.NewProducer(env2.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer prod2.Close()
	if err := prod2.Write(ctx, bus.Message{Topic: env2.Topics.LeaderCalls, Key: []byte(legacy.ID), Value: []byte(mustJSON(t, legacy)), Partition: bus.ToPartition(0)}); err != nil {
		t.Fatal(err)
	}
	other := &Runner{Processor: p, Bus: env2.Config, Topics: env2.Topics, Producer: prod2, Logger: zaptest.NewLogger(t)}
	for _, rep := range held {
		if p.ReportPartition(rep, 3) == 2 {
			m2 := p.NewMerger()
			m2.Partition = 2
			v, _ := json.Marshal(rep)
			if err := other.mergeStep(ctx, m2, []bus.Record{{Topic: env2.Topics.CallReports, Partition: 2, Value: v}}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	st, err := other.restore(ctx, []bus.Claim{{Topic: env2.Topics.CallReports, Partition: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if m := st.merge[1]; st.eventRecords != 2 || m.Len()+m.IndexLen() != 1 {
		t.Errorf("with an event without the header in another partition: read %d records, restored %d events; want 2 and the legacy one", st.eventRecords, m.Len()+m.IndexLen())
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
