package cli_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/readout/readout/internal/cli"
)

// The topic flags and their environment twins reach bus.Topics: the
// prefix names every topic, the sizes reach the specs by key.
func TestTopicFlags(t *testing.T) {
	t.Setenv("READOUT_TOPIC_PREFIX", "team-a.")
	t.Setenv("READOUT_TOPIC_REPLICATION", "3")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	tf := cli.AddTopicFlags(fs)
	if err := fs.Parse([]string{"--topic-partitions", "6, leader-calls=4,dlq=2"}); err != nil {
		t.Fatal(err)
	}
	topics, err := tf.Topics()
	if err != nil {
		t.Fatal(err)
	}
	if topics.Raw != "team-a.readout.raw.v1" || topics.CallReports != "team-a.readout.call-reports.v1" {
		t.Errorf("names %s, %s", topics.Raw, topics.CallReports)
	}
	sizes := map[string][2]int{}
	for _, s := range topics.Specs(0) {
		sizes[s.Key] = [2]int{s.Partitions, s.Replication}
	}
	for key, want := range map[string][2]int{"raw": {6, 3}, "leader-calls": {4, 3}, "dlq": {2, 3}, "crawler-state": {1, 3}} {
		if sizes[key] != want {
			t.Errorf("%s: partitions, replication %v, want %v", key, sizes[key], want)
		}
	}
}

// A bad size names the flag, its variable, what is wrong and the valid keys.
func TestTopicFlagsErrors(t *testing.T) {
	for value, want := range map[string][]string{
		"raws=3":    {"--topic-partitions", "READOUT_TOPIC_PARTITIONS", `unknown topic "raws"`, "leader-calls"},
		"raw=0":     {"--topic-partitions", `"0" is not a whole number of at least 1`, "KEY=N"},
		"raw=x":     {`"x" is not a whole number`},
		"3,raw=2,4": {"* is given twice"},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		tf := cli.AddTopicFlags(fs)
		if err := fs.Parse([]string{"--topic-partitions", value}); err != nil {
			t.Fatal(err)
		}
		_, err := tf.Topics()
		if err == nil {
			t.Errorf("%q: no error", value)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", value, err, w)
			}
		}
	}
}
