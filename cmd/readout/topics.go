package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/pkg/bus"
)

// topicsCommand runs `readout topics create|check`: the topics of a
// deployment, created or compared through the Kafka admin API.
func topicsCommand(args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "check") {
		return fmt.Errorf("topics: want a subcommand: `readout topics create` (create the missing topics) or `readout topics check` (compare them with the settings)")
	}
	sub := args[0]
	fs := flag.NewFlagSet("readout topics "+sub, flag.ExitOnError)
	kf := cli.AddKafkaFlags(fs)
	tf := cli.AddTopicFlags(fs)
	timeout := cli.Duration(fs, "timeout", time.Minute, "give up after this long")
	_ = fs.Parse(args[1:])
	bc, err := kf.Config()
	if err != nil {
		return err
	}
	if len(bc.Brokers) == 0 {
		return fmt.Errorf("topics %s: no Kafka brokers: set --kafka-brokers or KAFKA_BROKERS", sub)
	}
	bc.ClientID = "readout-topics"
	topics, err := tf.Topics()
	if err != nil {
		return err
	}
	specs := topics.Specs(0)
	ctx, cancel := cli.SignalContext()
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, *timeout)
	defer cancelTimeout()
	if sub == "create" {
		return createTopics(ctx, bc, specs, stdout)
	}
	return checkTopics(ctx, bc, specs, stdout)
}

func createTopics(ctx context.Context, bc bus.Config, specs []bus.TopicSpec, stdout io.Writer) error {
	created, err := bus.CreateTopics(ctx, bc, specs)
	for _, name := range created {
		fmt.Fprintf(stdout, "created %s\n", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d topics created, %d existed already (readout topics check compares them with the settings)\n",
		len(created), len(specs)-len(created))
	return nil
}

func checkTopics(ctx context.Context, bc bus.Config, specs []bus.TopicSpec, stdout io.Writer) error {
	problems, err := bus.CheckTopics(ctx, bc, specs, true)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s (%s)\n", p, fixHint(p))
	}
	if len(problems) > 0 {
		return fmt.Errorf("topics check: %d problems with %d topics (listed above)", len(problems), len(specs))
	}
	fmt.Fprintf(stdout, "all %d topics exist with the configured partitions, replication and configs\n", len(specs))
	return nil
}

// fixHint says how an operator fixes a topic problem.
func fixHint(p bus.TopicProblem) string {
	switch p.Setting {
	case "exists":
		return "readout topics create creates it"
	case "partitions":
		return "kafka-topics.sh --alter --partitions can add partitions, never remove them; or change --topic-partitions"
	case "replication":
		return "kafka-reassign-partitions.sh changes it; or change --topic-replication"
	}
	return "kafka-configs.sh --alter --entity-type topics --add-config " + p.Setting + "=" + p.Want
}
