package kafkarun_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

func newProcessor(t testing.TB) (*processor.Processor, *processor.Metrics) {
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

// sample is the processor's sample of raw items, one JSON object a line.
func sample(t testing.TB) [][]byte {
	t.Helper()
	f, err := os.Open("../testdata/raw-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, bytes.Clone(sc.Bytes()))
	}
	return out
}

func raw(t testing.TB, b []byte) model.RawItem {
	t.Helper()
	var it model.RawItem
	if err := json.Unmarshal(b, &it); err != nil {
		t.Fatal(err)
	}
	return it
}

func encode(t testing.TB, it model.RawItem) []byte {
	t.Helper()
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
