package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestEnvName(t *testing.T) {
	for flagName, want := range map[string]string{
		"http-addr":           "READOUT_HTTP_ADDR",
		"sources":             "READOUT_SOURCES",
		"kafka-brokers":       "READOUT_KAFKA_BROKERS",
		"kafka-password-file": "READOUT_KAFKA_PASSWORD_FILE",
		"embedded-port":       "READOUT_EMBEDDED_PORT",
		"idle-exit":           "READOUT_IDLE_EXIT",
	} {
		if got := EnvName(flagName); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", flagName, got, want)
		}
	}
	if got := EnvNames("kafka-brokers"); !slices.Equal(got, []string{"READOUT_KAFKA_BROKERS", "KAFKA_BROKERS"}) {
		t.Errorf("EnvNames(kafka-brokers) = %v", got)
	}
	if got := EnvNames("group"); !slices.Equal(got, []string{"READOUT_GROUP"}) {
		t.Errorf("EnvNames(group) = %v", got)
	}
}

func newFS() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Precedence for every kind of flag: command line > environment > default.
func TestPrecedence(t *testing.T) {
	type values struct{ s, b, i, d string }
	get := func(t *testing.T, env map[string]string, args []string) values {
		t.Helper()
		for k, v := range env {
			t.Setenv(k, v)
		}
		fs := newFS()
		s := String(fs, "group", "def-group", "")
		b := Bool(fs, "kafka-tls", false, "")
		i := Int(fs, "embedded-port", 9092, "")
		d := Duration(fs, "idle-exit", 8*time.Second, "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return values{*s, strconv.FormatBool(*b), strconv.Itoa(*i), d.String()}
	}
	env := map[string]string{"READOUT_GROUP": "env-group", "READOUT_KAFKA_TLS": "true", "READOUT_EMBEDDED_PORT": "19093", "READOUT_IDLE_EXIT": "30s"}
	args := []string{"--group", "flag-group", "--kafka-tls=false", "--embedded-port", "29094", "--idle-exit", "1m"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want values
	}{
		{"default", nil, nil, values{"def-group", "false", "9092", "8s"}},
		{"environment over default", env, nil, values{"env-group", "true", "19093", "30s"}},
		{"flag over environment", env, args, values{"flag-group", "false", "29094", "1m0s"}},
		{"flag over default", nil, args, values{"flag-group", "false", "29094", "1m0s"}},
		// An empty typed value means "unset"; an empty string is a value.
		{"empty environment", map[string]string{"READOUT_GROUP": "", "READOUT_KAFKA_TLS": "", "READOUT_EMBEDDED_PORT": "", "READOUT_IDLE_EXIT": ""}, nil,
			values{"", "false", "9092", "8s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(t, tt.env, tt.args); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// KAFKA_BROKERS is the conventional exception: read when READOUT_KAFKA_BROKERS is not set.
func TestKafkaBrokersEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"conventional name", map[string]string{"KAFKA_BROKERS": "a:9092,b:9092"}, nil, []string{"a:9092", "b:9092"}},
		{"twin name", map[string]string{"READOUT_KAFKA_BROKERS": "c:9092"}, nil, []string{"c:9092"}},
		{"twin over conventional", map[string]string{"READOUT_KAFKA_BROKERS": "c:9092", "KAFKA_BROKERS": "a:9092"}, nil, []string{"c:9092"}},
		{"flag over both", map[string]string{"READOUT_KAFKA_BROKERS": "c:9092", "KAFKA_BROKERS": "a:9092"}, []string{"--kafka-brokers", "f:9092"}, []string{"f:9092"}},
		{"none", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KAFKA_BROKERS", "")
			os.Unsetenv("KAFKA_BROKERS")
			t.Setenv("READOUT_KAFKA_BROKERS", "")
			os.Unsetenv("READOUT_KAFKA_BROKERS")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs := newFS()
			kf := AddKafkaFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			c, err := kf.Config()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Brokers, tt.want) {
				t.Errorf("brokers %v, want %v", c.Brokers, tt.want)
			}
		})
	}
}

// The SASL password comes from the environment or a file, never from a flag.
func TestKafkaPassword(t *testing.T) {
	t.Setenv("READOUT_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
	t.Setenv("READOUT_KAFKA_USERNAME", "readout")
	t.Setenv(PasswordEnv, "from-env")
	fs := newFS()
	kf := AddKafkaFlags(fs)
	if fs.Lookup("kafka-password") != nil {
		t.Fatal("a --kafka-password flag exists: a password on the command line is visible in ps")
	}
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	c, err := kf.Config()
	if err != nil {
		t.Fatal(err)
	}
	if c.Password != "from-env" || c.Username != "readout" || c.SASLMechanism != "SCRAM-SHA-512" {
		t.Errorf("config %+v", c)
	}
	if strings.Contains(c.String(), "from-env") {
		t.Errorf("Config.String() shows the password: %s", c)
	}

	file := t.TempDir() + "/password"
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv(PasswordEnv)
	fs = newFS()
	kf = AddKafkaFlags(fs)
	if err := fs.Parse([]string{"--kafka-password-file", file}); err != nil {
		t.Fatal(err)
	}
	if c, err = kf.Config(); err != nil || c.Password != "from-file" {
		t.Errorf("password from file: %q, %v", c.Password, err)
	}
}

// SASL PLAIN without TLS is refused unless --kafka-insecure-plain (or
// READOUT_KAFKA_INSECURE_PLAIN) says so; the flag reaches the bus config.
func TestKafkaInsecurePlain(t *testing.T) {
	t.Setenv(PasswordEnv, "secret")
	for _, tt := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"--kafka-sasl-mechanism", "PLAIN", "--kafka-username", "u"}, false},
		{[]string{"--kafka-sasl-mechanism", "PLAIN", "--kafka-username", "u", "--kafka-insecure-plain"}, true},
		{[]string{"--kafka-sasl-mechanism", "PLAIN", "--kafka-username", "u", "--kafka-tls"}, true},
	} {
		fs := newFS()
		kf := AddKafkaFlags(fs)
		if err := fs.Parse(append([]string{"--kafka-brokers", "127.0.0.1:9092"}, tt.args...)); err != nil {
			t.Fatal(err)
		}
		_, err := kf.Config()
		if (err == nil) != tt.ok {
			t.Errorf("%v: err %v, want ok %v", tt.args, err, tt.ok)
		}
	}
}

func TestUsageNamesTheEnvironment(t *testing.T) {
	fs := newFS()
	var out bytes.Buffer
	fs.SetOutput(&out)
	String(fs, "http-addr", ":9101", "address")
	AddKafkaFlags(fs)
	fs.PrintDefaults()
	for _, want := range []string{"(env READOUT_HTTP_ADDR)", "(env READOUT_KAFKA_BROKERS or KAFKA_BROKERS)", "-version"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
}

// A value in the environment that does not parse is an error, as on the command line.
func TestBadEnvironmentValue(t *testing.T) {
	t.Setenv("READOUT_IDLE_EXIT", "soon")
	fs := newFS()
	fs.Duration("idle-exit", time.Second, "")
	err := setFromEnv(fs, "idle-exit")
	var ee *EnvError
	if !errors.As(err, &ee) || ee.Env != "READOUT_IDLE_EXIT" || ee.Flag != "idle-exit" || ee.Value != "soon" {
		t.Fatalf("err = %v", err)
	}
	// A ContinueOnError flag set cannot exit: it panics with the error.
	func() {
		defer func() {
			r := recover()
			if e, ok := r.(error); !ok || !errors.As(e, &ee) {
				t.Errorf("recovered %v, want an *EnvError", r)
			}
		}()
		Duration(newFS(), "idle-exit", time.Second, "")
		t.Error("no panic")
	}()
}

// helperProcess runs this test binary as a command with args and returns its
// standard output and exit code.
func helperProcess(t *testing.T, mode string, env ...string) (string, int) {
	t.Helper()
	stdout, _, code := runHelper(t, mode, env...)
	return stdout, code
}

// runHelper runs this test binary as a command, its standard error a pipe,
// and returns its standard output and error and its exit code.
func runHelper(t *testing.T, mode string, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(append(os.Environ(), "CLI_HELPER_MODE="+mode), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), 0
}

// TestHelperProcess is a command for the tests above, not a test.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("CLI_HELPER_MODE")
	if mode == "" {
		t.Skip("helper process for other tests")
	}
	Version = "v9.9.9-test"
	fs := flag.NewFlagSet("helper", flag.ExitOnError)
	String(fs, "http-addr", ":9101", "")
	Bool(fs, "kafka-tls", false, "")
	switch mode {
	case "version":
		_ = fs.Parse([]string{"--version"})
	case "log-json", "log-console":
		log, err := Logger(strings.TrimPrefix(mode, "log-"), "info")
		if err != nil {
			Fatal("helper", err)
		}
		log.Warn("kafka not ready; retrying")
		_ = log.Sync()
	case "fatal":
		Fatal("crawler", errors.New("crawler: source has no archive: x"))
	}
	os.Stdout.WriteString("no exit\n")
	os.Exit(0)
}

func TestVersionFlag(t *testing.T) {
	out, code := helperProcess(t, "version")
	if code != 0 || out != "v9.9.9-test\n" {
		t.Errorf("--version printed %q, exit %d; want the version and exit 0", out, code)
	}
}

func TestBadEnvironmentExits(t *testing.T) {
	out, code := helperProcess(t, "bad-env", "READOUT_KAFKA_TLS=maybe")
	if code != 2 || strings.Contains(out, "no exit") {
		t.Errorf("bad READOUT_KAFKA_TLS: exit %d, output %q; want exit 2 before anything runs", code, out)
	}
}

func TestBuildVersion(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "v1.2.3"
	if got := BuildVersion(); got != "v1.2.3" {
		t.Errorf("BuildVersion = %q", got)
	}
	Version = ""
	if got := BuildVersion(); got == "" {
		t.Error("BuildVersion is empty without a link-time version")
	}
}

// The public token comes from READOUT_PUBLIC_TOKEN or --public-token-file,
// never from a flag's value; a short or empty one is refused.
func TestPublicToken(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/token"
	if err := os.WriteFile(file, []byte("file-token-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := dir + "/empty"
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		env, file, want string
		fails           bool
	}{
		"none":       {},
		"file":       {file: file, want: "file-token-0123456789"},
		"env":        {env: "env-token-0123456789", want: "env-token-0123456789"},
		"env wins":   {env: "env-token-0123456789", file: file, want: "env-token-0123456789"},
		"short":      {env: "short", fails: true},
		"spaces":     {env: "token with spaces 0123456789", fails: true},
		"empty file": {file: empty, fails: true},
		"no file":    {file: dir + "/missing", fails: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(PublicTokenEnv, tc.env)
			fs := newFS()
			p := AddPublicFlags(fs, "127.0.0.1:0")
			if err := fs.Parse([]string{"--public-token-file", tc.file}); err != nil {
				t.Fatal(err)
			}
			got, err := p.Token()
			if (err != nil) != tc.fails || got != tc.want {
				t.Errorf("Token() = %q, %v; want %q, fails %v", got, err, tc.want, tc.fails)
			}
			if err != nil && tc.env != "" && strings.Contains(err.Error(), tc.env) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	fs := newFS()
	AddPublicFlags(fs, "")
	fs.VisitAll(func(f *flag.Flag) {
		if strings.Contains(f.Name, "token") && f.Name != "public-token-file" {
			t.Errorf("flag --%s: a token's value on the command line shows in ps", f.Name)
		}
	})
}
