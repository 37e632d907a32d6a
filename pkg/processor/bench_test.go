package processor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/readout/readout/internal/processortest"
	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// BenchmarkReplay measures the whole processing of one item (decode,
// normalize, dedup, extract, merge, encode) over items generated from the
// real dev-set statements, with redeliveries, edits, translations and bad
// lines mixed in (synth.DefaultMix).
func BenchmarkReplay(b *testing.B) {
	base, err := synth.LoadJSONL("../../testdata/eval/raw.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	const n = 5000
	lines, err := synth.Stream(base, n, synth.DefaultMix)
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Join(lines, []byte("\n"))
	b.SetBytes(int64(len(data))) // per replay of n items
	b.ReportAllocs()
	b.ResetTimer()
	items := 0
	for b.Loop() {
		p, _ := processortest.New(b)
		st, err := p.Replay(context.Background(), bytes.NewReader(data), processor.ReplayOptions{Events: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		items += st.Lines
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkRawItemJSON measures decoding a raw item (readout.raw.v1 value)
// and encoding its prepared statement, the JSON work of the first step.
func BenchmarkRawItemJSON(b *testing.B) {
	base, err := synth.LoadJSONL("../../testdata/eval/raw.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	lines := make([][]byte, len(base))
	total := 0
	for i, it := range base {
		if lines[i], err = json.Marshal(it); err != nil {
			b.Fatal(err)
		}
		total += len(lines[i])
	}
	p, _ := processortest.New(b)
	prepared := make([]*model.PreparedStatement, len(lines))
	for i, l := range lines {
		if prepared[i], _ = p.Prepare(processor.Input{Value: l}); prepared[i] == nil {
			b.Fatalf("line %d is a dead letter", i)
		}
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(total / len(lines)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var it model.RawItem
			if err := json.Unmarshal(lines[i%len(lines)], &it); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("encode-prepared", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := json.Marshal(prepared[i%len(prepared)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
