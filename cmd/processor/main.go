// Command processor consumes raw items from Kafka and emits normalized
// statements and leader-call events; `processor replay` does the same from a
// JSONL file with no Kafka.
//
//	processor run    [--kafka-brokers ...] [--http-addr :9102] [--group readout-processor] [--webhooks FILE]
//	                 (serves /events.atom and /events/stream beside /metrics)
//	processor replay [--in FILE] [--out FILE] [--statements FILE] [--dlq FILE] [--partitions 3]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/processor"
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
	case "replay":
		err = replay(args)
	case "help":
		fmt.Fprintln(os.Stderr, "usage: processor run|replay [flags]; processor <cmd> -h for flags")
	default:
		err = fmt.Errorf("unknown command %q (run, replay)", cmd)
	}
	if err != nil {
		cli.Fatal("processor", err)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("processor run", flag.ExitOnError)
	kf := cli.AddKafkaFlags(fs)
	httpAddr := cli.String(fs, "http-addr", ":9102", "address for /metrics, /healthz, /readyz")
	group := cli.String(fs, "group", "readout-processor", "Kafka consumer group")
	webhooks := cli.String(fs, "webhooks", "", "webhook subscribers file (YAML, see pkg/webhook); empty: no webhooks")
	webhookState := cli.String(fs, "webhook-state", "/var/lib/readout", "directory for webhook delivery state")
	logFormat := cli.String(fs, "log-format", "json", "log format: json or console")
	logLevel := cli.String(fs, "log-level", "info", "log level")
	_ = fs.Parse(args)
	log, err := cli.Logger(*logFormat, *logLevel)
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
	bc.ClientID = "readout-processor"
	ctx, cancel := cli.SignalContext()
	defer cancel()
	err = service.RunProcessor(ctx, service.ProcessorOptions{Bus: bc, Topics: bus.DefaultTopicNames(), Group: *group,
		HTTPAddr: *httpAddr, Logger: log, Webhooks: service.WebhookOptions{ConfigFile: *webhooks, StateDir: *webhookState}})
	log.Info("processor stopped", zap.Error(err))
	return err
}

func replay(args []string) error {
	fs := flag.NewFlagSet("processor replay", flag.ExitOnError)
	in := fs.String("in", "-", "raw items as JSONL (readout.raw.v1 values); - for stdin")
	out := fs.String("out", "-", "where to write leader-call events as JSONL; - for stdout")
	stmts := fs.String("statements", "", "optional: write normalized statements as JSONL here")
	dlq := fs.String("dlq", "", "optional: write dead letters as JSONL here (they are always logged and counted)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	partitions := fs.Int("partitions", processor.DefaultPartitions,
		"shard the dedup and merge state as a Kafka deployment with this many partitions of readout.prepared.v1 and readout.call-reports.v1 does, to give its answers")
	_ = fs.Parse(args)
	log, err := cli.Logger("console", "warn")
	if err != nil {
		return err
	}
	g, err := gazetteer.Default()
	if err != nil {
		return err
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g), Logger: log, Partitions: *partitions})
	if err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	var files []*os.File
	create := func(path string) (io.Writer, error) {
		if path == "" {
			return nil, nil
		}
		if path == "-" {
			return os.Stdout, nil
		}
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return f, nil
	}
	o := processor.ReplayOptions{}
	if o.Events, err = create(*out); err != nil {
		return err
	}
	if o.Statements, err = create(*stmts); err != nil {
		return err
	}
	if o.DLQ, err = create(*dlq); err != nil {
		return err
	}
	if !*quiet {
		o.Progress = func(s processor.ReplayStats) {
			fmt.Fprintf(os.Stderr, "replay: %d items, %d events, %.0f items/s\n", s.Lines, s.Events, s.ItemsPerSecond())
		}
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	st, err := p.Replay(ctx, r, o)
	for _, f := range files {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	fmt.Fprintf(os.Stderr, "replay: %d items: %d statements, %d duplicates, %d dead letters; %d event versions; %.0f items/s\n",
		st.Lines, st.Statements, st.Duplicates, st.DeadLetters, st.Events, st.ItemsPerSecond())
	return err
}
