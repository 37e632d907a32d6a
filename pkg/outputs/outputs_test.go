package outputs_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
)

// raw is a throw-away format whose document is the event's id, JSON or
// not; it skips events without one.
type raw struct{}

func (raw) Spec() outputs.Spec {
	return outputs.Spec{Key: "raw-doc", Name: "raw", Topic: "readout.raw-doc.v1"}
}

func (raw) Encode(ev *model.LeaderCall) ([]byte, error) {
	if ev.ID == "" {
		return nil, outputs.ErrSkip
	}
	return []byte(ev.ID), nil
}

// AppendLine writes one line per document, compacted; a skipped event and a
// document that is not JSON write nothing, and the error names the format
// and the event.
func TestAppendLine(t *testing.T) {
	var buf bytes.Buffer
	for _, doc := range []string{"{\n  \"a\": [1,\n 2]\n}", `"x"`} {
		if err := outputs.AppendLine(&buf, raw{}, &model.LeaderCall{ID: doc}); err != nil {
			t.Fatal(err)
		}
	}
	if err := outputs.AppendLine(&buf, raw{}, &model.LeaderCall{}); !errors.Is(err, outputs.ErrSkip) {
		t.Errorf("skipped event: %v, want ErrSkip", err)
	}
	err := outputs.AppendLine(&buf, raw{}, &model.LeaderCall{ID: `{"a":`})
	if err == nil || !strings.Contains(err.Error(), "raw-doc") || !strings.Contains(err.Error(), `event {"a":`) {
		t.Errorf("not JSON: %v, want an error naming the format and the event", err)
	}
	if want := "{\"a\":[1,2]}\n\"x\"\n"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}
