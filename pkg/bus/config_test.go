package bus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"KAFKA_BROKERS":                " a:9092, b:9092 ,",
		"READOUT_KAFKA_TLS":            "true",
		"READOUT_KAFKA_SASL_MECHANISM": "scram-sha-512",
		"READOUT_KAFKA_USERNAME":       "readout",
		"READOUT_KAFKA_PASSWORD_FILE":  pw,
	}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Brokers) != 2 || c.Brokers[1] != "b:9092" || !c.TLS || c.SASLMechanism != "SCRAM-SHA-512" || c.Password != "s3cret" {
		t.Fatalf("config %+v", c)
	}
	if s := c.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "SCRAM-SHA-512") {
		t.Errorf("String() = %q: must name the mechanism and never the password", s)
	}
	if _, err := c.transport(); err != nil {
		t.Errorf("transport: %v", err)
	}
	if _, err := c.dialer(); err != nil {
		t.Errorf("dialer: %v", err)
	}

	env["READOUT_KAFKA_SASL_MECHANISM"] = "GSSAPI"
	if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("unsupported mechanism accepted")
	}
	env["READOUT_KAFKA_SASL_MECHANISM"], env["READOUT_KAFKA_USERNAME"] = "PLAIN", ""
	if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("SASL without a username accepted")
	}
	if _, err := (Config{}).transport(); err != ErrNoBrokers {
		t.Errorf("no brokers: %v", err)
	}
}
