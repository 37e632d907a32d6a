package processor_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/readout/readout/internal/processortest"
	"github.com/readout/readout/pkg/processor"
)

// rawItem is a raw message with the given fields after the usual ones.
func rawItem(fields string) []byte {
	return []byte(`{"source":"s","publisher":"example.org","url":"https://example.org/1","title":"t","body":"b"` + fields + `}`)
}

// Valid JSON with a field that does not fit is dead-lettered as
// invalid_field, naming the field, not as malformed_json.
func TestFieldErrorsNameTheField(t *testing.T) {
	p, m := processortest.New(t)
	for _, tt := range []struct {
		name, value, reason, prefix string
	}{
		{"fetched_at without an offset", string(rawItem(`,"published_at":"2025-05-06T17:45:00Z","fetched_at":"2025-05-06T18:00:00"`)),
			processor.ReasonInvalidField, "fetched_at: want an RFC 3339 time with a zone offset"},
		{"after an unknown field", string(rawItem(`,"extra":1,"fetched_at":"yesterday"`)), processor.ReasonInvalidField, "fetched_at:"},
		{"a number for a string", string(rawItem(`,"lang":5`)), processor.ReasonInvalidField, "lang:"},
		{"a string for a list", string(rawItem(`,"tags":"a"`)), processor.ReasonInvalidField, "tags:"},
		{"malformed", `{"source":"s",}`, processor.ReasonMalformedJSON, ""},
		{"not an object", `["s"]`, processor.ReasonMalformedJSON, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, dl := p.Prepare(processor.Input{Value: []byte(tt.value)})
			if dl == nil {
				t.Fatalf("no dead letter; want %s", tt.reason)
			}
			if dl.Reason != tt.reason || !strings.HasPrefix(dl.Error, tt.prefix) {
				t.Errorf("dead letter %s: %s; want %s starting %q", dl.Reason, dl.Error, tt.reason, tt.prefix)
			}
		})
	}
	if n := testutil.ToFloat64(m.DeadLetters.WithLabelValues(processor.ReasonInvalidField)); n != 4 {
		t.Errorf("%v invalid_field dead letters counted, want 4", n)
	}
}

// Every out-of-range publication time, far past or far future, is
// dead-lettered the same way: bad_time, counted; none is replaced by the
// fetch time.
func TestOutOfRangePublicationTimesAreBadTime(t *testing.T) {
	p, m := processortest.New(t)
	for _, published := range []string{"0001-01-01T00:00:00Z", "1899-12-31T23:00:00Z", "2199-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		ps, dl := p.Prepare(processor.Input{Value: rawItem(`,"published_at":"` + published + `","fetched_at":"2025-05-06T18:00:00Z"`)})
		switch {
		case dl == nil:
			t.Errorf("published_at %s: a statement published %s; want a bad_time dead letter", published, ps.Statement.PublishedAt)
		case dl.Reason != processor.ReasonBadTime:
			t.Errorf("published_at %s: dead letter %s: %s; want bad_time", published, dl.Reason, dl.Error)
		}
	}
	if n := testutil.ToFloat64(m.DeadLetters.WithLabelValues(processor.ReasonBadTime)); n != 4 {
		t.Errorf("%v bad_time dead letters counted, want 4", n)
	}
}
