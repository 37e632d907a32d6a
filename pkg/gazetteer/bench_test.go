package gazetteer

import (
	"runtime"
	"testing"
)

// BenchmarkDefault loads the embedded data (the processor's start-up cost)
// and reports the heap it holds.
func BenchmarkDefault(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var keep *Gazetteer
	for b.Loop() {
		g, err := Default()
		if err != nil {
			b.Fatal(err)
		}
		keep = g
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-held")
	b.ReportMetric(float64(len(keep.People())), "people")
}
