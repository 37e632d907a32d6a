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

// A panic while deduplicating or merging one message becomes its dead
// letter (reason panic, payload kept) and the next message goes through.
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
	p.merge[0] = merger
	p.dedup[0] = p.NewDeduper() // the failed message may have been recorded as seen
	if out := p.Handle(Input{Value: line}); out.Statement == nil || len(out.Events) == 0 {
		t.Fatalf("after the panic: %+v", out)
	}
}
