package service

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/readout/readout/pkg/bus"
)

// While Kafka stays unreachable with the same error, the wait logs the
// first failures and then ever fewer reminders, each saying when it tries
// next; a stop while waiting is a cancellation, not a failure.
func TestWaitForKafkaLogsLessAndLess(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there: every attempt is refused
	core, logs := observer.New(zap.InfoLevel)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	attempts := 0
	err = waitForTopics(ctx, zap.New(core), bus.Config{Brokers: []string{addr}}, []bus.TopicSpec{{Name: "t", Partitions: 1}}, true,
		func(error) {
			if attempts++; attempts == 4 {
				cancel()
			}
		})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("stopped while waiting: err = %v, want one that wraps context.Canceled", err)
	}
	lines := logs.FilterMessage("kafka not ready; retrying").All()
	var logged []any
	for _, l := range lines {
		logged = append(logged, l.ContextMap()["attempt"])
		if _, ok := l.ContextMap()["next_attempt_in"]; !ok {
			t.Errorf("attempt %d: the log does not say when the next attempt is: %v", l.ContextMap()["attempt"], l.ContextMap())
		}
	}
	if attempts != 4 || !slices.Equal(logged, []any{int64(1), int64(2), int64(4)}) {
		t.Errorf("%d attempts logged as attempts %v, want 4 logged as [1 2 4]", attempts, logged)
	}
}

func TestRemindAt(t *testing.T) {
	var got []int
	for n := 1; n <= 300; n++ {
		if remindAt(n) {
			got = append(got, n)
		}
	}
	want := []int{1, 2, 4, 8, 16, 32, 60, 120, 180, 240, 300}
	if !slices.Equal(got, want) {
		t.Errorf("reminders at %v, want %v", got, want)
	}
}
