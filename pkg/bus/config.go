package bus

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// ErrNoBrokers is returned when no bootstrap broker is configured.
var ErrNoBrokers = errors.New("bus: no Kafka brokers configured")

// Config says how to reach the Kafka cluster. The zero value of each optional
// field means plaintext, no authentication.
type Config struct {
	Brokers  []string
	ClientID string
	// TLS enables TLS; CAFile adds a CA bundle to the system pool.
	TLS    bool
	CAFile string
	// SASLMechanism is "", "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512".
	SASLMechanism string
	Username      string
	// Password is read from the environment or a file, never from a flag.
	Password string
	// InsecurePlain allows SASL PLAIN without TLS, which sends the password
	// in clear text; without it such a config is refused.
	InsecurePlain bool
}

// ConfigFromEnv reads KAFKA_BROKERS, READOUT_KAFKA_TLS, READOUT_KAFKA_CA_FILE,
// READOUT_KAFKA_SASL_MECHANISM, READOUT_KAFKA_USERNAME, READOUT_KAFKA_PASSWORD
// or READOUT_KAFKA_PASSWORD_FILE, and READOUT_KAFKA_INSECURE_PLAIN.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Brokers:       SplitBrokers(getenv("KAFKA_BROKERS")),
		TLS:           isTrue(getenv("READOUT_KAFKA_TLS")),
		CAFile:        getenv("READOUT_KAFKA_CA_FILE"),
		SASLMechanism: strings.ToUpper(getenv("READOUT_KAFKA_SASL_MECHANISM")),
		Username:      getenv("READOUT_KAFKA_USERNAME"),
		Password:      getenv("READOUT_KAFKA_PASSWORD"),
		InsecurePlain: isTrue(getenv("READOUT_KAFKA_INSECURE_PLAIN")),
	}
	if f := getenv("READOUT_KAFKA_PASSWORD_FILE"); f != "" && c.Password == "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return c, fmt.Errorf("bus: read password file: %w", err)
		}
		c.Password = strings.TrimRight(string(b), "\r\n")
	}
	return c, c.validate()
}

func isTrue(v string) bool { return v == "true" || v == "1" }

// SplitBrokers splits a comma-separated broker list.
func SplitBrokers(s string) []string {
	var out []string
	for _, b := range strings.Split(s, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

func (c Config) validate() error {
	switch c.SASLMechanism {
	case "", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		return fmt.Errorf("bus: unsupported SASL mechanism %q", c.SASLMechanism)
	}
	if c.SASLMechanism != "" && c.Username == "" {
		return errors.New("bus: SASL needs READOUT_KAFKA_USERNAME")
	}
	if c.SASLMechanism == "PLAIN" && !c.TLS && !c.InsecurePlain {
		return errors.New("bus: SASL PLAIN without TLS sends the password in clear text: enable TLS (--kafka-tls, READOUT_KAFKA_TLS=true), " +
			"use SCRAM, or allow it explicitly (--kafka-insecure-plain, READOUT_KAFKA_INSECURE_PLAIN=true)")
	}
	return nil
}

// String describes the config without secrets, for logs.
func (c Config) String() string {
	auth := "none"
	if c.SASLMechanism != "" {
		auth = c.SASLMechanism + " user=" + c.Username
	}
	return fmt.Sprintf("brokers=%s tls=%t sasl=%s", strings.Join(c.Brokers, ","), c.TLS, auth)
}

func (c Config) tlsConfig() (*tls.Config, error) {
	if !c.TLS {
		return nil, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("bus: read CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("bus: no certificates in %s", c.CAFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

func (c Config) mechanism() (sasl.Mechanism, error) {
	switch c.SASLMechanism {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Mechanism{Username: c.Username, Password: c.Password}, nil
	case "SCRAM-SHA-256":
		return scram.Mechanism(scram.SHA256, c.Username, c.Password)
	case "SCRAM-SHA-512":
		return scram.Mechanism(scram.SHA512, c.Username, c.Password)
	}
	return nil, fmt.Errorf("bus: unsupported SASL mechanism %q", c.SASLMechanism)
}

// security returns the TLS config and SASL mechanism both kafka-go paths need.
func (c Config) security() (*tls.Config, sasl.Mechanism, error) {
	if len(c.Brokers) == 0 {
		return nil, nil, ErrNoBrokers
	}
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	tc, err := c.tlsConfig()
	if err != nil {
		return nil, nil, err
	}
	m, err := c.mechanism()
	if err != nil {
		return nil, nil, err
	}
	return tc, m, nil
}

// dialer is for kafka-go's Reader and Conn.
func (c Config) dialer() (*kafka.Dialer, error) {
	tc, m, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafka.Dialer{ClientID: c.clientID(), Timeout: 10 * time.Second, DualStack: true, TLS: tc, SASLMechanism: m}, nil
}

// transport is for kafka-go's Writer and Client.
func (c Config) transport() (*kafka.Transport, error) {
	tc, m, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafka.Transport{ClientID: c.clientID(), DialTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second,
		MetadataTTL: 10 * time.Second, TLS: tc, SASL: m}, nil
}

func (c Config) clientID() string {
	if c.ClientID != "" {
		return c.ClientID
	}
	return "readout"
}
