// Command readout runs the whole pipeline in one process for a quick start:
// crawler and processor against Kafka, printing leader-call events as they
// arrive. With no KAFKA_BROKERS it starts an embedded Kafka-protocol broker on
// 127.0.0.1:9092 that any Kafka client (kcat, kafka-go) can attach to. Every
// listener is on loopback by default: the admin endpoints on
// --crawler-http-addr and --processor-http-addr, the newsroom feeds on
// --public-addr (127.0.0.1:8102).
//
//	readout run  [--sources configs/sources.yaml]        live sources
//	readout demo [--fixtures testdata/fixtures]          the real captured feeds, served locally
//	readout topics create|check [--topic-prefix P]       create the topics, or compare them with the settings
//	readout health URL                                   exit 0 when URL answers 2xx (container healthchecks)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/embedded"
	"github.com/readout/readout/pkg/model"
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
	case "run", "demo":
		err = run(cmd, args)
	case "topics":
		err = topicsCommand(args, os.Stdout)
	case "health":
		err = healthCommand(args, os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q (run, demo, topics, health)", cmd)
	}
	if err != nil {
		cli.Fatal("readout", err)
	}
}

func run(cmd string, args []string) error {
	demo := cmd == "demo"
	fs := flag.NewFlagSet("readout "+cmd, flag.ExitOnError)
	defSources := "configs/sources.yaml"
	if demo {
		defSources = "configs/sources.demo.yaml"
	}
	srcFile := cli.String(fs, "sources", defSources, "sources file (YAML)")
	kf := cli.AddKafkaFlags(fs)
	tf := cli.AddTopicFlags(fs)
	create := cli.AddCreateTopicsFlag(fs)
	port := cli.Int(fs, "embedded-port", 9092, "port of the embedded broker on 127.0.0.1 when no Kafka brokers are set")
	fixtures := cli.String(fs, "fixtures", "testdata/fixtures", "demo: directory served on --fixtures-addr")
	fixturesAddr := cli.String(fs, "fixtures-addr", "127.0.0.1:18089", "demo: address of the local feed server")
	idleExit := cli.Duration(fs, "idle-exit", 0, "exit after this long without a new event once one arrived (demo default 8s; 0 = run until interrupted)")
	crawlerHTTP := cli.String(fs, "crawler-http-addr", "127.0.0.1:9101", "crawler /metrics, /healthz, /readyz")
	procHTTP := cli.String(fs, "processor-http-addr", "127.0.0.1:9102", "processor /metrics, /healthz, /readyz")
	pf := cli.AddPublicFlags(fs, "127.0.0.1:8102")
	logLevel := cli.String(fs, "log-level", "info", "log level")
	_ = fs.Parse(args)
	if demo && *idleExit == 0 {
		*idleExit = 8 * time.Second
	}
	log, err := cli.Logger("console", *logLevel)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	cfg, err := sources.LoadConfig(*srcFile)
	if err != nil {
		return err
	}
	srcs, fetchOpts := cfg.Sources, cfg.Fetch.Options()
	token, err := pf.Token()
	if err != nil {
		return err
	}
	bc, err := kf.Config()
	if err != nil {
		return err
	}
	topics, err := tf.Topics()
	if err != nil {
		return err
	}
	ctx, cancel := cli.SignalContext()
	defer cancel()

	if len(bc.Brokers) == 0 {
		b, err := embedded.Start(embedded.Options{Port: *port, Partitions: 3})
		if err != nil {
			return fmt.Errorf("%w (is another Kafka on port %d? set KAFKA_BROKERS to use it)", err, *port)
		}
		defer b.Close()
		bc.Brokers = b.Addrs()
		*create = true // the embedded broker is empty at each start
		log.Info("embedded Kafka-protocol broker listening (attach with kcat -b "+b.Addrs()[0]+")", zap.Strings("addrs", b.Addrs()))
	}
	if demo {
		if err := serveFixtures(ctx, log, *fixtures, *fixturesAddr); err != nil {
			return err
		}
	}

	var events atomic.Int64
	var last atomic.Int64
	printer := func(ev *model.LeaderCall) {
		events.Add(1)
		last.Store(time.Now().UnixNano())
		fmt.Println(summary(ev))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		errs <- service.RunProcessor(ctx, service.ProcessorOptions{Bus: bc, Topics: topics, NoCreateTopics: !*create, Group: "readout-processor",
			HTTPAddr: *procHTTP, Public: service.Public{HTTP: service.HTTP{Addr: *pf.Addr}, Token: token, MaxConns: *pf.MaxConns, BaseURL: *pf.BaseURL},
			Logger: log.Named("processor"), OnEvent: printer})
	}()
	go func() {
		defer wg.Done()
		errs <- service.RunCrawler(ctx, service.CrawlerOptions{Bus: bc, Topics: topics, NoCreateTopics: !*create, Sources: srcs, Fetch: fetchOpts,
			HTTPAddr: *crawlerHTTP, Logger: log.Named("crawler")})
	}()
	if *idleExit > 0 {
		go func() {
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for range t.C {
				if l := last.Load(); l > 0 && time.Since(time.Unix(0, l)) > *idleExit {
					log.Info("no new events; exiting", zap.Duration("idle", *idleExit), zap.Int64("event_versions", events.Load()))
					cancel()
					return
				}
			}
		}()
	}
	var first error
	go func() { wg.Wait(); close(errs) }()
	for err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) && first == nil {
			first = err
			cancel()
		}
	}
	fmt.Fprintf(os.Stderr, "readout: %d leader-call event versions printed\n", events.Load())
	return first
}

// summary renders an event as one line of text followed by its JSON.
func summary(ev *model.LeaderCall) string {
	var people []string
	for _, p := range ev.Participants {
		people = append(people, fmt.Sprintf("%s (%s, %s)", p.NameEN, p.WikidataID, p.Country))
	}
	var topics []string
	for _, t := range ev.Topics {
		topics = append(topics, t.ID)
	}
	var srcs []string
	for _, s := range ev.Sources {
		srcs = append(srcs, s.URL)
	}
	return fmt.Sprintf("CALL %s v%d %s on %s: %s | topics: %s | sources: %s",
		ev.ID, ev.Version, ev.Status, ev.OccurredOn, strings.Join(people, " ↔ "), strings.Join(topics, ", "), strings.Join(srcs, " "))
}

// serveFixtures serves dir on addr: the demo's stand-in for the internet.
func serveFixtures(ctx context.Context, log *zap.Logger, dir, addr string) error {
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("demo fixtures: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("demo feed server: %w", err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 5 * time.Second}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	go func() { _ = srv.Serve(ln) }()
	log.Info("demo feed server serving captured feeds", zap.String("dir", dir), zap.String("addr", ln.Addr().String()))
	return nil
}
