package service

import (
	"errors"
	"fmt"

	"github.com/readout/readout/pkg/bus"
)

// waitReason is what /readyz says while waitForTopics retries after err.
func waitReason(c bus.Config, err error) string {
	if errors.Is(err, bus.ErrTopicsMissing) {
		return "waiting for its topics, which `readout topics create` creates"
	}
	return fmt.Sprintf("waiting for Kafka (%s): %v", c.String(), err)
}
