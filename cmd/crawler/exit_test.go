package main

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/readout/readout/pkg/embedded"
	"github.com/readout/readout/pkg/sources"
)

// TestMain runs this test binary as the crawler command when
// CRAWLER_TEST_MAIN is set, so that tests can run it as a process.
func TestMain(m *testing.M) {
	if os.Getenv("CRAWLER_TEST_MAIN") != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crawlerProcess is the crawler command running as a process.
type crawlerProcess struct {
	cmd    *exec.Cmd
	lines  chan string // its standard error, line by line
	stderr bytes.Buffer
}

// startCrawler starts the crawler command with args.
func startCrawler(t *testing.T, args ...string) *crawlerProcess {
	t.Helper()
	p := &crawlerProcess{cmd: exec.Command(os.Args[0], args...), lines: make(chan string, 1000)}
	p.cmd.Env = append(os.Environ(), "CRAWLER_TEST_MAIN=1")
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	return p
}

// waitFor reads standard error until a line contains s.
func (p *crawlerProcess) waitFor(t *testing.T, s string) {
	t.Helper()
	// A bound on a hung process, not a timed assertion.
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("the crawler ended without logging %q:\n%s", s, p.stderr.String())
			}
			p.stderr.WriteString(l + "\n")
			if strings.Contains(l, s) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q logged:\n%s", s, p.stderr.String())
		}
	}
}

// stop sends SIGTERM and returns the exit code.
func (p *crawlerProcess) stop(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range p.lines {
		p.stderr.WriteString(l + "\n")
	}
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// SIGTERM stops the crawler with exit status 0 whether it is still waiting
// for Kafka or already running.
func TestSIGTERMExitsZero(t *testing.T) {
	srcFile := sourcesFile(t, "fetch: {per_host_rate: -1}\n", &userAgents{})
	t.Run("waiting for Kafka", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := ln.Addr().String()
		ln.Close() // nothing listens there
		p := startCrawler(t, "run", "--sources", srcFile, "--kafka-brokers", closed, "--http-addr", "127.0.0.1:0")
		p.waitFor(t, "kafka not ready")
		if code := p.stop(t); code != 0 {
			t.Errorf("exit %d, want 0:\n%s", code, p.stderr.String())
		}
	})
	t.Run("running", func(t *testing.T) {
		b, err := embedded.Start(embedded.Options{Partitions: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		p := startCrawler(t, "run", "--sources", srcFile, "--kafka-brokers", b.Addrs()[0], "--http-addr", "127.0.0.1:0")
		p.waitFor(t, "crawler running")
		if code := p.stop(t); code != 0 {
			t.Errorf("exit %d, want 0:\n%s", code, p.stderr.String())
		}
	})
}

// The help of each command names the others; a run without Kafka says how
// to name it; a backfill names what is wrong with its source.
func TestCommandErrorsSayHowToFix(t *testing.T) {
	var b bytes.Buffer
	fs := newFlagSet("run")
	fs.SetOutput(&b)
	fs.Usage()
	if !strings.Contains(b.String(), "usage: crawler run [flags]") || !strings.Contains(b.String(), "other commands: once, backfill, probe") {
		t.Errorf("crawler run --help:\n%s", b.String())
	}
	srcFile := sourcesFile(t, "", &userAgents{})
	t.Setenv("KAFKA_BROKERS", "")
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"run without Kafka", run([]string{"--sources", srcFile}), "set --kafka-brokers or KAFKA_BROKERS"},
		{"backfill without archive", backfill([]string{"--sources", srcFile, "--source", "maintenance", "--from", "2024-01-01", "--out", os.DevNull}),
			"--source maintenance: the source has no archive to backfill from: give it an archive: section in " + srcFile},
		{"backfill of an unknown source", backfill([]string{"--sources", srcFile, "--source", "nope", "--from", "2024-01-01", "--out", os.DevNull}),
			"--source nope: " + srcFile + " has no such source"},
		{"backfill from a bad date", badDate(), `--from "1.1.2024": want a date, YYYY-MM-DD`},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) || strings.HasPrefix(tt.err.Error(), "crawler: ") {
			t.Errorf("%s: %v\nwant %q, and no crawler: prefix (main adds it)", tt.name, tt.err, tt.want)
		}
	}
}

func badDate() error {
	_, _, err := backfillRange(sources.Source{}, "1.1.2024", "", time.Now())
	return err
}
