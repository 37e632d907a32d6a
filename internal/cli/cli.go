// Package cli holds what every Readout command shares: flags that fall back
// to environment variables of the same name, the build version, the zap
// logger, and signal handling.
//
// Every flag defined through String, Bool, Int or Duration has an environment
// twin named by EnvName (--http-addr ↔ READOUT_HTTP_ADDR). A value given on
// the command line wins over the environment, which wins over the default.
// The one conventional exception: --kafka-brokers also reads KAFKA_BROKERS
// when READOUT_KAFKA_BROKERS is not set. Every flag set that defines a flag
// through this package also answers --version (it has no environment twin).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/readout/readout/pkg/bus"
)

// EnvPrefix starts the name of every flag's environment twin.
const EnvPrefix = "READOUT_"

// conventionalEnv are environment names read after a flag's own twin, because
// tools and platforms set them by convention.
var conventionalEnv = map[string]string{
	"kafka-brokers": "KAFKA_BROKERS",
}

// EnvName is the environment variable twin of a flag: --http-addr → READOUT_HTTP_ADDR.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// EnvNames are the environment variables a flag reads, in order of precedence:
// its twin, then a conventional name if it has one (KAFKA_BROKERS).
func EnvNames(flagName string) []string {
	names := []string{EnvName(flagName)}
	if c, ok := conventionalEnv[flagName]; ok {
		names = append(names, c)
	}
	return names
}

// lookupEnv returns the first of a flag's environment variables that is set,
// and its name. Typed flags (not strings) treat an empty value as unset, so a
// compose file can write `READOUT_X: ""` to mean "the default".
func lookupEnv(flagName string, emptyIsUnset bool) (value, env string, ok bool) {
	for _, name := range EnvNames(flagName) {
		if v, set := os.LookupEnv(name); set && (v != "" || !emptyIsUnset) {
			return v, name, true
		}
	}
	return "", "", false
}

func usageWithEnv(flagName, usage string) string {
	return usage + " (env " + strings.Join(EnvNames(flagName), " or ") + ")"
}

// EnvError is an environment twin whose value does not parse as its flag's type.
type EnvError struct {
	Env, Flag, Value string
	Err              error
}

func (e *EnvError) Error() string {
	return fmt.Sprintf("invalid value %q for %s (flag --%s): %v", e.Value, e.Env, e.Flag, e.Err)
}

func (e *EnvError) Unwrap() error { return e.Err }

// want says what a flag of value v's type takes, to follow a parse error.
func want(v flag.Value) string {
	g, ok := v.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case time.Duration:
		return "want a duration with a unit, such as 30s, 5m or 1h30m"
	case int:
		return "want a whole number"
	case bool:
		return "want true or false"
	}
	return ""
}

// String defines a string flag whose default comes from its environment twin.
func String(fs *flag.FlagSet, name, def, usage string) *string {
	addVersionFlag(fs)
	if v, _, ok := lookupEnv(name, false); ok {
		def = v
	}
	return fs.String(name, def, usageWithEnv(name, usage))
}

// Bool defines a bool flag whose default comes from its environment twin
// (strconv.ParseBool: 1, t, true, 0, f, false, ...).
func Bool(fs *flag.FlagSet, name string, def bool, usage string) *bool {
	p := new(bool)
	fs.BoolVar(p, name, def, usageWithEnv(name, usage))
	applyEnv(fs, name)
	return p
}

// Int defines an int flag whose default comes from its environment twin.
func Int(fs *flag.FlagSet, name string, def int, usage string) *int {
	p := new(int)
	fs.IntVar(p, name, def, usageWithEnv(name, usage))
	applyEnv(fs, name)
	return p
}

// Duration defines a duration flag (time.ParseDuration) whose default comes
// from its environment twin.
func Duration(fs *flag.FlagSet, name string, def time.Duration, usage string) *time.Duration {
	p := new(time.Duration)
	fs.DurationVar(p, name, def, usageWithEnv(name, usage))
	applyEnv(fs, name)
	return p
}

// applyEnv sets the flag from its environment twin. An unparsable value is
// handled as the flag set handles a bad command-line value: print and exit 2
// (flag.ExitOnError), or panic with the *EnvError.
func applyEnv(fs *flag.FlagSet, name string) {
	addVersionFlag(fs)
	if err := setFromEnv(fs, name); err != nil {
		fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
		if fs.ErrorHandling() == flag.ExitOnError {
			os.Exit(2)
		}
		panic(err)
	}
}

// setFromEnv sets a defined flag from its environment twin, if set.
func setFromEnv(fs *flag.FlagSet, name string) error {
	v, env, ok := lookupEnv(name, true)
	if !ok {
		return nil
	}
	f := fs.Lookup(name)
	if err := f.Value.Set(v); err != nil {
		if w := want(f.Value); w != "" {
			err = errors.New(w) // the flag package's error says only "parse error"
		}
		return &EnvError{Env: env, Flag: name, Value: v, Err: err}
	}
	// What the environment says is the default the usage text shows.
	f.DefValue = f.Value.String()
	return nil
}

// KafkaFlags are the Kafka connection flags. Secrets come only from the
// environment (READOUT_KAFKA_PASSWORD) or a file (--kafka-password-file).
type KafkaFlags struct {
	Brokers, CAFile, SASL, Username, PasswordFile *string
	TLS, InsecurePlain                            *bool
}

// AddKafkaFlags defines the Kafka flags on fs.
func AddKafkaFlags(fs *flag.FlagSet) *KafkaFlags {
	return &KafkaFlags{
		Brokers:       String(fs, "kafka-brokers", "", "comma-separated Kafka bootstrap brokers"),
		TLS:           Bool(fs, "kafka-tls", false, "connect to Kafka with TLS"),
		CAFile:        String(fs, "kafka-ca-file", "", "PEM CA bundle for Kafka TLS"),
		SASL:          String(fs, "kafka-sasl-mechanism", "", "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
		Username:      String(fs, "kafka-username", "", "SASL username"),
		PasswordFile:  String(fs, "kafka-password-file", "", "file holding the SASL password (or set READOUT_KAFKA_PASSWORD)"),
		InsecurePlain: Bool(fs, "kafka-insecure-plain", false, "allow SASL PLAIN without TLS, which sends the password in clear text (a broker on localhost)"),
	}
}

// PasswordEnv holds the SASL password. It has no flag: a flag's value is
// visible to every user of the machine in the process list.
const PasswordEnv = "READOUT_KAFKA_PASSWORD"

// Config resolves the flags into a bus.Config.
func (k *KafkaFlags) Config() (bus.Config, error) {
	env := map[string]string{
		"KAFKA_BROKERS":                *k.Brokers,
		"READOUT_KAFKA_CA_FILE":        *k.CAFile,
		"READOUT_KAFKA_SASL_MECHANISM": *k.SASL,
		"READOUT_KAFKA_USERNAME":       *k.Username,
		"READOUT_KAFKA_PASSWORD_FILE":  *k.PasswordFile,
		PasswordEnv:                    os.Getenv(PasswordEnv),
	}
	if *k.TLS {
		env["READOUT_KAFKA_TLS"] = "true"
	}
	if *k.InsecurePlain {
		env["READOUT_KAFKA_INSECURE_PLAIN"] = "true"
	}
	return bus.ConfigFromEnv(func(s string) string { return env[s] })
}

// ConfigWithBrokers is Config for a command that cannot run without Kafka:
// no broker is an error that says how to name one.
func (k *KafkaFlags) ConfigWithBrokers() (bus.Config, error) {
	c, err := k.Config()
	if err == nil && len(c.Brokers) == 0 {
		err = fmt.Errorf("%w: set --kafka-brokers or KAFKA_BROKERS to the bootstrap brokers, e.g. 127.0.0.1:9092 "+
			"(`make run` starts the whole pipeline with an embedded Kafka)", bus.ErrNoBrokers)
	}
	return c, err
}

// PublicTokenEnv holds the bearer token of the public listener. It has no
// flag: a flag's value is visible to every user of the machine in the
// process list.
const PublicTokenEnv = "READOUT_PUBLIC_TOKEN"

// minTokenBytes is the shortest bearer token accepted: shorter ones are guessable.
const minTokenBytes = 16

// PublicFlags are the flags of the public listener, which serves the
// newsroom feeds. Its token comes only from the environment
// (READOUT_PUBLIC_TOKEN) or a file (--public-token-file).
type PublicFlags struct {
	Addr, TokenFile, BaseURL *string
	MaxConns                 *int
}

// AddPublicFlags defines the public listener's flags on fs; addr is the
// default address (loopback: containers set 0.0.0.0 explicitly).
func AddPublicFlags(fs *flag.FlagSet, addr string) *PublicFlags {
	return &PublicFlags{
		Addr: String(fs, "public-addr", addr, "address of the newsroom feeds (/events.atom, /events/stream and the output formats' JSON Lines feeds such as /events.plover.jsonl); empty: no feeds"),
		TokenFile: String(fs, "public-token-file", "", "file holding the bearer token readers of the feeds must send (or set "+PublicTokenEnv+
			"); neither: no authentication"),
		BaseURL:  String(fs, "public-base-url", "", "public base URL of the feeds (https://readout.example.org), for the Atom self link; empty: a relative link"),
		MaxConns: Int(fs, "public-max-conns", 256, "open connections the feeds accept; a request on one more is answered 503"),
	}
}

// Token returns the bearer token: READOUT_PUBLIC_TOKEN, else the contents of
// --public-token-file (a final newline dropped); "" when neither is set.
func (p *PublicFlags) Token() (string, error) {
	token, from := os.Getenv(PublicTokenEnv), PublicTokenEnv
	if token == "" {
		if *p.TokenFile == "" {
			return "", nil
		}
		b, err := os.ReadFile(*p.TokenFile)
		if err != nil {
			return "", fmt.Errorf("public token: %w", err)
		}
		token, from = strings.TrimRight(string(b), "\r\n"), *p.TokenFile
	}
	if len(token) < minTokenBytes || strings.ContainsFunc(token, unicode.IsSpace) {
		return "", fmt.Errorf("public token from %s: want at least %d bytes and no spaces", from, minTokenBytes)
	}
	return token, nil
}

// Logger returns a zap logger writing to standard error: JSON when format
// is "json", console when "console". Times are RFC 3339 with milliseconds
// and the UTC offset; console levels are coloured only on a terminal, and
// not when NO_COLOR is set.
func Logger(format, level string) (*zap.Logger, error) {
	var cfg zap.Config
	switch format {
	case "json":
		cfg = zap.NewProductionConfig()
	case "console":
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
		if colorTerminal(os.Stderr) {
			cfg.EncoderConfig.EncodeLevel = zapcore.CapitalColorLevelEncoder
		}
	default:
		return nil, fmt.Errorf("--log-format %q: want json or console", format)
	}
	cfg.EncoderConfig.EncodeTime = zapcore.TimeEncoderOfLayout("2006-01-02T15:04:05.000Z07:00")
	if level != "" {
		l, err := zapcore.ParseLevel(level)
		if err != nil {
			return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
		}
		cfg.Level = zap.NewAtomicLevelAt(l)
	}
	cfg.OutputPaths = []string{"stderr"}
	return cfg.Build()
}

// colorTerminal reports whether f is a terminal and NO_COLOR is unset
// (https://no-color.org).
func colorTerminal(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
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

// Fatal prints err after prog (once: not when err starts with it) and exits 1.
func Fatal(prog string, err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, prog+": ") {
		msg = prog + ": " + msg
	}
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

// Stopped is the error a command's run ends with: nil when ctx, a
// SignalContext, was cancelled and err only says so, so that a stop asked
// for by a signal exits 0 whether it came during start-up or later.
func Stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
