package processor_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The steps know nothing of Kafka: pkg/processor/kafkarun runs them on it.
func TestNoKafkaInTheSteps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/segmentio/kafka-go") || dep == "github.com/readout/readout/pkg/bus" {
			t.Errorf("pkg/processor depends on %s", dep)
		}
	}
}
