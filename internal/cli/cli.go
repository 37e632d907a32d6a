// Package cli holds what every Readout command shares: flags that fall back
// to environment variables of the same name, the zap logger, and signal
// handling.
package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/readout/readout/pkg/bus"
)

// EnvName is the environment variable twin of a flag: --http-addr → READOUT_HTTP_ADDR.
// The Kafka brokers flag reads the conventional KAFKA_BROKERS.
func EnvName(flagName string) string {
	if flagName == "kafka-brokers" {
		return "KAFKA_BROKERS"
	}
	return "READOUT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// String defines a string flag whose default comes from its environment twin.
func String(fs *flag.FlagSet, name, def, usage string) *string {
	if v, ok := os.LookupEnv(EnvName(name)); ok {
		def = v
	}
	return fs.String(name, def, usage+" (env "+EnvName(name)+")")
}

// Bool defines a bool flag whose default comes from its environment twin.
func Bool(fs *flag.FlagSet, name string, def bool, usage string) *bool {
	if v, ok := os.LookupEnv(EnvName(name)); ok {
		def = v == "1" || strings.EqualFold(v, "true")
	}
	return fs.Bool(name, def, usage+" (env "+EnvName(name)+")")
}

// KafkaFlags are the Kafka connection flags. Secrets come only from the
// environment (READOUT_KAFKA_PASSWORD) or a file (--kafka-password-file).
type KafkaFlags struct {
	Brokers, CAFile, SASL, Username, PasswordFile *string
	TLS                                           *bool
}

// AddKafkaFlags defines the Kafka flags on fs.
func AddKafkaFlags(fs *flag.FlagSet) *KafkaFlags {
	return &KafkaFlags{
		Brokers:      String(fs, "kafka-brokers", "", "comma-separated Kafka bootstrap brokers"),
		TLS:          Bool(fs, "kafka-tls", false, "connect to Kafka with TLS"),
		CAFile:       String(fs, "kafka-ca-file", "", "PEM CA bundle for Kafka TLS"),
		SASL:         String(fs, "kafka-sasl-mechanism", "", "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
		Username:     String(fs, "kafka-username", "", "SASL username"),
		PasswordFile: String(fs, "kafka-password-file", "", "file holding the SASL password (or set READOUT_KAFKA_PASSWORD)"),
	}
}

// Config resolves the flags into a bus.Config.
func (k *KafkaFlags) Config() (bus.Config, error) {
	env := map[string]string{
		"KAFKA_BROKERS":                *k.Brokers,
		"READOUT_KAFKA_CA_FILE":        *k.CAFile,
		"READOUT_KAFKA_SASL_MECHANISM": *k.SASL,
		"READOUT_KAFKA_USERNAME":       *k.Username,
		"READOUT_KAFKA_PASSWORD_FILE":  *k.PasswordFile,
		"READOUT_KAFKA_PASSWORD":       os.Getenv("READOUT_KAFKA_PASSWORD"),
	}
	if *k.TLS {
		env["READOUT_KAFKA_TLS"] = "true"
	}
	return bus.ConfigFromEnv(func(s string) string { return env[s] })
}

// Logger returns a zap logger: JSON when format is "json", console otherwise.
func Logger(format, level string) (*zap.Logger, error) {
	var cfg zap.Config
	if format == "json" {
		cfg = zap.NewProductionConfig()
	} else {
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
		cfg.EncoderConfig.EncodeLevel = zapcore.CapitalColorLevelEncoder
	}
	if level != "" {
		l, err := zapcore.ParseLevel(level)
		if err != nil {
			return nil, fmt.Errorf("log level: %w", err)
		}
		cfg.Level = zap.NewAtomicLevelAt(l)
	}
	cfg.OutputPaths = []string{"stderr"}
	return cfg.Build()
}

// SignalContext is cancelled on SIGINT or SIGTERM; a second signal exits at once.
func SignalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-ch
		fmt.Fprintf(os.Stderr, "received %s: shutting down (again to force)\n", s)
		cancel()
		<-ch
		os.Exit(130)
	}()
	return ctx, cancel
}

// Fatal prints err and exits 1.
func Fatal(prog string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
	os.Exit(1)
}
