package processor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/processor"
)

// BenchmarkReplay measures the whole processing of one item (decode,
// normalize, dedup, extract, merge, encode) over items generated from the
// real dev-set statements.
func BenchmarkReplay(b *testing.B) {
	base, err := synth.LoadJSONL("../../testdata/eval/raw.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	const n = 5000
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, it := range synth.Generate(base, n) {
		if err := enc.Encode(it); err != nil {
			b.Fatal(err)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data) / n))
	b.ReportAllocs()
	b.ResetTimer()
	items := 0
	for b.Loop() {
		p, _ := newProcessor(b)
		st, err := p.Replay(context.Background(), bytes.NewReader(data), processor.ReplayOptions{Events: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		items += st.Lines
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}
