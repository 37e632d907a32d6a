package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/bus"
)

// Logs written to a pipe or a file carry no colour escape codes, and their
// times are RFC 3339 in both formats.
func TestLoggerOnAPipe(t *testing.T) {
	_, stderr, code := runHelper(t, "log-json")
	var line struct {
		TS  string `json:"ts"`
		Msg string `json:"msg"`
	}
	if err := json.Unmarshal([]byte(stderr), &line); err != nil || code != 0 {
		t.Fatalf("json log %q (exit %d): %v", stderr, code, err)
	}
	if _, err := time.Parse(time.RFC3339, line.TS); err != nil {
		t.Errorf("json ts %q is not RFC 3339: %v", line.TS, err)
	}
	_, stderr, code = runHelper(t, "log-console")
	if code != 0 || strings.Contains(stderr, "\x1b[") || !strings.Contains(stderr, "\tWARN\t") {
		t.Errorf("console log on a pipe: %q (exit %d), want a plain WARN and no escape codes", stderr, code)
	}
	if ts, _, _ := strings.Cut(stderr, "\t"); !isRFC3339(ts) {
		t.Errorf("console time %q is not RFC 3339", ts)
	}
	if _, err := Logger("text", "info"); err == nil || !strings.Contains(err.Error(), `--log-format "text": want json or console`) {
		t.Errorf("Logger(text) = %v, want an error naming the flag and the formats", err)
	}
}

func isRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// An environment value that does not parse says what the flag wants.
func TestEnvErrorSaysWhatItWants(t *testing.T) {
	for _, tt := range []struct{ env, value, want string }{
		{"READOUT_FETCH_TIMEOUT", "30", `invalid value "30" for READOUT_FETCH_TIMEOUT (flag --fetch-timeout): want a duration with a unit, such as 30s`},
		{"READOUT_MAX_SEEN", "lots", "(flag --max-seen): want a whole number"},
		{"READOUT_KAFKA_TLS", "yes please", "(flag --kafka-tls): want true or false"},
	} {
		t.Setenv(tt.env, tt.value)
		fs := newFS()
		fs.Duration("fetch-timeout", 0, "")
		fs.Int("max-seen", 0, "")
		fs.Bool("kafka-tls", false, "")
		flagName := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(tt.env, EnvPrefix), "_", "-"))
		if err := setFromEnv(fs, flagName); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: %v\nwant it to contain %q", tt.env, tt.value, err, tt.want)
		}
	}
}

// A command that needs Kafka and has no broker says how to name one.
func TestConfigWithBrokers(t *testing.T) {
	t.Setenv("KAFKA_BROKERS", "")
	t.Setenv("READOUT_KAFKA_BROKERS", "")
	os.Unsetenv("READOUT_KAFKA_BROKERS") // t.Setenv restores it
	_, err := AddKafkaFlags(flag.NewFlagSet("x", flag.ContinueOnError)).ConfigWithBrokers()
	if !errors.Is(err, bus.ErrNoBrokers) || !strings.Contains(err.Error(), "--kafka-brokers") || !strings.Contains(err.Error(), "KAFKA_BROKERS") {
		t.Errorf("err = %v, want ErrNoBrokers naming --kafka-brokers and KAFKA_BROKERS", err)
	}
	t.Setenv("KAFKA_BROKERS", "127.0.0.1:9092")
	if c, err := AddKafkaFlags(flag.NewFlagSet("x", flag.ContinueOnError)).ConfigWithBrokers(); err != nil || len(c.Brokers) != 1 {
		t.Errorf("with KAFKA_BROKERS: %+v, %v", c, err)
	}
}

// An error that already starts with the program's name is not prefixed twice.
func TestFatalNamesTheProgramOnce(t *testing.T) {
	_, stderr, code := runHelper(t, "fatal")
	if code != 1 || stderr != "crawler: source has no archive: x\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A run stopped by its signal context is a clean stop, whatever it was doing.
func TestStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	failed := errors.New("kafka: broken")
	waiting := fmt.Errorf("stopped while waiting for Kafka: %w", context.Canceled)
	if Stopped(ctx, failed) != failed || Stopped(ctx, waiting) != waiting || Stopped(ctx, nil) != nil {
		t.Error("Stopped changed an error before any signal")
	}
	cancel()
	if Stopped(ctx, waiting) != nil || Stopped(ctx, failed) != failed {
		t.Error("after the signal: a cancellation must be nil, a failure stays")
	}
}
