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

// SASL PLAIN sends the password as it is: without TLS it is refused, with
// an error that says how to fix it, unless explicitly allowed.
func TestPlainWithoutTLS(t *testing.T) {
	env := map[string]string{
		"KAFKA_BROKERS":                "a:9092",
		"READOUT_KAFKA_SASL_MECHANISM": "PLAIN",
		"READOUT_KAFKA_USERNAME":       "readout",
		"READOUT_KAFKA_PASSWORD":       "s3cret",
	}
	getenv := func(k string) string { return env[k] }
	_, err := ConfigFromEnv(getenv)
	if err == nil || !strings.Contains(err.Error(), "READOUT_KAFKA_TLS") || !strings.Contains(err.Error(), "READOUT_KAFKA_INSECURE_PLAIN") {
		t.Fatalf("PLAIN without TLS: %v, want an error naming the fixes", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	// A Config built in code is checked too, before any connection.
	c := Config{Brokers: []string{"a:9092"}, SASLMechanism: "PLAIN", Username: "readout", Password: "s3cret"}
	if _, err := c.dialer(); err == nil {
		t.Error("dialer: PLAIN without TLS accepted")
	}
	if _, err := c.transport(); err == nil {
		t.Error("transport: PLAIN without TLS accepted")
	}
	for k, v := range map[string]string{"READOUT_KAFKA_TLS": "true", "READOUT_KAFKA_INSECURE_PLAIN": "true"} {
		env[k] = v
		if _, err := ConfigFromEnv(getenv); err != nil {
			t.Errorf("PLAIN with %s=%s: %v", k, v, err)
		}
		delete(env, k)
	}
	env["READOUT_KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512"
	if _, err := ConfigFromEnv(getenv); err != nil {
		t.Errorf("SCRAM without TLS: %v", err)
	}
}
