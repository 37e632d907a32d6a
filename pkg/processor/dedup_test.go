package processor_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
	"github.com/readout/readout/pkg/processor"
)

var dedupClock = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func dedupProcessor(t testing.TB, cfg processor.Config) (*processor.Processor, *processor.Metrics) {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Extractor = extract.New(g)
	cfg.Metrics = processor.NewMetrics(prometheus.NewRegistry())
	cfg.Now = func() time.Time { return dedupClock }
	p, err := processor.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p, cfg.Metrics
}

func stmt(id, content string, published time.Time) *model.Statement {
	return &model.Statement{ID: id, ContentHash: normalize.ContentHash(id, content), PublishedAt: published}
}

// The reviewer's case: a statement edited once (v2), evicted past the
// retention while 1024 newer ones arrive, then redelivered (a crawler
// backfill, a replayed raw partition) came out as version 1 over v2. The
// evicted statement's latest version and recent hashes stay in the index:
// the redelivery is absorbed and a later edit is v3, with its prior hashes.
func TestEvictedStatementKeepsItsVersions(t *testing.T) {
	p, m := dedupProcessor(t, processor.Config{})
	d := p.NewDeduper()
	old := dedupClock.Add(-200 * 24 * time.Hour)
	v1 := d.Commit(stmt("kremlin.ru/1", "first", old))
	v2 := d.Commit(stmt("kremlin.ru/1", "second", old))
	odd := d.Commit(&model.Statement{ID: "kremlin.ru/odd", ContentHash: "not-hex", PublishedAt: old})
	if v1.Version != 1 || v2.Version != 2 || odd.Version != 1 {
		t.Fatalf("setup: v%d, v%d, v%d", v1.Version, v2.Version, odd.Version)
	}
	for i := range 1100 {
		d.Commit(stmt(fmt.Sprint("kremlin.ru/n", i), "x", dedupClock))
	}
	if d.IndexLen() != 2 || d.Len() != 1100 {
		t.Fatalf("held %d, index %d: the old statements were not evicted", d.Len(), d.IndexLen())
	}
	if n := testutil.ToFloat64(m.StateEntries.WithLabelValues("statement_index")); n != 2 {
		t.Errorf("statement_index gauge %v, want 2", n)
	}
	for _, again := range []*model.Statement{stmt("kremlin.ru/1", "second", old), stmt("kremlin.ru/1", "first", old),
		{ID: "kremlin.ru/odd", ContentHash: "not-hex", PublishedAt: old}} {
		if st := d.Commit(again); st != nil {
			t.Errorf("redelivery of %s after eviction came out as version %d", again.ID, st.Version)
		}
	}
	v3 := d.Commit(stmt("kremlin.ru/1", "third", old))
	if v3 == nil || v3.Version != 3 || len(v3.PriorHashes) != 2 || v3.PriorHashes[0] != v2.ContentHash || v3.PriorHashes[1] != v1.ContentHash {
		t.Fatalf("edit after eviction: %+v, want v3 with prior hashes [%s %s]", v3, v2.ContentHash, v1.ContentHash)
	}
}

// Rebuilding a partition's dedup state from the statements topic evicts as
// consuming does, while it streams: it never holds more than the retention
// allows, and it answers every later statement as the consuming state does.
func TestDedupRestoreEvictsAsConsumingDoes(t *testing.T) {
	p, _ := dedupProcessor(t, processor.Config{StatementRetention: 30 * 24 * time.Hour})
	live := p.NewDeduper()
	latest := map[string]*model.Statement{}
	var later []*model.Statement
	for i := range 3000 {
		pub := dedupClock.Add(-time.Duration(3000-i) * time.Hour) // 125 days, in order
		id := fmt.Sprint("kremlin.ru/", i%2200)
		s := stmt(id, fmt.Sprint("v", i/2200), pub) // the first 800 are edited once
		if st := live.Commit(s); st != nil {
			latest[st.ID] = st
		}
		if i%7 == 0 {
			later = append(later, stmt(id, fmt.Sprint("v", i/2200), pub), stmt(id, "edit", pub))
		}
	}
	restored := p.NewDeduper()
	peak := 0
	for _, id := range slices.Sorted(maps.Keys(latest)) {
		restored.Restore(latest[id])
		peak = max(peak, restored.Len())
	}
	restored.Restored()
	live.Evict()
	if restored.Len() != live.Len() || restored.IndexLen() != live.IndexLen() {
		t.Errorf("restored %d held and %d evicted, consuming %d and %d", restored.Len(), restored.IndexLen(), live.Len(), live.IndexLen())
	}
	if peak > live.Len()+1100 {
		t.Errorf("restore held %d statements at once; the retention allows %d", peak, live.Len())
	}
	for _, s := range later {
		a, b := live.Commit(s), restored.Commit(s)
		if (a == nil) != (b == nil) || a != nil && (a.Version != b.Version || fmt.Sprint(a.PriorHashes) != fmt.Sprint(b.PriorHashes)) {
			t.Fatalf("%s: consuming state gives %+v, restored %+v", s.ID, a, b)
		}
	}
}

// The index of evicted statements is bounded; its size is in the gauges.
func TestStatementIndexBounded(t *testing.T) {
	const bound = 400
	p, m := dedupProcessor(t, processor.Config{StatementRetention: 24 * time.Hour, StatementIndex: bound})
	d := p.NewDeduper()
	for i := range 20000 {
		d.Commit(stmt(fmt.Sprint("kremlin.ru/", i), "x", dedupClock.Add(time.Duration(i)*time.Minute)))
		if d.IndexLen() > bound+bound/8 {
			t.Fatalf("after %d: index holds %d, bound %d", i, d.IndexLen(), bound)
		}
		if g := testutil.ToFloat64(m.StateEntries.WithLabelValues("statement_index")); int(g) != d.IndexLen() {
			t.Fatalf("after %d: gauge %v, index %d", i, g, d.IndexLen())
		}
	}
	if d.IndexLen() < bound {
		t.Fatalf("index holds %d: the test never reached the bound", d.IndexLen())
	}
	// The newest evicted are kept, the oldest forgotten.
	if st := d.Commit(stmt("kremlin.ru/0", "x", dedupClock)); st == nil || st.Version != 1 {
		t.Errorf("the oldest statement is still known: %+v", st)
	}
}
