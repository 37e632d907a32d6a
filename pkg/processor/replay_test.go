package processor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// Replay, which prepares a batch while it writes the one before, writes
// what Handle gives line by line, in order, over several batches and a
// partial last one, and reports progress by the lines written.
func TestReplayBatchesEqualHandle(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) }
	newProc := func() *processor.Processor {
		p, err := processor.New(processor.Config{Extractor: extract.New(g), Metrics: processor.NewMetrics(prometheus.NewRegistry()), Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	base, err := synth.LoadJSONL("../../testdata/eval/raw.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := synth.Stream(base, 1700, synth.DefaultMix) // three batches of 512 and a part
	if err != nil {
		t.Fatal(err)
	}

	// What Handle gives, written as Replay writes it.
	var wantEvs, wantSts, wantDLQ bytes.Buffer
	evEnc, stEnc, dlEnc := json.NewEncoder(&wantEvs), json.NewEncoder(&wantSts), json.NewEncoder(&wantDLQ)
	evEnc.SetEscapeHTML(false)
	stEnc.SetEscapeHTML(false)
	seq := newProc()
	for i, l := range lines {
		out := seq.Handle(processor.Input{Value: l, Topic: "replay", Offset: int64(i + 1)})
		switch {
		case out.DeadLetter != nil:
			if err := dlEnc.Encode(out.DeadLetter); err != nil {
				t.Fatal(err)
			}
		case out.Statement != nil:
			if err := stEnc.Encode(out.Statement); err != nil {
				t.Fatal(err)
			}
		}
		for _, ev := range out.Events {
			if err := evEnc.Encode(ev); err != nil {
				t.Fatal(err)
			}
		}
	}

	var in, evs, sts, dlq bytes.Buffer
	for _, l := range lines {
		in.Write(l)
		in.WriteByte('\n')
	}
	var progress []int
	st, err := newProc().Replay(context.Background(), &in, processor.ReplayOptions{Events: &evs, Statements: &sts, DLQ: &dlq,
		Progress: func(s processor.ReplayStats) { progress = append(progress, s.Lines) }, ProgressEvery: 700})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines != len(lines) || st.Statements+st.Duplicates+st.DeadLetters != len(lines) {
		t.Errorf("stats %+v for %d lines", st, len(lines))
	}
	for _, c := range []struct {
		name      string
		got, want []byte
	}{{"events", evs.Bytes(), wantEvs.Bytes()}, {"statements", sts.Bytes(), wantSts.Bytes()}, {"dead letters", dlq.Bytes(), wantDLQ.Bytes()}} {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s differ from Handle's (%d bytes, want %d)", c.name, len(c.got), len(c.want))
		}
	}
	// After each batch of 512 that ends at n lines with n/700 != (n-512)/700.
	if want := []int{1024, 1536, 1700}; !slices.Equal(progress, want) {
		t.Errorf("progress at %v lines, want %v", progress, want)
	}
}

// An over-long line is dead-lettered as too_large with its real size, not
// the size of the start replay keeps of it, and the next line is read.
func TestReplayOverLongLineKeepsItsSize(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g), Metrics: processor.NewMetrics(prometheus.NewRegistry()), MaxMessageBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// Longer than replay's 1 MiB read buffer, so it is read in parts.
	long := `{"source":"s","url":"https://example.org/1","title":"t","body":"` + strings.Repeat("a", 3<<20) + `"}`
	in := long + "\r\n" + `{"source":"s","url":"https://example.org/2","title":"t","body":"b","published_at":"2025-01-02T03:04:05Z"}` + "\n"
	var evs, dlq bytes.Buffer
	st, err := p.Replay(context.Background(), strings.NewReader(in), processor.ReplayOptions{Events: &evs, DLQ: &dlq})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines != 2 || st.DeadLetters != 1 || st.Statements != 1 {
		t.Fatalf("stats %+v, want 2 lines: a dead letter and a statement", st)
	}
	var dl model.DeadLetter
	if err := json.Unmarshal(dlq.Bytes(), &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Reason != processor.ReasonTooLarge || dl.PayloadBytes != len(long) || !strings.Contains(dl.Error, fmt.Sprint(len(long))) {
		t.Errorf("dead letter %s (%s), %d bytes; want too_large of %d bytes", dl.Reason, dl.Error, dl.PayloadBytes, len(long))
	}
}

// A replayed line that is not JSON is dead-lettered with an error that says
// what a line must be, and logged with its line number (not an "offset").
func TestReplayBadLineSaysWhatALineIs(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.WarnLevel)
	p, err := processor.New(processor.Config{Extractor: extract.New(g), Metrics: processor.NewMetrics(prometheus.NewRegistry()), Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	in := `{"source":"s","url":"https://example.org/1","title":"t","body":"b","published_at":"2025-01-02T03:04:05Z"}` + "\nhello\n"
	var evs, dlq bytes.Buffer
	if _, err := p.Replay(context.Background(), strings.NewReader(in), processor.ReplayOptions{Events: &evs, DLQ: &dlq}); err != nil {
		t.Fatal(err)
	}
	var dl model.DeadLetter
	if err := json.Unmarshal(dlq.Bytes(), &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Reason != processor.ReasonMalformedJSON || !strings.Contains(dl.Error, "must be one readout.raw.v1 JSON object") {
		t.Errorf("dead letter %s: %s", dl.Reason, dl.Error)
	}
	entries := logs.FilterMessage("dead letter").All()
	if len(entries) != 1 {
		t.Fatalf("%d dead-letter log entries, want 1", len(entries))
	}
	fields := entries[0].ContextMap()
	if fields["line"] != int64(2) || fields["offset"] != nil {
		t.Errorf("logged %v, want line 2 and no offset", fields)
	}
}
