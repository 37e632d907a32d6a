// Command benchpipe measures the processor: replay throughput over a large
// stream generated from the real dev-set statements, and the same through
// Kafka (embedded broker unless KAFKA_BROKERS is set) with the latency from
// raw message to statement and to event.
//
//	benchpipe [-items 100000] [-kafka-items 20000] [-in testdata/eval/raw.jsonl]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/internal/synth"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/embedded"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/processor/kafkarun"
)

func main() {
	items := flag.Int("items", 100000, "items in the replay benchmark")
	kafkaItems := flag.Int("kafka-items", 20000, "items in the Kafka throughput run, produced as one backlog (0 skips the Kafka runs)")
	rate := flag.Int("rate", 500, "items/s produced in the Kafka latency run")
	paced := flag.Int("paced-items", 5000, "items in the Kafka latency run")
	in := flag.String("in", "testdata/eval/raw.jsonl", "real raw items to generate from")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			cli.Fatal("benchpipe", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			cli.Fatal("benchpipe", err)
		}
		defer pprof.StopCPUProfile()
	}
	base, err := synth.LoadJSONL(*in)
	if err != nil {
		cli.Fatal("benchpipe", err)
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	if err := replay(ctx, base, *items); err != nil {
		cli.Fatal("benchpipe", err)
	}
	if *kafkaItems > 0 {
		if err := throughKafka(ctx, base, *kafkaItems, 0); err != nil {
			cli.Fatal("benchpipe", err)
		}
		if err := throughKafka(ctx, base, *paced, *rate); err != nil {
			cli.Fatal("benchpipe", err)
		}
	}
}

func replay(ctx context.Context, base []model.RawItem, n int) error {
	lines, err := synth.Stream(base, n, synth.DefaultMix)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, l := range lines {
		buf.Write(l)
		buf.WriteByte('\n')
	}
	lines = nil // only buf is replayed
	p, err := service.NewProcessor(nil, nil)
	if err != nil {
		return err
	}
	m := synth.DefaultMix
	fmt.Printf("replay: %d items (%.1f MB) generated from %d real statements (per 1000: %d redeliveries, %d edits, %d translations, %d bad lines), GOMAXPROCS=%d\n",
		n, float64(buf.Len())/1e6, len(base), m.Redeliveries, m.Edits, m.Translations, m.BadLines, runtime.GOMAXPROCS(0))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, err := p.Replay(ctx, &buf, processor.ReplayOptions{Events: io.Discard})
	if err != nil {
		return err
	}
	runtime.ReadMemStats(&after)
	s, e := p.StateSize()
	fmt.Printf("replay: %d items in %s = %.0f items/s; %d statements, %d duplicates, %d dead letters, %d event versions\n",
		st.Lines, st.Elapsed.Round(time.Millisecond), st.ItemsPerSecond(), st.Statements, st.Duplicates, st.DeadLetters, st.Events)
	fmt.Printf("replay: %.0f allocs/item, %.1f KB allocated/item; state held: %d statements, %d events; heap in use %.1f MB\n",
		float64(after.Mallocs-before.Mallocs)/float64(st.Lines), float64(after.TotalAlloc-before.TotalAlloc)/float64(st.Lines)/1024,
		s, e, float64(after.HeapInuse)/1e6)
	return nil
}

// throughKafka runs n items through Kafka and the processor: all at once
// (rate 0: throughput with a backlog) or paced at rate items/s (latency below capacity).
func throughKafka(ctx context.Context, base []model.RawItem, n, rate int) error {
	cfg := bus.Config{Brokers: bus.SplitBrokers(os.Getenv("KAFKA_BROKERS"))}
	where := "external Kafka " + os.Getenv("KAFKA_BROKERS")
	if len(cfg.Brokers) == 0 {
		b, err := embedded.Start(embedded.Options{Partitions: 3})
		if err != nil {
			return err
		}
		defer b.Close()
		cfg.Brokers = b.Addrs()
		where = "embedded kfake broker"
	}
	topics := bus.PrefixedTopics(fmt.Sprintf("bench-%d.", time.Now().UnixNano()))
	if err := bus.EnsureTopics(ctx, cfg, topics.Specs(3)); err != nil {
		return err
	}
	prod, err := bus.NewProducer(cfg, nil)
	if err != nil {
		return err
	}
	defer prod.Close()
	items := synth.Generate(base, n)
	mode := "one backlog"
	if rate > 0 {
		mode = fmt.Sprintf("paced at %d items/s", rate)
	}
	fmt.Printf("kafka: %d items through %s (3 partitions), %s\n", n, where, mode)

	p, err := service.NewProcessor(nil, nil)
	if err != nil {
		return err
	}
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	r := &kafkarun.Runner{Processor: p, Bus: cfg, Topics: topics, Group: "bench", Producer: prod}
	if os.Getenv("BENCH_DEBUG") != "" {
		r.Logger, _ = cli.Logger("console", "debug")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = r.Run(rctx) }()

	// Produce in batches, stamping fetched_at with the produce time.
	start := time.Now()
	go func() {
		step := 500
		var tick *time.Ticker
		if rate > 0 {
			step = max(1, rate/50)
			tick = time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
		}
		for i := 0; i < len(items); i += step {
			if tick != nil {
				<-tick.C
			}
			var msgs []bus.Message
			now := time.Now()
			for j := i; j < min(i+step, len(items)); j++ {
				items[j].FetchedAt = now
				b, _ := json.Marshal(items[j])
				msgs = append(msgs, bus.Message{Topic: topics.Raw, Key: []byte(items[j].Key()), Value: b,
					Headers: map[string]string{model.HeaderSchema: model.SchemaRaw}})
			}
			if err := prod.Write(ctx, msgs...); err != nil {
				fmt.Fprintln(os.Stderr, "produce:", err)
				return
			}
		}
	}()

	// Read the statements until every item is accounted for, measuring latency.
	cons, err := bus.NewConsumer(cfg, "bench-reader", topics.Statements)
	if err != nil {
		return err
	}
	defer cons.Close()
	fetched := map[string]time.Time{} // canonical URL → raw fetch time
	var lat []time.Duration
	for len(lat) < n {
		rec, err := cons.Fetch(ctx)
		if err != nil {
			return fmt.Errorf("after %d statements: %w", len(lat), err)
		}
		var st model.Statement
		if err := json.Unmarshal(rec.Value, &st); err != nil {
			return err
		}
		fetched[st.CanonicalURL] = st.FetchedAt
		lat = append(lat, rec.Time.Sub(st.FetchedAt))
	}
	elapsed := time.Since(start)
	rcancel()
	wg.Wait()
	var evLat []time.Duration
	if _, err := bus.ReadAll(ctx, cfg, topics.LeaderCalls, func(rec bus.Record) error {
		var ev model.LeaderCall
		if json.Unmarshal(rec.Value, &ev) != nil || len(ev.Sources) == 0 {
			return nil
		}
		newest := slices.MaxFunc(ev.Sources, func(a, b model.SourceRef) int { return fetched[a.CanonicalURL].Compare(fetched[b.CanonicalURL]) })
		if t, ok := fetched[newest.CanonicalURL]; ok {
			evLat = append(evLat, rec.Time.Sub(t))
		}
		return nil
	}); err != nil {
		return err
	}
	fmt.Printf("kafka: %d items in %s = %.0f items/s end to end (produce → statement acknowledged)\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	fmt.Printf("kafka: latency raw message → statement: p50 %s p99 %s max %s\n", pct(lat, 50), pct(lat, 99), pct(lat, 100))
	fmt.Printf("kafka: latency raw message → event (%d event versions): p50 %s p99 %s max %s\n", len(evLat), pct(evLat, 50), pct(evLat, 99), pct(evLat, 100))
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s) - 1) * p / 100
	return s[i].Round(100 * time.Microsecond)
}
