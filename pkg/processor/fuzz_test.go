package processor_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/readout/readout/internal/processortest"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// FuzzHandle feeds arbitrary bytes to Handle as a raw message: every input
// ends as exactly one of a statement, a duplicate or a dead letter with a
// reason, never as a panic (which Handle would turn into a dead letter with
// reason panic: that is a bug too). Seeds: the real raw sample, and
// testdata/fuzz/FuzzHandle.
func FuzzHandle(f *testing.F) {
	for _, b := range processortest.Sample(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"source":"kremlin-en","url":"http://en.kremlin.ru/events/president/news/1","title":"Telephone conversation with President of France Emmanuel Macron","published_at":"2199-01-01T00:00:00+03:00","body":"x"}`))
	p, _ := processortest.New(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		out := p.Handle(processor.Input{Value: in, Topic: model.TopicRaw, Offset: 1})
		switch {
		case out.DeadLetter != nil:
			dl := out.DeadLetter
			if dl.Reason == "" || dl.Reason == processor.ReasonPanic {
				t.Fatalf("dead letter %q: %s", dl.Reason, dl.Error)
			}
			if dl.PayloadBytes != len(in) || len(dl.Payload) != min(len(in), model.MaxDeadLetterPayload) {
				t.Fatalf("payload %d of %d bytes kept", len(dl.Payload), len(in))
			}
			if out.Statement != nil || len(out.Events) > 0 {
				t.Fatal("a dead letter with outputs")
			}
		case out.Statement != nil:
			st := out.Statement
			if st.ID == "" || st.Version < 1 || !utf8.ValidString(st.Text) || !utf8.ValidString(st.Title) {
				t.Fatalf("statement %q v%d", st.ID, st.Version)
			}
			for _, ev := range out.Events {
				if !strings.HasPrefix(ev.ID, "lc-") || ev.Version < 1 || len(ev.Sources) == 0 || len(ev.Participants) == 0 {
					t.Fatalf("event %+v", ev)
				}
			}
		default:
			if len(out.Events) > 0 {
				t.Fatal("a duplicate with events")
			}
		}
	})
}
