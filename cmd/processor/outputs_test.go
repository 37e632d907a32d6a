package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
	"github.com/readout/readout/pkg/outputs/all"
	"github.com/readout/readout/pkg/processor/kafkarun"
)

// tally is a throw-away output format: the id and version of each held call.
type tally struct{}

func (tally) Spec() outputs.Spec {
	return outputs.Spec{Key: "tally", Name: "Tally", Topic: "readout.tally.v1", Schema: "tally/1", Retention: time.Hour}
}

func (tally) Encode(ev *model.LeaderCall) ([]byte, error) {
	if ev.Status != model.StatusHeld {
		return nil, outputs.ErrSkip
	}
	return json.Marshal(map[string]any{"id": ev.ID, "version": ev.Version})
}

// register adds f to the registered formats, as its one line in
// pkg/outputs/all would, until the test ends.
func register(t *testing.T, f outputs.Format) {
	old := all.Formats
	all.Formats = append(slices.Clip(old), f)
	t.Cleanup(func() { all.Formats = old })
}

// A format registered in pkg/outputs/all, and nowhere else, gets its topic
// (sized by its key like any other), its message per event version from the
// processor, and replay's --KEY flag; ninjs and PLOVER keep theirs.
func TestRegisteredFormatReachesTopicsProcessorAndReplay(t *testing.T) {
	register(t, tally{})

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	tf := cli.AddTopicFlags(fs)
	if err := fs.Parse([]string{"--topic-prefix", "t.", "--topic-partitions", "tally=2"}); err != nil {
		t.Fatal(err)
	}
	topics, err := tf.Topics()
	if err != nil {
		t.Fatal(err)
	}
	specs := topics.Specs(0)
	want := bus.TopicSpec{Key: "tally", Name: "t.readout.tally.v1", Partitions: 2, Retention: "3600000"}
	if !slices.Contains(specs, want) || len(specs) != 11 {
		t.Errorf("topic specs %+v, want 11 with %+v", specs, want)
	}

	ev := loadCall(t)
	var got []string
	for _, enc := range service.NewsroomEncoders(topics) {
		m, err := enc(ev)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Topic+" "+m.Headers[model.HeaderSchema]+" "+string(m.Key))
		if m.Topic == "t.readout.tally.v1" && string(m.Value) != `{"id":"`+ev.ID+`","version":1}` {
			t.Errorf("tally message %s", m.Value)
		}
	}
	wantMsgs := []string{"t.readout.ninjs.v1 ninjs/3.1 " + ev.ID, "t.readout.plover.v1 plover/1 " + ev.ID, "t.readout.tally.v1 tally/1 " + ev.ID}
	if !slices.Equal(got, wantMsgs) {
		t.Errorf("processor messages %v, want %v", got, wantMsgs)
	}
	ev.Status = model.StatusAnnounced
	if _, err := service.NewsroomEncoders(topics)[2](ev); !errors.Is(err, kafkarun.ErrSkip) {
		t.Errorf("announced call: %v, want kafkarun.ErrSkip", err)
	}

	dir := t.TempDir()
	events, out := filepath.Join(dir, "events.jsonl"), filepath.Join(dir, "tally.jsonl")
	if err := replay([]string{"--quiet", "--in", fixture.File(t, "testdata/eval/raw.jsonl"), "--out", events, "--tally", out}); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, out), heldTally(t, events); got != want || want == "" {
		t.Errorf("replay --tally wrote\n%s\nwant the latest version of each held call\n%s", got, want)
	}
}

// loadCall is a held call of two resolved leaders.
func loadCall(t *testing.T) *model.LeaderCall {
	var ev model.LeaderCall
	if err := json.Unmarshal(fixture.Read(t, "putin-trump-2017-01-28.json"), &ev); err != nil {
		t.Fatal(err)
	}
	ev.Version = 1
	return &ev
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// heldTally is the tally of the events file: one line per held call at its
// latest version, by id.
func heldTally(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	latest := map[string]model.LeaderCall{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev model.LeaderCall
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Version >= latest[ev.ID].Version {
			latest[ev.ID] = ev
		}
	}
	var lines []string
	for _, ev := range latest {
		if ev.Status == model.StatusHeld {
			b, _ := json.Marshal(map[string]any{"id": ev.ID, "version": ev.Version})
			lines = append(lines, string(b)+"\n")
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "")
}
