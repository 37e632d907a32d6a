package cli

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/readout/readout/pkg/bus"
)

// TopicFlags name and size a deployment's topics: every command that
// touches Kafka takes them, so all of them agree on the topics.
type TopicFlags struct {
	Prefix, Partitions, Replication *string
}

// AddTopicFlags defines --topic-prefix, --topic-partitions and --topic-replication on fs.
func AddTopicFlags(fs *flag.FlagSet) *TopicFlags {
	return &TopicFlags{
		Prefix: String(fs, "topic-prefix", "", "prefix of every topic name (team-a. gives team-a.readout.raw.v1): deployments sharing a cluster each take their own"),
		Partitions: String(fs, "topic-partitions", "", "partitions of topics created: N for every partitioned topic (default 3), "+
			"and/or KEY=N per topic, e.g. 6,dlq=2 (keys: "+strings.Join(bus.TopicKeys(), ", ")+")"),
		Replication: String(fs, "topic-replication", "", "replication factor of topics created: N for all and/or KEY=N per topic, e.g. 3 "+
			"(default: the broker's default.replication.factor)"),
	}
}

// Topics resolves the flags into the deployment's topics.
func (f *TopicFlags) Topics() (bus.Topics, error) {
	t := bus.PrefixedTopics(*f.Prefix)
	var err error
	if t.Partitions, err = parseTopicSizes("topic-partitions", *f.Partitions); err != nil {
		return t, err
	}
	t.Replication, err = parseTopicSizes("topic-replication", *f.Replication)
	return t, err
}

// parseTopicSizes reads "N", "KEY=N,..." or both ("6,dlq=2"): a bare N is
// stored under bus.AllTopics.
func parseTopicSizes(flagName, v string) (map[string]int, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]int{}
	for _, item := range strings.Split(v, ",") {
		key, num, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			key, num = bus.AllTopics, key
		}
		key = strings.TrimSpace(key)
		if key != bus.AllTopics && !slices.Contains(bus.TopicKeys(), key) {
			return nil, fmt.Errorf("--%s (%s) %q: unknown topic %q; the topics are %s", flagName, EnvName(flagName), v, key, strings.Join(bus.TopicKeys(), ", "))
		}
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--%s (%s) %q: %q is not a whole number of at least 1; write N or KEY=N, e.g. 6,dlq=2", flagName, EnvName(flagName), v, num)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("--%s (%s) %q: %s is given twice", flagName, EnvName(flagName), v, key)
		}
		out[key] = n
	}
	return out, nil
}

// AddCreateTopicsFlag defines --create-topics: whether a service creates its
// missing topics at start, or only waits for them (`readout topics create`).
func AddCreateTopicsFlag(fs *flag.FlagSet) *bool {
	return Bool(fs, "create-topics", true, "create missing topics at start (needs the Create permission); false: wait until `readout topics create` has")
}
