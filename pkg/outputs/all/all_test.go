package all_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/outputs/all"
)

// Every registered format can be told apart and named everywhere it goes:
// a key that is a topic key of its own and a flag name, a topic and a
// schema header, and a feed path of its own when it has a feed.
func TestFormatsAreWellFormed(t *testing.T) {
	keys := map[string]int{}
	for _, k := range bus.TopicKeys() {
		keys[k]++
	}
	feeds := map[string]bool{}
	validKey := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	for _, f := range all.Formats {
		s := f.Spec()
		if !validKey.MatchString(s.Key) || keys[s.Key] != 1 {
			t.Errorf("format key %q: want lower-case letters, digits and dashes, one topic key of its own (topic keys: %v)", s.Key, bus.TopicKeys())
		}
		if s.Name == "" || s.Topic == "" || s.Schema == "" {
			t.Errorf("format %s: name %q, topic %q, schema %q: each is needed", s.Key, s.Name, s.Topic, s.Schema)
		}
		if s.Feed != "" && (!strings.HasPrefix(s.Feed, "/") || feeds[s.Feed]) {
			t.Errorf("format %s: feed %q is not a path of its own", s.Key, s.Feed)
		}
		feeds[s.Feed] = true
	}
	if len(all.Formats) == 0 {
		t.Error("no output format registered")
	}
}
