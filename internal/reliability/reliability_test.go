package reliability_test

// The reliability suite runs Readout's services against a real Apache Kafka
// of its own (deploy/kafka/kafka.sh on READOUT_RELIABILITY_KAFKA_PORT,
// default 19192), because one scenario kills the broker with kill -9 and the
// broker of `make test` is shared by packages testing in parallel. Each
// scenario logs what it injected and what it counted; TestMain prints the
// summary lines after the run and writes them to a file (envSummary),
// because go test shows a passing package's output only with -v.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// Environment of the suite.
const (
	envScript = "READOUT_KAFKA_SCRIPT"           // deploy/kafka/kafka.sh (set by make test)
	envPort   = "READOUT_RELIABILITY_KAFKA_PORT" // the suite's own broker (default 19192)
	envLog    = "READOUT_RELIABILITY_LOG"        // service log level in test output (default warn)
	// envReuse=1 reuses a running broker of the suite's port and leaves it
	// running (for iterating on one scenario); by default the suite starts
	// a fresh broker and stops it.
	envReuse = "READOUT_RELIABILITY_REUSE_KAFKA"
	// envSummary names the file the summary is written to (default
	// $TMPDIR/readout-reliability-summary.txt): go test shows a passing
	// package's output only with -v, so scripts print the file.
	envSummary = "READOUT_RELIABILITY_SUMMARY"
	// envChild makes the test binary run a processor instead of the tests:
	// a separate process the suite can kill -9.
	envChild       = "READOUT_RELIABILITY_CHILD_PROCESSOR"
	envChildBroker = "READOUT_RELIABILITY_CHILD_BROKER"
	envChildPrefix = "READOUT_RELIABILITY_CHILD_PREFIX"
	envChildGroup  = "READOUT_RELIABILITY_CHILD_GROUP"
	// envChildKillAfter makes the child kill itself with SIGKILL from the
	// event callback once it has seen that many events: after the batch's
	// outputs were acknowledged and before its offsets are committed, the
	// worst moment for at-least-once delivery.
	envChildKillAfter = "READOUT_RELIABILITY_CHILD_KILL_AFTER_EVENTS"
)

var suite struct {
	script, port, addr string

	mu      sync.Mutex
	summary []string
}

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(childProcessor())
	}
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	suite.script = os.Getenv(envScript)
	if suite.script == "" {
		fmt.Println("reliability: " + envScript + " is unset: the real-Kafka reliability scenarios are skipped (make test runs them)")
		return m.Run()
	}
	suite.port = cmp.Or(os.Getenv(envPort), "19192")
	start := time.Now()
	reuse := false
	out, err := "", error(nil)
	if os.Getenv(envReuse) == "1" {
		out, err = kafkaScript("status")
		reuse = err == nil && strings.TrimSpace(out) != ""
	}
	if !reuse {
		out, err = kafkaScript("start")
		if err != nil {
			fmt.Fprintf(os.Stderr, "reliability: start Kafka on port %s: %v\n", suite.port, err)
			return 1
		}
	}
	lines := strings.Fields(out)
	suite.addr = lines[len(lines)-1]
	fmt.Printf("reliability: own Apache Kafka at %s (ready in %s)\n", suite.addr, time.Since(start).Round(100*time.Millisecond))
	code := m.Run()
	if !reuse {
		if _, err := kafkaScript("stop"); err != nil {
			fmt.Fprintf(os.Stderr, "reliability: stop Kafka: %v\n", err)
		}
	}
	suite.mu.Lock()
	text := strings.Join(suite.summary, "\n") + "\n"
	suite.mu.Unlock()
	fmt.Print(text)
	path := cmp.Or(os.Getenv(envSummary), filepath.Join(os.TempDir(), "readout-reliability-summary.txt"))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "reliability: write summary: %v\n", err)
	}
	return code
}

// kafkaScript runs deploy/kafka/kafka.sh cmd for the suite's broker and returns its stdout.
func kafkaScript(cmd string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, suite.script, cmd)
	c.Env = append(os.Environ(), "READOUT_KAFKA_PORT="+suite.port)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kafka.sh %s: %w\n%s", cmd, err, stderr.String())
	}
	return stdout.String(), nil
}

// report records a line of the scenario's counts for the summary.
func report(t *testing.T, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf("reliability: %s: ", t.Name()) + fmt.Sprintf(format, args...)
	t.Log(line)
	suite.mu.Lock()
	suite.summary = append(suite.summary, line)
	suite.mu.Unlock()
}

// env is one scenario's slice of the suite's broker.
type env struct {
	cfg    bus.Config
	topics bus.Topics
	prefix string
}

func newEnv(t *testing.T, name string) *env {
	t.Helper()
	if suite.addr == "" {
		t.Skip(envScript + " unset: no broker of the suite's own (make test sets it)")
	}
	prefix := fmt.Sprintf("rel-%s-%d.", name, time.Now().UnixNano())
	e := &env{cfg: bus.Config{Brokers: []string{suite.addr}, ClientID: "readout-reliability"}, topics: bus.PrefixedTopics(prefix), prefix: prefix}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := bus.EnsureTopics(ctx, e.cfg, e.topics.Specs(3)); err != nil {
		t.Fatalf("create topics: %v", err)
	}
	return e
}

func logger(t *testing.T) *zap.Logger {
	lvl := zapcore.WarnLevel
	if s := os.Getenv(envLog); s != "" {
		if l, err := zapcore.ParseLevel(s); err == nil {
			lvl = l
		}
	}
	return zaptest.NewLogger(t, zaptest.Level(lvl))
}

// running is a service running in a goroutine of the test.
type running struct {
	name   string
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

func start(t *testing.T, name string, fn func(ctx context.Context) error) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{name: name, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = fn(ctx)
	}()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// exited reports whether the service returned on its own.
func (r *running) exited() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// stop cancels the service and waits for it; an error other than
// cancellation fails the test.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(90 * time.Second):
		t.Errorf("%s did not stop within 90 s of its context's cancellation", r.name)
		return
	}
	if r.err != nil && !errors.Is(r.err, context.Canceled) {
		t.Errorf("%s returned: %v", r.name, r.err)
	}
}

// requireRunning fails the test if a service returned on its own (crashed).
func requireRunning(t *testing.T, rs ...*running) {
	t.Helper()
	for _, r := range rs {
		if r.exited() {
			t.Fatalf("%s stopped on its own: %v", r.name, r.err)
		}
	}
}

// waitFor polls cond until it reports done or timeout passes; then it fails
// the test with cond's last status. Services keep running meanwhile.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	status := ""
	for {
		var ok bool
		ok, status = cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not after %s: %s", what, timeout, status)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// topicState is what a topic holds, decoded.
type topicState struct {
	records    int
	statements map[string][]model.Statement // by id, in topic order
	events     map[string][]model.LeaderCall
	dead       []model.DeadLetter
	partitions map[int]int
}

// read reads every record of topic now. Errors are returned, not fatal:
// callers wait through broker restarts.
func read(e *env, topic string) (*topicState, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := &topicState{statements: map[string][]model.Statement{}, events: map[string][]model.LeaderCall{}, partitions: map[int]int{}}
	_, err := bus.ReadAll(ctx, e.cfg, topic, func(r bus.Record) error {
		s.records++
		s.partitions[r.Partition]++
		switch topic {
		case e.topics.Statements:
			var st model.Statement
			if err := json.Unmarshal(r.Value, &st); err != nil {
				return fmt.Errorf("statement at %d/%d: %w", r.Partition, r.Offset, err)
			}
			s.statements[st.ID] = append(s.statements[st.ID], st)
		case e.topics.LeaderCalls:
			var ev model.LeaderCall
			if err := json.Unmarshal(r.Value, &ev); err != nil {
				return fmt.Errorf("event at %d/%d: %w", r.Partition, r.Offset, err)
			}
			s.events[ev.ID] = append(s.events[ev.ID], ev)
		case e.topics.DLQ:
			var dl model.DeadLetter
			if err := json.Unmarshal(r.Value, &dl); err != nil {
				return fmt.Errorf("dead letter at %d/%d: %w", r.Partition, r.Offset, err)
			}
			s.dead = append(s.dead, dl)
		}
		return nil
	})
	return s, err
}

func mustRead(t *testing.T, e *env, topic string) *topicState {
	t.Helper()
	s, err := read(e, topic)
	if err != nil {
		t.Fatalf("read %s: %v", topic, err)
	}
	return s
}

// latest returns the highest version of each event.
func (s *topicState) latest() map[string]model.LeaderCall {
	out := map[string]model.LeaderCall{}
	for id, vs := range s.events {
		for _, ev := range vs {
			if old, ok := out[id]; !ok || ev.Version > old.Version {
				out[id] = ev
			}
		}
	}
	return out
}

// itemKeys returns the raw item keys the statements came from.
func (s *topicState) itemKeys() map[string]bool {
	out := map[string]bool{}
	for _, vs := range s.statements {
		for _, st := range vs {
			out[st.ItemKey] = true
		}
	}
	return out
}

// groupLag sums the group's lag on the raw topic.
// groupLag is the processor group's work outstanding: its lag summed over
// the topics of its three steps (raw items, prepared statements, call
// reports), so work handed from one step to the next still counts.
func groupLag(e *env, group string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var n int64
	for _, topic := range []string{e.topics.Raw, e.topics.Prepared, e.topics.CallReports} {
		lag, err := bus.GroupLag(ctx, e.cfg, group, topic)
		if err != nil {
			return n, err
		}
		for _, l := range lag {
			n += l
		}
	}
	return n, nil
}

// brokerServing reports whether the suite's broker accepts connections.
func brokerServing() bool {
	c, err := net.DialTimeout("tcp", suite.addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// counter returns the value of a counter of reg with the given label, summed over other labels.
func counter(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					sum += m.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}

// sameEvent compares the order-independent content of two versions of a
// call: the processor merges reports in whatever order partitions deliver
// them, so sources, topics and participants are compared as sets.
func sameEvent(a, b model.LeaderCall) string {
	var diffs []string
	set := func(what string, x, y []string) {
		sort.Strings(x)
		sort.Strings(y)
		if !slices.Equal(x, y) {
			diffs = append(diffs, fmt.Sprintf("%s %v != %v", what, x, y))
		}
	}
	if a.Status != b.Status || a.OccurredOn != b.OccurredOn || a.Initiator != b.Initiator {
		diffs = append(diffs, fmt.Sprintf("status/date/initiator %s %s %s != %s %s %s", a.Status, a.OccurredOn, a.Initiator, b.Status, b.OccurredOn, b.Initiator))
	}
	var sa, sb, ta, tb, pa, pb []string
	for _, s := range a.Sources {
		sa = append(sa, s.StatementID)
	}
	for _, s := range b.Sources {
		sb = append(sb, s.StatementID)
	}
	for _, x := range a.Topics {
		ta = append(ta, x.ID)
	}
	for _, x := range b.Topics {
		tb = append(tb, x.ID)
	}
	for _, p := range a.Participants {
		pa = append(pa, p.WikidataID)
	}
	for _, p := range b.Participants {
		pb = append(pb, p.WikidataID)
	}
	set("sources", sa, sb)
	set("topics", ta, tb)
	set("participants", pa, pb)
	return strings.Join(diffs, "; ")
}

// childProcessor runs a processor as production does, in this process, until
// it is killed: the test binary re-executed by the processor-kill scenario.
func childProcessor() int {
	log, err := zap.NewProduction()
	if err != nil {
		return 2
	}
	log = log.WithOptions(zap.IncreaseLevel(zapcore.WarnLevel))
	killAfter, _ := strconv.Atoi(os.Getenv(envChildKillAfter))
	events := 0
	o := service.ProcessorOptions{
		Bus:    bus.Config{Brokers: []string{os.Getenv(envChildBroker)}, ClientID: "readout-reliability-child"},
		Topics: bus.PrefixedTopics(os.Getenv(envChildPrefix)),
		Group:  os.Getenv(envChildGroup),
		Logger: log,
		OnEvent: func(*model.LeaderCall) {
			if events++; killAfter > 0 && events >= killAfter {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
		},
	}
	if err := service.RunProcessor(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "child processor:", err)
		return 1
	}
	return 0
}
