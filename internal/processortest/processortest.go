// Package processortest holds the helpers the processor's tests and its
// Kafka runner's tests share: a processor over the default gazetteer and
// the sample of real raw items.
package processortest

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// New returns a processor over the default gazetteer, with its metrics on
// a registry of its own.
func New(t testing.TB) (*processor.Processor, *processor.Metrics) {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := processor.NewMetrics(prometheus.NewRegistry())
	p, err := processor.New(processor.Config{Extractor: extract.New(g), Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

// Sample returns pkg/processor/testdata/raw-sample.jsonl, a line each.
func Sample(t testing.TB) [][]byte {
	t.Helper()
	b, err := os.ReadFile(fixture.File(t, "pkg/processor/testdata/raw-sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for line := range bytes.Lines(b) {
		if line = bytes.TrimRight(line, "\r\n"); len(line) > 0 {
			out = append(out, line)
		}
	}
	return out
}

// Raw decodes a raw item.
func Raw(t testing.TB, b []byte) model.RawItem {
	t.Helper()
	var it model.RawItem
	if err := json.Unmarshal(b, &it); err != nil {
		t.Fatal(err)
	}
	return it
}

// Encode encodes a raw item.
func Encode(t testing.TB, it model.RawItem) []byte {
	t.Helper()
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
