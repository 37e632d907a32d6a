package kafkarun

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// earlierEvent is the Kremlin's report of the Biden–Putin call of
// 2021-12-30 as earlier versions wrote it to readout.leader-calls.v1: a
// time at day precision that no text stated (noon in Moscow), a source url
// that is the canonical one, no canonical_url.
const earlierEvent = `{"id":"lc-2021-12-30-cfb94f5cffc9","version":1,"status":"held",
"participants":[{"wikidata_id":"Q6279","name_en":"Joe Biden","name_ru":"Джозеф Байден","role":"President of the United States","country":"US"},
 {"wikidata_id":"Q7747","name_en":"Vladimir Putin","name_ru":"Владимир Путин","role":"President of Russia","country":"RU"}],
"occurred_on":"2021-12-30","occurred_at":"2021-12-30T09:00:00Z","precision":"day","first_reported_at":"2021-12-30T23:20:00Z",
"topics":[],"sources":[{"statement_id":"en.kremlin.ru/67487","url":"https://en.kremlin.ru/events/president/news/67487",
 "publisher":"en.kremlin.ru","lang":"en","published_at":"2021-12-30T23:20:00Z","title":"Telephone conversations with US President Joseph Biden",
 "translation_key":"kremlin.ru/d/67487","occurred_on":"2021-12-30","zone":"Europe/Moscow"}],
"confidence":0.95,"evidence":[],"all_resolved":true,"merge_keys":["Q6279+Q7747"],"updated_at":"2026-01-01T00:00:00Z"}`

// An event an earlier version left on the leader-calls topic is restored
// without error, the White House's report of its call joins it, and the
// new version tells consumers no time nobody gave and carries both URLs of
// every source.
func TestRestoreEarlierVersionsEvent(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	prod, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g)})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Processor: p, Bus: env.Config, Topics: env.Topics, Producer: prod, Logger: zaptest.NewLogger(t)}

	wh := `{"source":"wh","publisher":"whitehouse.gov","url":"https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/12/30/statement-by-press-secretary-jen-psaki-on-president-bidens-phone-call-with-president-vladimir-putin-of-russia/",` +
		`"lang":"en","title":"Statement by Press Secretary Jen Psaki on President Biden's Phone Call with President Vladimir Putin of Russia",` +
		`"published_at":"2021-12-30T17:43:24-05:00","fetched_at":"2022-01-01T00:00:00Z","content_type":"text/plain",` +
		`"body":"Today, President Biden spoke with President Vladimir Putin of Russia. The call lasted 50 minutes."}`
	ps, dl := p.Prepare(processor.Input{Value: []byte(wh)})
	if dl != nil || len(ps.Calls) != 1 {
		t.Fatalf("the White House statement: dead letter %+v, %d calls", dl, len(ps.Calls))
	}
	rep := ps.Calls[0]
	part := p.ReportPartition(&rep, 3)
	if err := prod.Write(ctx, bus.Message{Topic: env.Topics.LeaderCalls, Key: []byte("lc-2021-12-30-cfb94f5cffc9"), Value: []byte(earlierEvent),
		Partition: bus.ToPartition(part), Headers: map[string]string{model.HeaderCallPartition: strconv.Itoa(part)}}); err != nil {
		t.Fatal(err)
	}
	st, err := r.restore(ctx, []bus.Claim{{Topic: env.Topics.CallReports, Partition: part}})
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if st.eventRecords != 1 || st.merge[part].Len() != 1 {
		t.Fatalf("restore read %d records, holds %d events; want the earlier version's one", st.eventRecords, st.merge[part].Len())
	}
	v, _ := json.Marshal(rep)
	if err := r.mergeStep(ctx, st.merge[part], []bus.Record{{Topic: env.Topics.CallReports, Partition: part, Value: v}}); err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.LeaderCalls, func(rec bus.Record) error {
		last = nil // a fresh map: Unmarshal would merge into the last one
		return json.Unmarshal(rec.Value, &last)
	}); err != nil {
		t.Fatal(err)
	}
	if last["id"] != "lc-2021-12-30-cfb94f5cffc9" || last["version"] != 2.0 {
		t.Fatalf("last event %v v%v, want lc-2021-12-30-cfb94f5cffc9 v2", last["id"], last["version"])
	}
	if at, ok := last["occurred_at"]; ok || last["precision"] != model.PrecisionDay {
		t.Errorf("precision %v with occurred_at %v; want day and no occurred_at", last["precision"], at)
	}
	want := map[string][2]string{
		"en.kremlin.ru/67487": {"https://en.kremlin.ru/events/president/news/67487", "https://en.kremlin.ru/events/president/news/67487"},
		rep.Source.StatementID: {"https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/12/30/statement-by-press-secretary-jen-psaki-on-president-bidens-phone-call-with-president-vladimir-putin-of-russia/",
			"https://whitehouse.gov/briefing-room/statements-releases/2021/12/30/statement-by-press-secretary-jen-psaki-on-president-bidens-phone-call-with-president-vladimir-putin-of-russia"},
	}
	srcs, _ := last["sources"].([]any)
	if len(srcs) != 2 {
		t.Fatalf("%d sources, want 2", len(srcs))
	}
	for _, s := range srcs {
		s := s.(map[string]any)
		w := want[s["statement_id"].(string)]
		if s["url"] != w[0] || s["canonical_url"] != w[1] {
			t.Errorf("source %v: url %v, canonical_url %v; want %s, %s", s["statement_id"], s["url"], s["canonical_url"], w[0], w[1])
		}
	}
}
