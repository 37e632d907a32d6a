package plover

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/readout/readout/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadEvent(t testing.TB) *model.LeaderCall {
	t.Helper()
	raw, err := os.ReadFile("testdata/putin-trump-2017-01-28.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

func TestEncodeGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := NewEncoder(&buf).Encode(loadEvent(t)); err != nil {
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

func TestRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*model.LeaderCall) *model.LeaderCall
		want error
	}{
		{"nil", func(*model.LeaderCall) *model.LeaderCall { return nil }, ErrNilEvent},
		{"announced", func(e *model.LeaderCall) *model.LeaderCall { e.Status = model.StatusAnnounced; return e }, ErrNotHeld},
		{"no id", func(e *model.LeaderCall) *model.LeaderCall { e.ID = " "; return e }, ErrNoID},
		{"one participant", func(e *model.LeaderCall) *model.LeaderCall { e.Participants = e.Participants[:1]; return e }, ErrNoParticipants},
		{"bad date", func(e *model.LeaderCall) *model.LeaderCall { e.OccurredOn = "28.01.2017"; return e }, ErrNoDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := NewEncoder(&buf).Encode(tt.edit(loadEvent(t)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %q for a rejected event", buf.String())
			}
		})
	}
}

func TestJSONLOneRecordPerLine(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	ev := loadEvent(t)
	for v := 1; v <= 3; v++ {
		ev.Version = v
		if err := enc.Encode(ev); err != nil {
			t.Fatal(err)
		}
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		n++
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if r.Version != n {
			t.Errorf("line %d version = %d", n, r.Version)
		}
	}
	if n != 3 {
		t.Errorf("lines = %d, want 3", n)
	}
}
