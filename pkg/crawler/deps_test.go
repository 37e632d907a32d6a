package crawler_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The crawler knows nothing of Kafka: pkg/crawler/kafkasink connects it.
func TestNoKafkaInTheCrawler(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/segmentio/kafka-go") || dep == "github.com/readout/readout/pkg/bus" {
			t.Errorf("pkg/crawler depends on %s", dep)
		}
	}
}
