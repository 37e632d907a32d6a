package kafkarun_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/processortest"
	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/processor/kafkarun"
)

// line is one raw message of the test stream.
type line struct {
	key   string
	value []byte
}

// stream is the real dev-set statements with what production adds: a few
// redeliveries, an edit, the English copy of a Russian Kremlin item, bad input.
func stream(t *testing.T) []line {
	t.Helper()
	base, err := synth.LoadJSONL("../../../testdata/eval/raw.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	add := func(it model.RawItem) { out = append(out, line{it.Key(), processortest.Encode(t, it)}) }
	for i, it := range base {
		add(it)
		if i%37 == 5 {
			add(base[i/2]) // redelivered
		}
	}
	edited := base[0]
	edited.Body += "\n\nThe leaders agreed to stay in contact."
	add(edited)
	ru := processortest.Raw(t, processortest.Sample(t)[3]) // a Kremlin item in Russian whose English copy is not in the dev set
	add(ru)
	en := ru
	en.Source, en.Lang = "kremlin-en", "en"
	en.URL = strings.Replace(en.URL, "//kremlin.ru", "//en.kremlin.ru", 1)
	en.GUID = en.URL
	en.Title = "Telephone conversation with US President Donald Trump"
	en.Body = "Vladimir Putin had a telephone conversation with President of the United States of America Donald Trump."
	add(en)
	out = append(out, line{"bad-1", []byte(`{"source": "kremlin-en", "title": `)}, line{"bad-2", []byte("{\"title\": \"\xff\"}")}, line{"bad-3", []byte(`[]`)})
	return out
}

// finals are the latest event and statement versions of a run.
type finals struct {
	events     map[string]model.LeaderCall
	statements map[string]model.Statement
	deadKeys   map[string]string // key → reason
	// regressions are records of a key with a lower version than an earlier record of it.
	regressions []string
}

func newFinals() *finals {
	return &finals{events: map[string]model.LeaderCall{}, statements: map[string]model.Statement{}, deadKeys: map[string]string{}}
}

func (f *finals) event(t *testing.T, ev model.LeaderCall, seen map[string]model.LeaderCall) {
	t.Helper()
	// The same version of an event is the same event, whoever wrote it and however often.
	vk := fmt.Sprintf("%s v%d", ev.ID, ev.Version)
	if old, ok := seen[vk]; ok && canonical(old, nil) != canonical(ev, nil) {
		t.Errorf("%s written twice with different content:\n%s\n%s", vk, canonical(old, nil), canonical(ev, nil))
	}
	seen[vk] = ev
	old, ok := f.events[ev.ID]
	if ok && ev.Version < old.Version {
		f.regressions = append(f.regressions, fmt.Sprintf("event %s v%d after v%d", ev.ID, ev.Version, old.Version))
	}
	if !ok || ev.Version > old.Version {
		f.events[ev.ID] = ev
	}
}

// canonical is an event without what depends on the order reports were
// merged in: its id (from the first report's date), the time it was written,
// and, for a call linked with an announcement (linked from either side), the
// number of versions. ids maps event ids to the sources of their events.
func canonical(ev model.LeaderCall, ids map[string]string) string {
	linked := ev.HeldEventID != "" || len(ev.AnnouncedBy) > 0
	if ids != nil {
		ev.HeldEventID = ids[ev.HeldEventID]
	}
	ev.ID, ev.UpdatedAt = "", time.Time{}
	if linked {
		ev.Version = 0
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

// byContent lists the final events by their status, parties and sources,
// as canonical JSON: events that share them are listed as many times as
// there are.
func (f *finals) byContent() map[string][]string {
	ids := map[string]string{}
	for id, ev := range f.events {
		ids[id] = sourcesKey(ev)
	}
	out := map[string][]string{}
	for _, ev := range f.events {
		k := sourcesKey(ev)
		out[k] = append(out[k], canonical(ev, ids))
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

// sourcesKey names an event by what it is: status, parties and sources (a
// statement reporting two calls is a source of both).
func sourcesKey(ev model.LeaderCall) string {
	var s []string
	for _, p := range ev.Participants {
		s = append(s, p.WikidataID)
	}
	s = append(s, ev.Unresolved...)
	for _, src := range ev.Sources {
		s = append(s, src.StatementID)
	}
	slices.Sort(s)
	return ev.Status + " " + strings.Join(s, " ")
}

// deterministicIDs are the events of f whose id cannot depend on the order
// their reports were merged in, by sourcesKey: every report gave the same
// parties (one merge key) and the same date, and no other event of the same
// status, places and date could have taken the id first. A Kafka run must
// give them the ids a replay gives.
func deterministicIDs(t *testing.T, f *finals) map[string]string {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	k, err := calls.NewKeyer(g)
	if err != nil {
		t.Fatal(err)
	}
	slot := func(ev model.LeaderCall, on string) string {
		return ev.Status + "|" + k.PartitionKey(ev.Participants, ev.Unresolved) + "|" + on
	}
	taken := map[string]int{}
	for _, ev := range f.events {
		dates := map[string]bool{}
		for _, s := range ev.Sources {
			dates[s.OccurredOn] = true
		}
		for on := range dates {
			taken[slot(ev, on)]++
		}
	}
	out := map[string]string{}
	for _, ev := range f.events {
		if len(ev.MergeKeys) != 1 || slices.ContainsFunc(ev.Sources, func(s model.SourceRef) bool { return s.OccurredOn != ev.Sources[0].OccurredOn }) {
			continue
		}
		if taken[slot(ev, ev.Sources[0].OccurredOn)] == 1 {
			out[sourcesKey(ev)] = ev.ID
		}
	}
	return out
}

// longMemory is a processor that keeps all the dev set's statements and
// events (2017 to 2025) as recent: nothing is evicted, at rebalances or
// every so many records.
func longMemory(t testing.TB) (*processor.Processor, *processor.Metrics) {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	const years = 20 * 365 * 24 * time.Hour
	m := processor.NewMetrics(prometheus.NewRegistry())
	p, err := processor.New(processor.Config{Extractor: extract.New(g), Metrics: m, StatementRetention: years, EventRetention: years})
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

// defaultMemory is a processor with the default retention: a Kafka run
// evicts most of the dev set's events and many of its statements when it
// rebuilds state at a rebalance (the input is not in time order), while a
// replay of it evicts nothing.
func defaultMemory(t testing.TB) (*processor.Processor, *processor.Metrics) {
	return processortest.New(t)
}

func replayFinals(t *testing.T, p *processor.Processor, lines []line) *finals {
	t.Helper()
	var in bytes.Buffer
	for _, l := range lines {
		in.Write(l.value)
		in.WriteByte('\n')
	}
	var evs, sts, dls bytes.Buffer
	if _, err := p.Replay(context.Background(), &in, processor.ReplayOptions{Events: &evs, Statements: &sts, DLQ: &dls}); err != nil {
		t.Fatal(err)
	}
	f := newFinals()
	seen := map[string]model.LeaderCall{}
	for dec := json.NewDecoder(&evs); dec.More(); {
		var ev model.LeaderCall
		if err := dec.Decode(&ev); err != nil {
			t.Fatal(err)
		}
		f.event(t, ev, seen)
	}
	for dec := json.NewDecoder(&sts); dec.More(); {
		var st model.Statement
		if err := dec.Decode(&st); err != nil {
			t.Fatal(err)
		}
		f.statements[st.ID] = st
	}
	for dec, i := json.NewDecoder(&dls), 0; dec.More(); i++ {
		var dl model.DeadLetter
		if err := dec.Decode(&dl); err != nil {
			t.Fatal(err)
		}
		f.deadKeys[fmt.Sprint("bad-", i+1)] = dl.Reason // replay has no keys: the bad lines are the last ones, in order
	}
	return f
}

// kafkaFinals reads what a Kafka run wrote: every record of a key is in one
// partition, so reading in offset order sees a version going back.
func kafkaFinals(t *testing.T, ctx context.Context, env *kafkatest.Env) *finals {
	t.Helper()
	f := newFinals()
	seen := map[string]model.LeaderCall{}
	readJSON(t, ctx, env, env.Topics.LeaderCalls, func(_ string, ev model.LeaderCall) { f.event(t, ev, seen) })
	readJSON(t, ctx, env, env.Topics.Statements, func(_ string, st model.Statement) {
		old, ok := f.statements[st.ID]
		if ok && st.Version < old.Version {
			f.regressions = append(f.regressions, fmt.Sprintf("statement %s v%d after v%d", st.ID, st.Version, old.Version))
		}
		if !ok || st.Version > old.Version {
			f.statements[st.ID] = st
		}
	})
	readJSON(t, ctx, env, env.Topics.DLQ, func(key string, dl model.DeadLetter) { f.deadKeys[key] = dl.Reason })
	return f
}

// readJSON decodes every record of topic as a T.
func readJSON[T any](t *testing.T, ctx context.Context, env *kafkatest.Env, topic string, fn func(key string, v T)) {
	t.Helper()
	if _, err := bus.ReadAll(ctx, env.Config, topic, func(r bus.Record) error {
		var v T
		if err := json.Unmarshal(r.Value, &v); err != nil {
			return fmt.Errorf("%s@%d: %w", r.Topic, r.Offset, err)
		}
		fn(string(r.Key), v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// diff says how a Kafka run differs from a replay, or "" when they agree:
// the events (as multisets of their content), the ids of the events whose
// ids are deterministic, the statements, the dead letters, and any version
// that went back.
func diff(got, want *finals, ids map[string]string) string {
	var out []string
	g, w := got.byContent(), want.byContent()
	for k, v := range w {
		if !slices.Equal(g[k], v) {
			out = append(out, fmt.Sprintf("event %s:\n got %s\nwant %s", k, g[k], v))
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			out = append(out, "extra event "+k)
		}
	}
	for _, ev := range got.events {
		if id, ok := ids[sourcesKey(ev)]; ok && ev.ID != id {
			out = append(out, fmt.Sprintf("event %s: id %s, the replay's %s", sourcesKey(ev), ev.ID, id))
		}
	}
	if len(got.statements) != len(want.statements) {
		out = append(out, fmt.Sprintf("%d statements, want %d", len(got.statements), len(want.statements)))
	}
	for id, ws := range want.statements {
		if gs, ok := got.statements[id]; !ok || gs.Version != ws.Version || gs.ContentHash != ws.ContentHash {
			out = append(out, fmt.Sprintf("statement %s: v%d %.8s, want v%d %.8s", id, gs.Version, gs.ContentHash, ws.Version, ws.ContentHash))
		}
	}
	for k, r := range want.deadKeys {
		if got.deadKeys[k] != r {
			out = append(out, fmt.Sprintf("dead letter %s: %q, want %q", k, got.deadKeys[k], r))
		}
	}
	out = append(out, got.regressions...)
	slices.Sort(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("and %d more", len(out)-10))
	}
	return strings.Join(out, "\n")
}

// Two processor instances in one group, the second joining while the first
// is mid-stream and the first leaving before the end (two rebalances), give
// the events, statements and dead letters that replay gives, the ids of the
// events whose ids do not depend on arrival order, and no version going back.
func TestRunnerRescaleGivesReplayAnswers(t *testing.T) {
	testRescale(t, longMemory, false)
}

// The same with the default retention: at each rebalance the instance that
// takes partitions over rebuilds their state and evicts most of it (the
// stream is not in time order), and the later reports of those calls and
// statements must find them evicted as the replay, which evicts nothing,
// finds them in memory.
func TestRunnerRescaleWithEvictionGivesReplayAnswers(t *testing.T) {
	testRescale(t, defaultMemory, true)
}

func testRescale(t *testing.T, newProc func(testing.TB) (*processor.Processor, *processor.Metrics), evicts bool) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	lines := stream(t)
	rp, _ := newProc(t)
	want := replayFinals(t, rp, lines)
	if len(want.events) < 200 || len(want.deadKeys) != 3 {
		t.Fatalf("replay: %d events, %d dead letters: not the stream this test needs", len(want.events), len(want.deadKeys))
	}
	ids := deterministicIDs(t, want)
	if len(ids) < len(want.events)/2 {
		t.Fatalf("%d of %d events have deterministic ids: too few for the check to mean much", len(ids), len(want.events))
	}
	group := env.Prefix + "processor"

	prod, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	produce := func(ls []line) {
		msgs := make([]bus.Message, len(ls))
		for i, l := range ls {
			msgs[i] = bus.Message{Topic: env.Topics.Raw, Key: []byte(l.key), Value: l.value, Headers: map[string]string{model.HeaderSchema: model.SchemaRaw}}
		}
		if err := prod.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	start := func(name string) (m *processor.Metrics, stop func()) {
		var p *processor.Processor
		p, m = newProc(t)
		r := &kafkarun.Runner{Processor: p, Bus: env.Config, Topics: env.Topics, Group: group,
			Producer: prod, Logger: zaptest.NewLogger(t).Named(name), BatchSize: 50}
		rctx, rcancel := context.WithCancel(ctx)
		done := make(chan struct{})
		wg.Go(func() {
			defer close(done)
			if err := r.Run(rctx); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		})
		return m, func() { rcancel(); <-done }
	}
	// progress polls the topics until cond holds for what they hold: a gate
	// to rebalance mid-stream, not a check.
	progress := func(what string, cond func(*finals) bool) {
		t.Helper()
		for {
			rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
			f := kafkaFinals(t, rctx, env)
			rcancel()
			if cond(f) {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("waiting for %s: %v (have %d statements, %d events)", what, ctx.Err(), len(f.statements), len(f.events))
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	// drained waits until the group committed every record of the raw, the
	// prepared and the call-reports topics, in that order: every output of
	// what was produced is then written (outputs are acknowledged before
	// their input is committed).
	drained := func() {
		t.Helper()
		for {
			behind := 0
			for _, topic := range []string{env.Topics.Raw, env.Topics.Prepared, env.Topics.CallReports} {
				lag, err := bus.GroupLag(ctx, env.Config, group, topic)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lag {
					behind += int(l)
				}
				if behind > 0 {
					break
				}
			}
			if behind == 0 {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("waiting for the group to commit everything: %v (%d records behind)", ctx.Err(), behind)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	// members waits until the group is stable with n members that all own partitions.
	members := func(n int) {
		t.Helper()
		for {
			m, err := bus.GroupAssignments(ctx, env.Config, group)
			if err != nil {
				t.Fatal(err)
			}
			owning := 0
			for _, parts := range m {
				if parts > 0 {
					owning++
				}
			}
			if len(m) == n && owning == n {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("waiting for %d members: %v (have %v)", n, ctx.Err(), m)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}

	third := len(lines) / 3
	produce(lines[:third])
	_, stopA := start("a")
	progress("a to be mid-stream", func(f *finals) bool { return len(f.statements) >= len(want.statements)/6 })
	mb, stopB := start("b") // a rebalance while a is busy
	members(2)
	produce(lines[third : 2*third]) // for both
	progress("both to be mid-stream", func(f *finals) bool {
		return len(f.statements) >= len(want.statements)/2 && len(f.events) >= len(want.events)/3
	})
	stopA() // another: b takes over a's partitions and rebuilds their state
	members(1)
	produce(lines[2*third:])
	drained()
	if evicts {
		// b rebuilt the state of every partition at the last rebalance and evicted what was old.
		for _, kind := range []string{"event_index", "statement_index"} {
			if n := testutil.ToFloat64(mb.StateEntries.WithLabelValues(kind)); n == 0 {
				t.Errorf("b holds no %s: the run did not evict, the test proves nothing", kind)
			}
		}
	}
	stopB()
	wg.Wait()
	if d := diff(kafkaFinals(t, ctx, env), want, ids); d != "" {
		t.Fatal(d)
	}
}

// A derived output that cannot be made is a dead letter (the event itself
// is written); a record of the leader-calls topic that does not decode is
// skipped, counted and logged while rebuilding state; event versions are
// counted once Kafka acknowledged them, one per record written.
func TestRunnerDeadLettersEncoderFailures(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	prod := env.Producer(ctx, t)
	msgs := []bus.Message{{Topic: env.Topics.LeaderCalls, Key: []byte("lc-broken"), Value: []byte("{not an event")}}
	for _, b := range processortest.Sample(t) {
		it := processortest.Raw(t, b)
		msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(it.Key()), Value: b})
	}
	if err := prod.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p, m := processortest.New(t)
	failing := func(ev *model.LeaderCall) (bus.Message, error) {
		return bus.Message{}, fmt.Errorf("no document for %s", ev.ID)
	}
	r := &kafkarun.Runner{Processor: p, Bus: env.Config, Topics: env.Topics, Group: env.Prefix + "processor",
		Producer: prod, Logger: zaptest.NewLogger(t), Encoders: []kafkarun.EventEncoder{failing}}
	rctx, rcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(rctx) }()
	var events, encodeFailures int
	count := func() {
		events, encodeFailures = 0, 0
		if _, err := bus.ReadAll(ctx, env.Config, env.Topics.LeaderCalls, func(r bus.Record) error {
			if string(r.Key) != "lc-broken" {
				events++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		readJSON(t, ctx, env, env.Topics.DLQ, func(_ string, dl model.DeadLetter) {
			if dl.Reason == processor.ReasonEncode && dl.Stage == "processor.encode" && len(dl.Payload) > 0 {
				encodeFailures++
			}
		})
	}
	for count(); events < 4 || encodeFailures < events; count() { // the sample reports 4 calls
		select {
		case <-ctx.Done():
			t.Fatalf("%d events, %d encoder dead letters", events, encodeFailures)
		case <-time.After(100 * time.Millisecond):
		}
	}
	rcancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	count() // what was written before the runner stopped
	if n := testutil.ToFloat64(m.RestoreSkipped.WithLabelValues(env.Topics.LeaderCalls)); n < 1 {
		t.Errorf("undecodable event record not counted (%v)", n)
	}
	if n := testutil.ToFloat64(m.DeadLetters.WithLabelValues(processor.ReasonEncode)); int(n) != encodeFailures {
		t.Errorf("encoder dead letters counted %v, written %d", n, encodeFailures)
	}
	written := testutil.ToFloat64(m.Events.WithLabelValues(model.StatusHeld)) + testutil.ToFloat64(m.Events.WithLabelValues(model.StatusAnnounced))
	if int(written) != events {
		t.Errorf("counted %v event versions, %d on the topic", written, events)
	}
}

// A committed offset past the end of a partition's log (the raw topic was
// deleted and created again) is reset to the start of the log, logged and
// counted; the runner processes what the new log holds instead of waiting
// at the old offset for ever while ready.
func TestRunnerReadsAgainFromTheStartPastTheEnd(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	prod := env.Producer(ctx, t)
	var msgs []bus.Message
	for _, b := range processortest.Sample(t) {
		it := processortest.Raw(t, b)
		msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(it.Key()), Value: b})
	}
	if err := prod.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	group := env.Prefix + "processor"
	g, err := bus.NewGroup(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := g.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for p := range 3 { // as the raw topic's earlier life left them
		if err := gen.Commit(bus.Record{Topic: env.Topics.Raw, Partition: p, Offset: 9999}); err != nil {
			t.Fatal(err)
		}
	}
	g.Close()

	p, m := processortest.New(t)
	r := &kafkarun.Runner{Processor: p, Bus: env.Config, Topics: env.Topics, Group: group, Producer: prod, Logger: zaptest.NewLogger(t)}
	rctx, rcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(rctx) }()
	want := len(processortest.Sample(t))
	for {
		n := 0
		readJSON(t, ctx, env, env.Topics.Statements, func(string, model.Statement) { n++ })
		if n >= want {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d statements: the raw partitions were not read again", n, want)
		case <-time.After(100 * time.Millisecond):
		}
	}
	rcancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := testutil.ToFloat64(m.OffsetResets.WithLabelValues(env.Topics.Raw, bus.ResetPastEnd)); n != 3 {
		t.Errorf("%v raw offsets reset, want 3", n)
	}
}
