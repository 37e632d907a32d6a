package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/model"
)

// backlog is the number of raw items the processor-kill scenario produces.
const backlog = 5000

// A processor interrupted twice while it works through a backlog, first by
// cancelling its context, then by kill -9 of its process, loses nothing: a
// new processor of the same group finishes, and the events equal those of a
// clean replay of the same input, redeliveries absorbed.
func TestProcessorKilledMidBacklog(t *testing.T) {
	e := newEnv(t, "prockill")
	group := e.prefix + "processor"
	src := feedSource(t, "backlog", "http://en.kremlin.ru/events/all/feed")
	s := loadStream(t)
	var items []model.RawItem
	for from := 0; from < backlog; from += s.Templates() {
		its, err := feeds.Parse(src, s.Feed(7, from, from+s.Templates()), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for i := len(its) - 1; i >= 0; i-- { // oldest first, as published
			items = append(items, its[i])
		}
	}
	wantEvents, wantStatements := replay(t, items)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prod, err := bus.NewProducer(e.cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(items); i += 200 {
		var msgs []bus.Message
		for _, it := range items[i:min(i+200, len(items))] {
			b, err := json.Marshal(it)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, bus.Message{Topic: e.topics.Raw, Key: []byte(it.Key()), Value: b,
				Headers: map[string]string{model.HeaderSchema: model.SchemaRaw, model.HeaderSource: it.Source}})
		}
		if err := prod.Write(ctx, msgs...); err != nil {
			t.Fatalf("produce backlog: %v", err)
		}
	}
	prod.Close()

	lagNow := func() int64 {
		l, err := groupLag(e, group)
		if err != nil {
			return -1
		}
		return l
	}

	// 1. An in-process processor, its context cancelled while it works: from
	// its event callback once it has emitted cancelAfterEvents events (a
	// lag threshold is too coarse: the three steps clear 5000 items in
	// seconds).
	const cancelAfterEvents = 100
	regA := service.NewRegistry()
	a := start(t, "processor A", func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var n atomic.Int64
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: e.cfg, Topics: e.topics, Group: group, Logger: logger(t).Named("A"), Registry: regA,
			OnEvent: func(*model.LeaderCall) {
				if n.Add(1) == cancelAfterEvents {
					cancel()
				}
			}})
	})
	select {
	case <-a.done:
	case <-time.After(time.Minute):
		t.Fatalf("processor A did not emit %d events within a minute", cancelAfterEvents)
	}
	a.stop(t)
	lagA := lagNow()
	if lagA <= 0 {
		t.Fatalf("lag %d after A stopped: A must leave work for the next processors", lagA)
	}
	handledA := counter(t, regA, "readout_processor_messages_total", "outcome", "statement")

	// 2. A processor in its own process, killed with SIGKILL after a batch's
	// outputs were acknowledged and before its offsets were committed.
	const killAfterEvents = 100 // about 670 items into its share
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), envChild+"=1", envChildBroker+"="+suite.addr, envChildPrefix+"="+e.prefix,
		envChildGroup+"="+group, envChildKillAfter+"="+strconv.Itoa(killAfterEvents))
	var childLog bytes.Buffer
	child.Stdout, child.Stderr = &childLog, &childLog
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	childDone := make(chan error, 1)
	go func() { childDone <- child.Wait() }()
	select {
	case err := <-childDone:
		ws, _ := child.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("child processor ended with %v, want killed by SIGKILL mid-batch\n%s", err, childLog.String())
		}
	case <-time.After(2 * time.Minute):
		_ = child.Process.Kill()
		<-childDone
		t.Fatalf("child processor did not reach %d events within 2 minutes\n%s", killAfterEvents, childLog.String())
	}
	// The child did work (it kills itself only from its 100th event) and left
	// some: the lag summed over the steps is not monotonic (redelivered raw
	// items are prepared again), so only "not done" is checked.
	lagB := lagNow()
	if lagB <= 0 {
		t.Fatalf("lag %d after the kill (was %d): the child must not have finished the backlog", lagB, lagA)
	}

	// 3. A new processor of the same group finishes the backlog.
	regC := service.NewRegistry()
	c := start(t, "processor C", func(ctx context.Context) error {
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: e.cfg, Topics: e.topics, Group: group, Logger: logger(t).Named("C"), Registry: regC})
	})
	waitFor(t, 2*time.Minute, "processor C to bring the group lag to 0", func() (bool, string) {
		requireRunning(t, c)
		l := lagNow()
		return l == 0, fmt.Sprintf("lag %d", l)
	})
	// The child died in step 3 (merging call reports), after its batch's
	// events were acknowledged: C reads that batch again and its events hold
	// its reports already. A step-2 batch in flight at the kill shows as
	// statement redeliveries too, but whether one was depends on timing.
	redelivered := counter(t, regC, "readout_processor_dedup_hits_total", "level", "redelivery") +
		counter(t, regC, "readout_processor_dedup_hits_total", "level", "report")
	if redelivered == 0 {
		t.Errorf("no redelivery seen after a kill between acknowledged outputs and their commit")
	}
	handledC := counter(t, regC, "readout_processor_messages_total", "outcome", "statement")

	stmts := mustRead(t, e, e.topics.Statements)
	evs := mustRead(t, e, e.topics.LeaderCalls)
	dlq := mustRead(t, e, e.topics.DLQ)
	if len(dlq.dead) != 0 {
		t.Errorf("%d dead letters for valid items, first: %+v", len(dlq.dead), dlq.dead[0])
	}
	// No statement lost, none invented; repeated records of one statement are identical.
	dupStatements, lost := 0, 0
	for id := range wantStatements {
		vs := stmts.statements[id]
		if len(vs) == 0 {
			lost++
			t.Errorf("statement %s lost", id)
			continue
		}
		for _, st := range vs[1:] {
			dupStatements++
			if st.Version != vs[0].Version || st.ContentHash != vs[0].ContentHash {
				t.Errorf("statement %s redelivered as version %d (%s), first %d (%s)", id, st.Version, st.ContentHash, vs[0].Version, vs[0].ContentHash)
			}
		}
	}
	if len(stmts.statements) != len(wantStatements) {
		t.Errorf("%d statements on the topic, replay has %d", len(stmts.statements), len(wantStatements))
	}
	// Events: the same set as the replay, the latest version of each equal to the replay's.
	got := evs.latest()
	for id, want := range wantEvents {
		ev, ok := got[id]
		if !ok {
			lost++
			t.Errorf("event %s (%s) lost", id, want.OccurredOn)
			continue
		}
		if d := sameEvent(ev, want); d != "" {
			t.Errorf("event %s differs from the clean replay: %s", id, d)
		}
	}
	for id := range got {
		if _, ok := wantEvents[id]; !ok {
			t.Errorf("event %s is not in the clean replay", id)
		}
	}
	// Versions of an event grow along its partition; a repeat is the same version again.
	dupEvents := 0
	for id, vs := range evs.events {
		for i := 1; i < len(vs); i++ {
			switch {
			case vs[i].Version == vs[i-1].Version:
				dupEvents++
				if d := sameEvent(vs[i], vs[i-1]); d != "" {
					t.Errorf("event %s version %d written twice with different content: %s", id, vs[i].Version, d)
				}
			case vs[i].Version < vs[i-1].Version:
				t.Errorf("event %s: version %d after %d", id, vs[i].Version, vs[i-1].Version)
			}
		}
	}
	requireRunning(t, c)
	report(t, "backlog %d raw items; A cancelled at lag %d after %.0f statements; child SIGKILLed between outputs and commit at lag %d; C handled %.0f new + %.0f redelivered; statements %d/%d (repeated records %d), events %d/%d of the clean replay (repeated versions %d), lost %d",
		backlog, lagA, handledA, lagB, handledC, redelivered, len(stmts.statements), len(wantStatements), dupStatements, len(got), len(wantEvents), dupEvents, lost)
}
