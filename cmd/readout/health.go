package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthCommand runs `readout health URL`: GET URL and succeed on a 2xx
// answer. It is the healthcheck of the distroless images, which have no
// shell, curl or wget.
func healthCommand(args []string, stdout io.Writer) error {
	if len(args) != 1 || !strings.HasPrefix(args[0], "http://") && !strings.HasPrefix(args[0], "https://") {
		return errors.New("health: want one http(s) URL, e.g. readout health http://127.0.0.1:9101/readyz")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("health: %s answered %s: %s", args[0], resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(stdout, "%s", body)
	return nil
}
