// Command processor consumes raw items from Kafka and emits normalized
// statements and leader-call events; `processor replay` does the same from a
// JSONL file with no Kafka.
//
//	processor run    [--kafka-brokers ...] [--http-addr 127.0.0.1:9102] [--public-addr 127.0.0.1:8102]
//	                 [--public-token-file FILE] [--public-base-url URL] [--group readout-processor] [--webhooks FILE]
//	                 (/metrics, /healthz, /readyz on --http-addr; the newsroom feeds
//	                 /events.atom, /events/stream, /events.plover.jsonl on --public-addr)
//	processor replay [--in FILE] [--out FILE] [--statements FILE] [--dlq FILE] [--partitions 3]
//	                 [--ninjs FILE] [--plover FILE] (one flag per output format of pkg/outputs/all)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
	"github.com/readout/readout/pkg/outputs/all"
	"github.com/readout/readout/pkg/processor"
)

// commandsUsage lists the commands; each command's --help ends with it.
const commandsUsage = `usage: processor [command] [flags]

commands:
  run     consume readout.raw.v1 from Kafka and publish statements and leader-call events (the default)
  replay  the same processing from a JSONL file of raw items to JSONL events, no Kafka

` + "`processor COMMAND --help` lists the flags of a command. Every flag has an environment twin:\n" +
	"--group <-> READOUT_GROUP, --http-addr <-> READOUT_HTTP_ADDR, and so on.\n"

func main() {
	args := os.Args[1:]
	cmd := "run"
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Print(commandsUsage)
			return
		}
		if args[0] != "" && args[0][0] != '-' {
			cmd, args = args[0], args[1:]
		}
	}
	var err error
	switch cmd {
	case "run":
		err = run(args)
	case "replay":
		err = replay(args)
	default:
		fmt.Fprint(os.Stderr, commandsUsage)
		err = fmt.Errorf("unknown command %q (run, replay)", cmd)
	}
	if err != nil {
		cli.Fatal("processor", err)
	}
}

// newFlagSet is the flag set of command name, whose --help lists its flags
// and then the commands.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("processor "+name, flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: processor %s [flags]\n\nflags:\n", name)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\n"+commandsUsage)
	}
	return fs
}

func run(args []string) error {
	fs := newFlagSet("run")
	kf := cli.AddKafkaFlags(fs)
	tf := cli.AddTopicFlags(fs)
	create := cli.AddCreateTopicsFlag(fs)
	httpAddr := cli.String(fs, "http-addr", "127.0.0.1:9102", "admin listener: /metrics, /healthz, /readyz, no authentication (in a container: 0.0.0.0:9102)")
	pf := cli.AddPublicFlags(fs, "127.0.0.1:8102")
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
	bc, err := kf.ConfigWithBrokers()
	if err != nil {
		return err
	}
	bc.ClientID = "readout-processor"
	token, err := pf.Token()
	if err != nil {
		return err
	}
	topics, err := tf.Topics()
	if err != nil {
		return err
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	err = service.RunProcessor(ctx, service.ProcessorOptions{Bus: bc, Topics: topics, NoCreateTopics: !*create, Group: *group,
		HTTPAddr: *httpAddr, Public: service.Public{HTTP: service.HTTP{Addr: *pf.Addr}, Token: token, MaxConns: *pf.MaxConns, BaseURL: *pf.BaseURL},
		Logger: log, Webhooks: service.WebhookOptions{ConfigFile: *webhooks, StateDir: *webhookState}})
	err = cli.Stopped(ctx, err)
	log.Info("processor stopped", zap.Error(err))
	return err
}

func replay(args []string) error {
	fs := newFlagSet("replay")
	in := cli.String(fs, "in", "-", "raw items as JSONL (readout.raw.v1 values); - for stdin")
	out := cli.String(fs, "out", "-", "where to write leader-call events as JSONL; - for stdout")
	stmts := cli.String(fs, "statements", "", "optional: write normalized statements as JSONL here")
	dlq := cli.String(fs, "dlq", "", "optional: write dead letters as JSONL here (they are always logged and counted)")
	formats := outputFlags(fs)
	quiet := cli.Bool(fs, "quiet", false, "no progress on stderr")
	partitions := cli.Int(fs, "partitions", processor.DefaultPartitions,
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
	var latest *latestEvents
	formats = requested(formats)
	if len(formats) > 0 {
		latest = &latestEvents{byID: map[string]model.LeaderCall{}}
		o.Events = io.MultiWriter(o.Events, latest)
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
	if err == nil && latest != nil {
		err = latest.writeFormats(formats)
	}
	return err
}

// formatFile is an output format and replay's --KEY flag, the file to write it to.
type formatFile struct {
	format outputs.Format
	path   *string
}

// outputFlags defines --KEY FILE on fs for each output format of pkg/outputs/all.
func outputFlags(fs *flag.FlagSet) []formatFile {
	var out []formatFile
	for _, f := range all.Formats {
		s := f.Spec()
		out = append(out, formatFile{f, cli.String(fs, s.Key, "", "optional: write the "+s.Name+
			" document of the latest version of every event here, one per line (events it does not represent are left out)")})
	}
	return out
}

// requested are the formats given a file.
func requested(files []formatFile) []formatFile {
	var out []formatFile
	for _, ff := range files {
		if *ff.path != "" {
			out = append(out, ff)
		}
	}
	return out
}

// latestEvents keeps the latest version of every event written by replay
// (an io.Writer of its JSONL).
type latestEvents struct {
	byID map[string]model.LeaderCall
	line []byte
	err  error
}

func (l *latestEvents) Write(p []byte) (int, error) {
	l.line = append(l.line, p...)
	for {
		i := bytes.IndexByte(l.line, '\n')
		if i < 0 {
			return len(p), nil
		}
		var ev model.LeaderCall
		if err := json.Unmarshal(l.line[:i], &ev); err != nil && l.err == nil {
			l.err = fmt.Errorf("replay: read event: %w", err)
		} else if old, ok := l.byID[ev.ID]; !ok || ev.Version >= old.Version {
			l.byID[ev.ID] = ev
		}
		l.line = l.line[i+1:]
	}
}

// writeFormats writes each file of files and says how many records it holds.
func (l *latestEvents) writeFormats(files []formatFile) error {
	if l.err != nil {
		return l.err
	}
	for _, ff := range files {
		n, err := l.writeFormat(ff.format, *ff.path)
		if err != nil {
			return fmt.Errorf("replay: --%s %s: %w", ff.format.Spec().Key, *ff.path, err)
		}
		fmt.Fprintf(os.Stderr, "replay: %d %s records in %s\n", n, ff.format.Spec().Name, *ff.path)
	}
	return nil
}

// writeFormat writes the latest version of every event f represents, by id,
// as JSON Lines to path.
func (l *latestEvents) writeFormat(f outputs.Format, path string) (int, error) {
	ids := make([]string, 0, len(l.byID))
	for id := range l.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	file, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(file)
	var line bytes.Buffer
	n := 0
	for _, id := range ids {
		ev := l.byID[id]
		line.Reset()
		err := outputs.AppendLine(&line, f, &ev)
		if errors.Is(err, outputs.ErrSkip) {
			continue
		}
		if err == nil {
			_, err = w.Write(line.Bytes())
		}
		if err != nil {
			file.Close()
			return n, err
		}
		n++
	}
	if err := w.Flush(); err != nil {
		file.Close()
		return n, err
	}
	return n, file.Close()
}
