package bus_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/readout/readout/pkg/bus"
)

// When the broker goes away, Follow reports the errors and keeps trying;
// when it is back (here: the same kfake cluster restarted on its port from
// its data directory) it resumes every partition from the next offset:
// what it had read is not read again, and what arrives later is read.
func TestFollowResumesWhenTheBrokerIsBack(t *testing.T) {
	const topic = "follow"
	dir := t.TempDir()
	start := func(port int) *kfake.Cluster {
		t.Helper()
		var last error
		for range 50 { // the port may take a moment to be free again
			c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.DataDir(dir), kfake.SeedTopics(3, topic))
			if err == nil {
				return c
			}
			last = err
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("start kfake on port %d: %v", port, last)
		return nil
	}
	cluster := start(0)
	_, p, err := net.SplitHostPort(cluster.ListenAddrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(p)
	cfg := bus.Config{Brokers: cluster.ListenAddrs()}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	write := func(from, to int) {
		t.Helper()
		prod, err := bus.NewProducer(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer prod.Close()
		var msgs []bus.Message
		for i := from; i < to; i++ {
			msgs = append(msgs, bus.Message{Topic: topic, Key: []byte(fmt.Sprint("k", i)), Value: []byte("v"), Partition: bus.ToPartition(i % 3)})
		}
		if err := prod.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	write(0, 30)

	seen := make(chan string, 100)
	errs := make(chan error, 100)
	fctx, fcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Follow(fctx, cfg, topic, func(r bus.Record) { seen <- string(r.Key) }, func(err error) {
			select {
			case errs <- err:
			default:
			}
		})
	}()
	got := map[string]int{}
	wait := func(n int) {
		t.Helper()
		for len(got) < n {
			select {
			case k := <-seen:
				got[k]++
			case <-ctx.Done():
				t.Fatalf("followed %d of %d records", len(got), n)
			}
		}
	}
	wait(30)

	cluster.Close()
	select { // Follow noticed
	case <-errs:
	case <-ctx.Done():
		t.Fatal("no error reported while the broker was away")
	}
	cluster = start(port)
	defer cluster.Close()
	write(30, 45)
	wait(45)
	fcancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Follow returned %v, want context.Canceled", err)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s read %d times: Follow did not resume from the next offset", k, n)
		}
	}
}
