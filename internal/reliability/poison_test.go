package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// hugeBytes is the size of the huge poison messages: just under the
// broker's default message.max.bytes (1048588) with the record overhead.
const hugeBytes = 1_000_000

// Poison messages between good items of one partition each end on the
// dead-letter topic with their reason, and the items after them are processed.
func TestPoisonMessages(t *testing.T) {
	e := newEnv(t, "poison")
	const lane = "poison-lane" // one key: every message lands in the same partition
	src := feedSource(t, "poison-feed", "http://en.kremlin.ru/events/all/feed")
	items, err := feeds.Parse(src, loadStream(t).Feed(4, 0, 9), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	good := func(i int) []byte {
		b, err := json.Marshal(items[len(items)-1-i]) // oldest first
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	invalidUTF8 := bytes.Replace(good(1), []byte(`"title":"`), []byte("\"title\":\"\xff\xfe"), 1)
	huge := func(n int) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, `{"source":"poison-feed","url":"http://en.kremlin.ru/events/president/news/9%d","title":"huge %d","body":"`, n, n)
		para := "Vladimir Putin had a telephone conversation with the President of Finland. "
		for b.Len() < hugeBytes-len(para) {
			b.WriteString(para)
		}
		for b.Len() < hugeBytes {
			b.WriteByte(' ')
		}
		return b.Bytes() // no closing quote and brace: malformed JSON
	}
	type msg struct {
		name, reason string // reason "" for a good item
		value        []byte
		schema       string
	}
	seq := []msg{
		{name: "good 0", value: good(0)},
		{name: "invalid JSON", reason: processor.ReasonMalformedJSON, value: []byte(`{"source":"poison-feed","title":"cut here`)},
		{name: "good 1", value: good(2)},
		{name: "invalid UTF-8", reason: processor.ReasonInvalidUTF8, value: invalidUTF8},
		{name: "good 2", value: good(3)},
		{name: "wrong schema header", reason: processor.ReasonUnknownSchema, value: good(1), schema: model.SchemaStatement},
		{name: "good 3", value: good(4)},
		{name: "JSON that is not an item", reason: processor.ReasonInvalidItem, value: []byte(`{"hello":"world"}`)},
		{name: "good 4", value: good(5)},
		{name: "empty value", reason: processor.ReasonMalformedJSON, value: nil},
		{name: "good 5", value: good(6)},
		{name: "huge 1", reason: processor.ReasonMalformedJSON, value: huge(1)},
		{name: "huge 2", reason: processor.ReasonMalformedJSON, value: huge(2)},
		{name: "huge 3", reason: processor.ReasonMalformedJSON, value: huge(3)},
		{name: "good 6", value: good(7)},
		{name: "good 7", value: good(8)},
	}

	group := e.prefix + "processor"
	proc := start(t, "processor", func(ctx context.Context) error {
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: e.cfg, Topics: e.topics, Group: group, Logger: logger(t).Named("processor")})
	})
	prod, err := bus.NewProducer(e.cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	injected := 0
	for _, m := range seq {
		schema := model.SchemaRaw
		if m.schema != "" {
			schema = m.schema
		}
		// One write per message keeps the order and keeps a huge message alone in its batch.
		if err := prod.Write(ctx, bus.Message{Topic: e.topics.Raw, Key: []byte(lane), Value: m.value,
			Headers: map[string]string{model.HeaderSchema: schema, model.HeaderSource: "poison-feed"}}); err != nil {
			t.Fatalf("write %s: %v", m.name, err)
		}
		if m.reason != "" {
			injected++
		}
	}

	var lag int64
	waitFor(t, 90*time.Second, "the processor to consume the partition past the poison", func() (bool, string) {
		requireRunning(t, proc)
		var err error
		lag, err = groupLag(e, group)
		return err == nil && lag == 0, fmt.Sprintf("lag %d, err %v", lag, err)
	})

	raw := readRecords(t, e, e.topics.Raw)
	if len(raw) != len(seq) {
		t.Fatalf("raw topic holds %d records, want %d", len(raw), len(seq))
	}
	part := raw[0].Partition
	for _, r := range raw {
		if r.Partition != part {
			t.Fatalf("raw records in partitions %d and %d: the scenario needs one partition", part, r.Partition)
		}
	}
	dlq := mustRead(t, e, e.topics.DLQ)
	byOffset := map[int64][]model.DeadLetter{}
	for _, dl := range dlq.dead {
		byOffset[dl.Offset] = append(byOffset[dl.Offset], dl)
	}
	stmts := mustRead(t, e, e.topics.Statements)
	var reasons []string
	goodOK := 0
	for i, m := range seq {
		r := raw[i]
		dls := byOffset[r.Offset]
		if m.reason == "" {
			var it model.RawItem
			if err := json.Unmarshal(m.value, &it); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, vs := range stmts.statements {
				found = found || vs[0].ItemKey == it.Key()
			}
			if !found {
				t.Errorf("%s (offset %d, after the poison): no statement", m.name, r.Offset)
			} else {
				goodOK++
			}
			if len(dls) != 0 {
				t.Errorf("%s: dead letter %+v", m.name, dls[0].Reason)
			}
			continue
		}
		if len(dls) != 1 {
			t.Errorf("%s at offset %d: %d dead letters, want 1", m.name, r.Offset, len(dls))
			continue
		}
		dl := dls[0]
		reasons = append(reasons, m.name+"="+dl.Reason)
		if dl.Reason != m.reason {
			t.Errorf("%s: reason %q (%s), want %q", m.name, dl.Reason, dl.Error, m.reason)
		}
		if dl.Topic != e.topics.Raw || dl.Partition != part || dl.Key != lane || dl.Error == "" {
			t.Errorf("%s: dead letter does not locate the message: topic %q partition %d key %q error %q", m.name, dl.Topic, dl.Partition, dl.Key, dl.Error)
		}
		if dl.PayloadBytes != len(m.value) || !bytes.Equal(dl.Payload, model.TruncatePayload(m.value)) {
			t.Errorf("%s: payload of %d bytes (%d kept), want the original %d bytes", m.name, dl.PayloadBytes, len(dl.Payload), len(m.value))
		}
	}
	if len(dlq.dead) != injected {
		t.Errorf("%d dead letters, want one per poison message (%d)", len(dlq.dead), injected)
	}
	requireRunning(t, proc)
	sort.Strings(reasons)
	report(t, "injected %d poison messages (%d of %d bytes) between %d good items in partition %d; dead letters %d [%s]; good items processed %d/%d; lag %d",
		injected, 3, hugeBytes, len(seq)-injected, part, len(dlq.dead), strings.Join(reasons, " "), goodOK, len(seq)-injected, lag)
}

// readRecords reads every record of topic, ordered by partition and offset.
func readRecords(t *testing.T, e *env, topic string) []bus.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []bus.Record
	if _, err := bus.ReadAll(ctx, e.cfg, topic, func(r bus.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("read %s: %v", topic, err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Partition != out[j].Partition {
			return out[i].Partition < out[j].Partition
		}
		return out[i].Offset < out[j].Offset
	})
	return out
}
