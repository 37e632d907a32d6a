package processor

import (
	"os"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
)

// A panic while merging one message becomes its dead letter (reason panic,
// payload kept) and leaves no mark of the message in the dedup state: its
// redelivery goes through as version 1 with its events, not absorbed as a
// duplicate of a statement that was never output.
func TestCommitPanicBecomesDeadLetter(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(prometheus.NewRegistry())
	p, err := New(Config{Extractor: extract.New(g), Metrics: m, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/raw-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.SplitN(string(b), "\n", 2)[0])
	merger := p.merge[0]
	p.merge[0] = nil // the merge step of the next message panics on a nil tracker
	out := p.Handle(Input{Value: line, Topic: "raw", Offset: 41})
	if out.DeadLetter == nil || out.DeadLetter.Reason != ReasonPanic || out.DeadLetter.Offset != 41 || len(out.DeadLetter.Payload) != len(line) {
		t.Fatalf("panic: %+v", out)
	}
	if n := testutil.ToFloat64(m.DeadLetters.WithLabelValues(ReasonPanic)); n != 1 {
		t.Errorf("panic dead letters counted %v", n)
	}
	if out.Statement != nil || p.dedup[0].Len() != 0 {
		t.Errorf("the dead-lettered message left statement %v, %d statements in the dedup state", out.Statement, p.dedup[0].Len())
	}
	p.merge[0] = merger
	again := p.Handle(Input{Value: line})
	if again.Statement == nil || again.Statement.Version != 1 || len(again.Events) == 0 || again.DeadLetter != nil {
		t.Fatalf("the redelivery after the panic: %+v", again)
	}
	// A panic in the dedup step itself is a dead letter too, and a redelivery is processed.
	p2, err := New(Config{Extractor: extract.New(g), Metrics: NewMetrics(prometheus.NewRegistry()), Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	dedup := p2.dedup[0]
	p2.dedup[0] = nil
	if out := p2.Handle(Input{Value: line}); out.DeadLetter == nil || out.DeadLetter.Reason != ReasonPanic {
		t.Fatalf("dedup panic: %+v", out)
	}
	p2.dedup[0] = dedup
	if out := p2.Handle(Input{Value: line}); out.Statement == nil || out.Statement.Version != 1 {
		t.Fatalf("after the dedup panic: %+v", out)
	}
}
