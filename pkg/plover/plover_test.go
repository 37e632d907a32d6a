package plover

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadEvent(t testing.TB) *model.LeaderCall {
	t.Helper()
	raw := fixture.Read(t, "putin-trump-2017-01-28.json")
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

// The record the topic, the feed and replay carry.
func TestEncodeGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := outputs.AppendLine(&buf, Format, loadEvent(t)); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/putin-trump-2017-01-28.golden.jsonl"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got\n%s\nwant\n%s", buf.Bytes(), want)
	}
}

func TestFromLeaderCall(t *testing.T) {
	r, err := FromLeaderCall(loadEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.EventType != "CONSULT" || r.Mode != "phone" || r.EventDate != "2017-01-28" || r.ID != "call-2017-01-28-Q22686-Q7747" {
		t.Errorf("record = %+v", r)
	}
	want := []Actor{
		{Name: "Vladimir Putin", WikidataID: "Q7747", Country: "RU", Title: "President of Russia", Role: RoleParticipant},
		{Name: "Donald Trump", WikidataID: "Q22686", Country: "US", Title: "President of the United States", Role: RoleParticipant},
	}
	for i := range want {
		if r.Actors[i] != want[i] {
			t.Errorf("actor %d = %+v, want %+v", i, r.Actors[i], want[i])
		}
	}
	if len(r.SourceURLs) != 2 || r.Publishers[0] != "kremlin.ru" || r.Publishers[1] != "whitehouse.gov" {
		t.Errorf("sources = %v %v", r.SourceURLs, r.Publishers)
	}
}

func TestInitiatorIsSourceActor(t *testing.T) {
	ev := loadEvent(t)
	ev.Initiator = "Q22686"
	r, err := FromLeaderCall(ev)
	if err != nil {
		t.Fatal(err)
	}
	if r.Actors[0].WikidataID != "Q22686" || r.Actors[0].Role != RoleSource || r.Actors[1].Role != RoleTarget {
		t.Errorf("actors = %+v", r.Actors)
	}
}

// FromLeaderCall rejects what PLOVER cannot code; Format skips the events
// Codable rejects (no record, no error) and fails on the others.
func TestRejects(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(*model.LeaderCall) *model.LeaderCall
		want       error
		formatWant error
	}{
		{"nil", func(*model.LeaderCall) *model.LeaderCall { return nil }, ErrNilEvent, outputs.ErrSkip},
		{"announced", func(e *model.LeaderCall) *model.LeaderCall { e.Status = model.StatusAnnounced; return e }, ErrNotHeld, outputs.ErrSkip},
		{"no id", func(e *model.LeaderCall) *model.LeaderCall { e.ID = " "; return e }, ErrNoID, ErrNoID},
		{"one participant", func(e *model.LeaderCall) *model.LeaderCall { e.Participants = e.Participants[:1]; return e }, ErrNoParticipants, outputs.ErrSkip},
		{"bad date", func(e *model.LeaderCall) *model.LeaderCall { e.OccurredOn = "28.01.2017"; return e }, ErrNoDate, ErrNoDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r, err := FromLeaderCall(tt.edit(loadEvent(t))); !errors.Is(err, tt.want) || r != nil {
				t.Errorf("FromLeaderCall: %v, %v; want %v", r, err, tt.want)
			}
			if doc, err := Format.Encode(tt.edit(loadEvent(t))); !errors.Is(err, tt.formatWant) || doc != nil {
				t.Errorf("Format.Encode: %q, %v; want %v", doc, err, tt.formatWant)
			}
		})
	}
}
