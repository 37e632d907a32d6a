// Command crawler polls the configured sources and publishes every new or
// changed item to readout.raw.v1.
//
//	crawler run      [--sources configs/sources.yaml] [--kafka-brokers ...] [--http-addr :9101]
//	crawler once     --sources FILE --out FILE.jsonl [--state DIR]
//	crawler backfill --source ID --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.jsonl]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

func main() {
	args := os.Args[1:]
	cmd := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		err = run(args)
	case "once":
		err = once(args)
	case "backfill":
		err = backfill(args)
	default:
		err = fmt.Errorf("unknown command %q (run, once, backfill)", cmd)
	}
	if err != nil {
		cli.Fatal("crawler", err)
	}
}

type common struct {
	sources, userAgent, logFormat, logLevel *string
}

func addCommon(fs *flag.FlagSet, logFormat string) common {
	return common{
		sources:   cli.String(fs, "sources", "configs/sources.yaml", "sources file (YAML)"),
		userAgent: cli.String(fs, "user-agent", fetch.DefaultUserAgent, "User-Agent sent to sources, with a contact URL"),
		logFormat: cli.String(fs, "log-format", logFormat, "log format: json or console"),
		logLevel:  cli.String(fs, "log-level", "info", "log level"),
	}
}

func (c common) load() ([]sources.Source, *zap.Logger, error) {
	log, err := cli.Logger(*c.logFormat, *c.logLevel)
	if err != nil {
		return nil, nil, err
	}
	srcs, err := sources.Load(*c.sources)
	if err != nil {
		return nil, nil, err
	}
	return srcs, log, nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("crawler run", flag.ExitOnError)
	c := addCommon(fs, "json")
	kf := cli.AddKafkaFlags(fs)
	httpAddr := cli.String(fs, "http-addr", ":9101", "address for /metrics, /healthz, /readyz")
	_ = fs.Parse(args)
	srcs, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	bc, err := kf.Config()
	if err != nil {
		return err
	}
	if len(bc.Brokers) == 0 {
		return bus.ErrNoBrokers
	}
	bc.ClientID = "readout-crawler"
	ctx, cancel := cli.SignalContext()
	defer cancel()
	err = service.RunCrawler(ctx, service.CrawlerOptions{Bus: bc, Topics: bus.DefaultTopicNames(), Sources: srcs,
		Fetch: fetch.Options{UserAgent: *c.userAgent}, HTTPAddr: *httpAddr, Logger: log})
	log.Info("crawler stopped", zap.Error(err))
	return err
}

// once runs one poll cycle and writes raw items as JSONL instead of to Kafka.
func once(args []string) error {
	fs := flag.NewFlagSet("crawler once", flag.ExitOnError)
	c := addCommon(fs, "console")
	out := cli.String(fs, "out", "-", "JSONL file for raw items and dead letters; - for stdout")
	state := cli.String(fs, "state", "", "directory for seen-state; a second run then sends conditional requests and writes only what is new or changed")
	_ = fs.Parse(args)
	srcs, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	w := os.Stdout
	if *out != "-" {
		if w, err = os.Create(*out); err != nil {
			return err
		}
		defer w.Close()
	}
	sink := crawler.NewJSONLSink(w)
	cfg := crawler.Config{Sources: srcs, Sink: sink, DLQ: sink, Logger: log, Fetch: fetch.Options{UserAgent: *c.userAgent}}
	if *state != "" {
		st, err := crawler.NewFileStore(*state)
		if err != nil {
			return err
		}
		cfg.State = st
	}
	cr, err := crawler.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	return cr.Once(ctx)
}

func backfill(args []string) error {
	fs := flag.NewFlagSet("crawler backfill", flag.ExitOnError)
	c := addCommon(fs, "console")
	kf := cli.AddKafkaFlags(fs)
	id := cli.String(fs, "source", "", "source id (required)")
	from := cli.String(fs, "from", "", "first date, YYYY-MM-DD (required)")
	to := cli.String(fs, "to", "", "last date, YYYY-MM-DD (default today)")
	out := cli.String(fs, "out", "", "write raw items as JSONL here instead of to Kafka")
	_ = fs.Parse(args)
	if *id == "" || *from == "" {
		return fmt.Errorf("backfill needs --source and --from")
	}
	f, err := time.Parse(time.DateOnly, *from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	t := time.Now().UTC()
	if *to != "" {
		if t, err = time.Parse(time.DateOnly, *to); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	srcs, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	ctx, cancel := cli.SignalContext()
	defer cancel()
	cfg := crawler.Config{Sources: srcs, Logger: log, Fetch: fetch.Options{UserAgent: *c.userAgent}}
	if *out != "" {
		w, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer w.Close()
		sink := crawler.NewJSONLSink(w)
		cfg.Sink, cfg.DLQ = sink, sink
	} else {
		bc, err := kf.Config()
		if err != nil {
			return err
		}
		if len(bc.Brokers) == 0 {
			return fmt.Errorf("backfill: set --kafka-brokers or --out")
		}
		prod, err := bus.NewProducer(bc, nil)
		if err != nil {
			return err
		}
		defer prod.Close()
		if err := bus.EnsureTopics(ctx, bc, bus.DefaultTopicNames().Specs(0)); err != nil {
			return err
		}
		sink := &crawler.KafkaSink{Producer: prod, Topics: bus.DefaultTopicNames()}
		cfg.Sink, cfg.DLQ = sink, sink
	}
	cr, err := crawler.New(cfg)
	if err != nil {
		return err
	}
	return cr.Backfill(ctx, *id, f, t, os.Stderr)
}
