package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/segmentio/kafka-go"
)

// TopicProblem is one way a topic on the cluster differs from its spec.
type TopicProblem struct {
	Topic string
	// Setting is "exists", "partitions", "replication" or a topic config
	// ("cleanup.policy", "retention.ms").
	Setting   string
	Want, Got string
}

func (p TopicProblem) String() string {
	if p.Setting == "exists" {
		return p.Topic + ": missing"
	}
	return fmt.Sprintf("%s: %s is %s, want %s", p.Topic, p.Setting, p.Got, p.Want)
}

// CheckTopics compares the topics on the cluster with specs: whether each
// exists, its partitions, replication factor (where the spec sets one) and
// Configs. With configs false it reads metadata only (needs Describe, not
// DescribeConfigs). An error means the cluster could not be asked.
func CheckTopics(ctx context.Context, c Config, specs []TopicSpec, configs bool) ([]TopicProblem, error) {
	cl, done, err := client(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	meta, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
	if err != nil {
		return nil, fmt.Errorf("bus: topic metadata: %w", err)
	}
	found := map[string]kafka.Topic{}
	for _, t := range meta.Topics {
		switch {
		case t.Error == nil:
			found[t.Name] = t
		case !errors.Is(t.Error, kafka.UnknownTopicOrPartition):
			return nil, fmt.Errorf("bus: topic metadata of %s: %w", t.Name, t.Error)
		}
	}
	var present []TopicSpec
	var out []TopicProblem
	for _, s := range specs {
		t, ok := found[s.Name]
		if !ok {
			out = append(out, TopicProblem{Topic: s.Name, Setting: "exists", Want: "yes", Got: "no"})
			continue
		}
		out = append(out, sizeProblems(s, t)...)
		present = append(present, s)
	}
	if configs && len(present) > 0 {
		cp, err := configProblems(ctx, cl, present)
		if err != nil {
			return nil, err
		}
		out = append(out, cp...)
	}
	return out, nil
}

func sizeProblems(s TopicSpec, t kafka.Topic) []TopicProblem {
	var out []TopicProblem
	if len(t.Partitions) != s.Partitions {
		out = append(out, TopicProblem{Topic: s.Name, Setting: "partitions", Want: strconv.Itoa(s.Partitions), Got: strconv.Itoa(len(t.Partitions))})
	}
	if s.Replication > 0 && len(t.Partitions) > 0 && len(t.Partitions[0].Replicas) != s.Replication {
		out = append(out, TopicProblem{Topic: s.Name, Setting: "replication", Want: strconv.Itoa(s.Replication),
			Got: strconv.Itoa(len(t.Partitions[0].Replicas))})
	}
	return out
}

// configProblems compares the topics' configs (DescribeConfigs) with their specs'.
func configProblems(ctx context.Context, cl *kafka.Client, specs []TopicSpec) ([]TopicProblem, error) {
	req := &kafka.DescribeConfigsRequest{}
	for _, s := range specs {
		var names []string
		for k := range s.Configs() {
			names = append(names, k)
		}
		slices.Sort(names)
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{ResourceType: kafka.ResourceTypeTopic,
			ResourceName: s.Name, ConfigNames: names})
	}
	resp, err := cl.DescribeConfigs(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bus: describe topic configs: %w", err)
	}
	got := map[string]map[string]string{}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return nil, fmt.Errorf("bus: describe configs of topic %s: %w", r.ResourceName, r.Error)
		}
		got[r.ResourceName] = map[string]string{}
		for _, e := range r.ConfigEntries {
			got[r.ResourceName][e.ConfigName] = e.ConfigValue
		}
	}
	var out []TopicProblem
	for _, s := range specs {
		want := s.Configs()
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if g := got[s.Name][k]; g != want[k] {
				out = append(out, TopicProblem{Topic: s.Name, Setting: k, Want: want[k], Got: orUnset(g)})
			}
		}
	}
	return out, nil
}

func orUnset(v string) string {
	if v == "" {
		return "unset"
	}
	return v
}
