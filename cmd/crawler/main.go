// Command crawler polls the configured sources and publishes every new or
// changed item to readout.raw.v1.
//
//	crawler run      [--sources configs/sources.yaml] [--kafka-brokers ...] [--http-addr 127.0.0.1:9101]
//	crawler once     --sources FILE --out FILE.jsonl [--dlq FILE.jsonl] [--state DIR]
//	crawler backfill --source ID --from YYYY-MM-DD [--to YYYY-MM-DD] [--out FILE.jsonl [--dlq FILE.jsonl] [--state DIR]]
//	crawler probe    [--sources FILE] [--source ID[,ID]]... [--format table|json] [--timeout 3m]
//
// Probe fetches every enabled source once with the crawler's fetch policy
// and prints one row per source (status, format, items, newest item,
// conditional requests, what failed); it exits 1 when a source yields
// nothing. No Kafka.
//
// Backfill dates are days of the source's zone (its zone: setting, UTC
// without one).
//
// HTTP settings come from the sources file's fetch: section; the flags
// --user-agent, --fetch-timeout, --connect-timeout, --max-body-bytes,
// --max-redirects, --per-host-concurrency and --per-host-rate override it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler"
	"github.com/readout/readout/pkg/crawler/kafkasink"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// command is a subcommand of crawler.
type command struct {
	name, summary string
	run           func(args []string) error
}

// commands are every subcommand, in the order --help lists them; the first
// is the default. Set in init: each command's usage lists them all.
var commands []command

func init() {
	commands = []command{
		{"run", "poll the sources and publish new and changed items to Kafka (the default)", run},
		{"once", "one poll cycle to JSONL, no Kafka", once},
		{"backfill", "walk a source's archive between two dates, to Kafka or JSONL", backfill},
		{"probe", "fetch every enabled source once and report what it yields, no Kafka (exit 1 if one yields nothing)",
			func(args []string) error { return probe(args, os.Stdout, os.Stderr) }},
	}
}

func main() {
	args := os.Args[1:]
	name := commands[0].name
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			usage(os.Stdout)
			return
		}
		if args[0] != "" && args[0][0] != '-' {
			name, args = args[0], args[1:]
		}
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		usage(os.Stderr)
		cli.Fatal("crawler", fmt.Errorf("unknown command %q", name))
	}
	if err := commands[i].run(args); err != nil {
		cli.Fatal("crawler", err)
	}
}

// usage lists every subcommand.
func usage(w io.Writer) {
	fmt.Fprint(w, "usage: crawler [command] [flags]\n\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	_ = tw.Flush()
	fmt.Fprint(w, "\n`crawler COMMAND --help` lists the flags of a command. Every flag has an environment twin:\n"+
		"--sources <-> READOUT_SOURCES, --per-host-rate <-> READOUT_PER_HOST_RATE, and so on.\n")
}

// newFlagSet is the flag set of command name, whose --help says what the
// command does, lists its flags and names the other commands.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("crawler "+name, flag.ExitOnError)
	fs.Usage = func() {
		w := fs.Output()
		var others []string
		for _, c := range commands {
			if c.name == name {
				fmt.Fprintf(w, "usage: crawler %s [flags]\n\n%s\n\nflags:\n", name, c.summary)
			} else {
				others = append(others, c.name)
			}
		}
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nother commands: %s (`crawler --help` describes them)\n", strings.Join(others, ", "))
	}
	return fs
}

type common struct {
	sources, logFormat, logLevel *string
	fetch                        fetchFlags
}

// fetchFlags override the sources file's fetch: section; zero values leave it.
type fetchFlags struct {
	userAgent, rate               *string
	timeout, connectTimeout       *time.Duration
	maxBody, redirects, perHostCC *int
}

func addCommon(fs *flag.FlagSet, logFormat string) common {
	return common{
		sources:   cli.String(fs, "sources", "configs/sources.yaml", "sources file (YAML)"),
		logFormat: cli.String(fs, "log-format", logFormat, "log format: json or console"),
		logLevel:  cli.String(fs, "log-level", "info", "log level"),
		fetch: fetchFlags{
			userAgent: cli.String(fs, "user-agent", "", "User-Agent sent to sources, with a contact URL (default: fetch.user_agent of the sources file, else "+
				fetch.DefaultUserAgent+")"),
			timeout:        cli.Duration(fs, "fetch-timeout", 0, "whole-request timeout, reading the body included (default: fetch.timeout, else 30s)"),
			connectTimeout: cli.Duration(fs, "connect-timeout", 0, "TCP connect and TLS handshake timeout (default: fetch.connect_timeout, else 10s)"),
			maxBody:        cli.Int(fs, "max-body-bytes", 0, "largest body read (default: fetch.max_body_bytes, else 10 MiB)"),
			redirects:      cli.Int(fs, "max-redirects", 0, "redirects followed, -1 for none (default: fetch.max_redirects, else 5)"),
			perHostCC:      cli.Int(fs, "per-host-concurrency", 0, "requests in flight per host (default: fetch.per_host_concurrency, else 2)"),
			rate:           cli.String(fs, "per-host-rate", "", "requests per second per host, -1 unlimited (default: fetch.per_host_rate, else 1)"),
		},
	}
}

// options returns the file's fetch settings with the flags that are set
// applied over them.
func (f fetchFlags) options(file sources.Fetch) (fetch.Options, error) {
	if *f.userAgent != "" {
		file.UserAgent = *f.userAgent
	}
	if *f.timeout != 0 {
		file.Timeout = *f.timeout
	}
	if *f.connectTimeout != 0 {
		file.ConnectTimeout = *f.connectTimeout
	}
	if *f.maxBody != 0 {
		file.MaxBodyBytes = int64(*f.maxBody)
	}
	if *f.redirects != 0 {
		file.MaxRedirects = *f.redirects
	}
	if *f.perHostCC != 0 {
		file.PerHostConcurrency = *f.perHostCC
	}
	if *f.rate != "" {
		r, err := strconv.ParseFloat(*f.rate, 64)
		if err != nil {
			return fetch.Options{}, fmt.Errorf("--per-host-rate: %w", err)
		}
		file.PerHostRate = r
	}
	if file.Timeout < 0 || file.ConnectTimeout < 0 || file.MaxBodyBytes < 0 || file.PerHostConcurrency < 0 {
		return fetch.Options{}, fmt.Errorf("fetch settings must not be negative: %+v", file)
	}
	return file.Options(), nil
}

// load reads the logger settings, the sources file and the fetch options.
func (c common) load() ([]sources.Source, fetch.Options, *zap.Logger, error) {
	log, err := cli.Logger(*c.logFormat, *c.logLevel)
	if err != nil {
		return nil, fetch.Options{}, nil, err
	}
	cfg, err := sources.LoadConfig(*c.sources)
	if err != nil {
		return nil, fetch.Options{}, nil, err
	}
	opts, err := c.fetch.options(cfg.Fetch)
	if err != nil {
		return nil, fetch.Options{}, nil, err
	}
	return cfg.Sources, opts, log, nil
}

func run(args []string) error {
	fs := newFlagSet("run")
	c := addCommon(fs, "json")
	kf := cli.AddKafkaFlags(fs)
	tf := cli.AddTopicFlags(fs)
	create := cli.AddCreateTopicsFlag(fs)
	httpAddr := cli.String(fs, "http-addr", "127.0.0.1:9101", "admin listener: /metrics, /healthz, /readyz, no authentication (in a container: 0.0.0.0:9101)")
	maxSeen := cli.Int(fs, "max-seen", crawler.DefaultMaxSeen, "seen keys kept per source, and entries of a document read (the rest are dead-lettered as too_many_entries)")
	maxItems := cli.Int(fs, "max-items-per-poll", crawler.DefaultMaxItemsPerPoll, "items sent per source per poll (the rest go in the next polls)")
	maxState := cli.Int(fs, "max-state-bytes", crawler.DefaultMaxStateBytes, "largest state record of a source; keep it below the state topic's max.message.bytes")
	_ = fs.Parse(args)
	srcs, opts, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	bc, err := kf.ConfigWithBrokers()
	if err != nil {
		return fmt.Errorf("%w; without Kafka, `crawler once --out FILE` polls once to JSONL", err)
	}
	bc.ClientID = "readout-crawler"
	topics, err := tf.Topics()
	if err != nil {
		return err
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	err = service.RunCrawler(ctx, service.CrawlerOptions{Bus: bc, Topics: topics, NoCreateTopics: !*create, Sources: srcs,
		Fetch: opts, HTTPAddr: *httpAddr, Logger: log, MaxSeen: *maxSeen, MaxItemsPerPoll: *maxItems, MaxStateBytes: *maxState})
	err = cli.Stopped(ctx, err)
	log.Info("crawler stopped", zap.Error(err))
	return err
}

// jsonl opens a JSONL file for writing; "-" is stdout. close is a no-op for stdout.
func jsonl(path string) (*crawler.JSONLSink, func() error, error) {
	if path == "-" {
		return crawler.NewJSONLSink(os.Stdout), func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return crawler.NewJSONLSink(f), f.Close, nil
}

// deadLetters returns the dead-letter sink: counted, and kept in path when
// set (else only logged, one line each).
func deadLetters(path string) (*crawler.DeadLetterCounter, func() error, error) {
	dlq := &crawler.DeadLetterCounter{}
	if path == "" {
		return dlq, func() error { return nil }, nil
	}
	w, closeFn, err := jsonl(path)
	if err != nil {
		return nil, nil, err
	}
	dlq.Next = w
	return dlq, closeFn, nil
}

// reportDeadLetters logs how many dead letters the run produced, by reason.
func reportDeadLetters(log *zap.Logger, dlq *crawler.DeadLetterCounter, path string) {
	counts := dlq.Counts()
	if len(counts) == 0 {
		return
	}
	if path == "" {
		path = "not kept (--dlq FILE keeps them)"
	}
	log.Warn("dead letters", zap.Any("by_reason", counts), zap.String("dlq", path))
}

// once runs one poll cycle and writes raw items as JSONL instead of to Kafka.
func once(args []string) error {
	fs := newFlagSet("once")
	c := addCommon(fs, "console")
	out := cli.String(fs, "out", "-", "JSONL file for the raw items (readout.raw.v1 values only); - for stdout")
	dlqPath := cli.String(fs, "dlq", "", "JSONL file for dead letters (readout.dlq.v1 values); default: logged and counted only")
	state := cli.String(fs, "state", "", "directory for seen-state; a second run then sends conditional requests and writes only what is new or changed")
	maxItems := cli.Int(fs, "max-items-per-poll", crawler.DefaultMaxSeen, "items written per source (one cycle: as many as a document's entries read)")
	_ = fs.Parse(args)
	srcs, opts, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	sink, closeOut, err := jsonl(*out)
	if err != nil {
		return err
	}
	defer closeOut() //nolint:errcheck
	dlq, closeDLQ, err := deadLetters(*dlqPath)
	if err != nil {
		return err
	}
	defer closeDLQ() //nolint:errcheck
	cfg := crawler.Config{Sources: srcs, Sink: sink, DLQ: dlq, Logger: log, Fetch: opts, MaxItemsPerPoll: *maxItems}
	if *state != "" {
		if cfg.State, err = crawler.NewFileStore(*state); err != nil {
			return err
		}
	}
	cr, err := crawler.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()
	err = cr.Once(ctx)
	reportDeadLetters(log, dlq, *dlqPath)
	return err
}

func backfill(args []string) error {
	fs := newFlagSet("backfill")
	c := addCommon(fs, "console")
	kf := cli.AddKafkaFlags(fs)
	tf := cli.AddTopicFlags(fs)
	create := cli.AddCreateTopicsFlag(fs)
	id := cli.String(fs, "source", "", "source id (required)")
	from := cli.String(fs, "from", "", "first date, YYYY-MM-DD in the source's zone (required)")
	to := cli.String(fs, "to", "", "last date, YYYY-MM-DD in the source's zone (default: up to now)")
	out := cli.String(fs, "out", "", "write raw items as JSONL here instead of to Kafka")
	dlqPath := cli.String(fs, "dlq", "", "with --out: JSONL file for dead letters; default: logged and counted only")
	state := cli.String(fs, "state", "", "with --out: directory for seen-state, so a rerun skips what was written (default: none)")
	_ = fs.Parse(args)
	if *id == "" || *from == "" {
		return fmt.Errorf("backfill needs --source ID and --from YYYY-MM-DD, e.g. --source kremlin-en-news --from 2024-01-01")
	}
	srcs, opts, log, err := c.load()
	if err != nil {
		return err
	}
	src, err := archiveSource(srcs, *id, *c.sources)
	if err != nil {
		return err
	}
	f, t, err := backfillRange(src, *from, *to, time.Now())
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	ctx, cancel := cli.SignalContext()
	defer cancel()
	cfg := crawler.Config{Sources: srcs, Logger: log, Fetch: opts}
	var dlq *crawler.DeadLetterCounter
	if *out != "" {
		sink, closeOut, err := jsonl(*out)
		if err != nil {
			return err
		}
		defer closeOut() //nolint:errcheck
		var closeDLQ func() error
		if dlq, closeDLQ, err = deadLetters(*dlqPath); err != nil {
			return err
		}
		defer closeDLQ() //nolint:errcheck
		cfg.Sink, cfg.DLQ = sink, dlq
		if *state != "" {
			if cfg.State, err = crawler.NewFileStore(*state); err != nil {
				return err
			}
		}
	} else {
		closeFn, err := kafkaBackfill(ctx, kf, tf, *create, &cfg)
		if err != nil {
			return err
		}
		defer closeFn()
	}
	cr, err := crawler.New(cfg)
	if err != nil {
		return err
	}
	err = cr.Backfill(ctx, *id, f, t, os.Stderr)
	if dlq != nil {
		reportDeadLetters(log, dlq, *dlqPath)
	}
	return err
}

// archiveSource is the source --source names, which must have an archive.
func archiveSource(srcs []sources.Source, id, file string) (sources.Source, error) {
	var withArchive []string
	for _, s := range srcs {
		if s.Archive != nil {
			withArchive = append(withArchive, s.ID)
		}
	}
	if withArchive == nil {
		withArchive = []string{"(none)"}
	}
	i := slices.IndexFunc(srcs, func(s sources.Source) bool { return s.ID == id })
	switch {
	case i < 0:
		return sources.Source{}, fmt.Errorf("--source %s: %s has no such source; those with an archive: %s", id, file, strings.Join(withArchive, ", "))
	case srcs[i].Archive == nil:
		return sources.Source{}, fmt.Errorf("--source %s: the source has no archive to backfill from: give it an archive: section in %s "+
			"(configs/sources.yaml shows the kinds), or take one that has: %s", id, file, strings.Join(withArchive, ", "))
	}
	return srcs[i], nil
}

// backfillRange reads --from and --to as dates of the source's own zone
// (its zone: setting; the publisher's calendar, which its archive is dated
// in): from its first instant to the last of to, or now when to is "".
func backfillRange(src sources.Source, from, to string, now time.Time) (time.Time, time.Time, error) {
	loc := src.Location()
	f, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("--from %q: want a date, YYYY-MM-DD", from)
	}
	t := now
	if to != "" {
		day, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--to %q: want a date, YYYY-MM-DD", to)
		}
		// The next midnight, not 24 h on: a day of a clock change is 23 or 25 h long.
		t = day.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	if t.Before(f) {
		return time.Time{}, time.Time{}, fmt.Errorf("--to %s is before --from %s", t.Format(time.DateOnly), from)
	}
	return f, t, nil
}

// kafkaBackfill wires a backfill to Kafka: items and dead letters to their
// topics, and the seen-state in the compacted state topic under the
// backfill's own record, merged with the live crawler's on load, so neither
// overwrites the other and nothing the live crawler sent is sent again.
func kafkaBackfill(ctx context.Context, kf *cli.KafkaFlags, tf *cli.TopicFlags, create bool, cfg *crawler.Config) (func(), error) {
	bc, err := kf.Config()
	if err != nil {
		return nil, err
	}
	if len(bc.Brokers) == 0 {
		return nil, fmt.Errorf("backfill: set --kafka-brokers or --out")
	}
	bc.ClientID = "readout-crawler-backfill"
	topics, err := tf.Topics()
	if err != nil {
		return nil, err
	}
	specs := topics.Specs(0)
	if !create {
		specs = bus.External(specs)
	}
	if err := bus.EnsureTopics(ctx, bc, specs); err != nil {
		return nil, err
	}
	prod, err := bus.NewProducer(bc, nil)
	if err != nil {
		return nil, err
	}
	sink := &kafkasink.Sink{Producer: prod, Topics: topics}
	cfg.Sink, cfg.DLQ = sink, sink
	cfg.State = &crawler.RecordStore{Records: &kafkasink.Records{Producer: prod, Bus: bc, Topic: topics.CrawlerState}, Writer: "backfill"}
	return func() { prod.Close() }, nil
}

// probe fetches every enabled source (or those --source names) once with
// the crawler's fetch policy and prints what each yields: a table or JSON on
// stdout, a progress line per source on stderr as it is done. It fails when
// a source yields nothing.
func probe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("probe")
	c := addCommon(fs, "console")
	quietLogs(fs)
	only := cli.String(fs, "source", "", "probe only the source `ID`, also a disabled one; repeat or comma-separate for several (default: every enabled source)")
	repeatable(fs, "source", only)
	format := cli.String(fs, "format", "table", "output: table or json")
	timeout := cli.Duration(fs, "timeout", 3*time.Minute, "bound on the whole probe; sources not done by then are reported as not finished (0: none)")
	_ = fs.Parse(args)
	if *format != "table" && *format != "json" {
		return fmt.Errorf("--format %q: want table or json", *format)
	}
	srcs, opts, log, err := c.load()
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	ctx, cancel := cli.SignalContext()
	defer cancel()
	if *timeout > 0 {
		var cancelT context.CancelFunc
		ctx, cancelT = context.WithTimeoutCause(ctx, *timeout, fmt.Errorf("--timeout %s reached", *timeout))
		defer cancelT()
	}
	ids := splitList(*only)
	total := len(ids)
	if total == 0 {
		for _, s := range srcs {
			if !s.Disabled {
				total++
			}
		}
	}
	done := 0
	results, err := crawler.Probe(ctx, crawler.ProbeConfig{Sources: srcs, Only: ids, Fetch: opts, Logger: log,
		Progress: func(r crawler.ProbeResult) {
			done++
			fmt.Fprintf(stderr, "probe [%d/%d] %s\n", done, total, r.Summary())
		}})
	if err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	if *format == "json" {
		err = crawler.WriteProbeJSON(stdout, results)
	} else {
		err = crawler.WriteProbeTable(stdout, results)
	}
	if err != nil {
		return err
	}
	if failed := crawler.ProbeFailed(results); len(failed) > 0 {
		return fmt.Errorf("probe: %d of %d sources yield nothing: %s", len(failed), len(results), strings.Join(failed, ", "))
	}
	return nil
}

// quietLogs makes warn the default log level of a command whose output says
// it all (the crawler logs every fallback it tries at info), unless the
// environment twin sets one.
func quietLogs(fs *flag.FlagSet) {
	if _, set := os.LookupEnv(cli.EnvName("log-level")); set {
		return
	}
	f := fs.Lookup("log-level")
	_ = f.Value.Set("warn")
	f.DefValue = "warn"
}

// listFlag makes a string flag repeatable: each use adds its values (comma
// lists too), the first replacing the default, which may come from the
// environment twin.
type listFlag struct {
	p   *string
	set bool
}

func (l *listFlag) String() string {
	if l.p == nil {
		return ""
	}
	return *l.p
}

func (l *listFlag) Set(v string) error {
	if l.set && *l.p != "" {
		v = *l.p + "," + v
	}
	*l.p, l.set = v, true
	return nil
}

// repeatable makes the flag name, defined with cli.String into p, a listFlag.
func repeatable(fs *flag.FlagSet, name string, p *string) {
	fs.Lookup(name).Value = &listFlag{p: p}
}

// splitList splits a comma-separated list, dropping blanks and repeats.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
