package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/readout/readout/pkg/webhook"
)

// topic-init creates the topics with `readout topics create`, so they are
// the code's (bus.Topics.Specs) by construction; it reads the same topic
// settings as the services, which wait for it and create nothing themselves.
func TestComposeTopicInit(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	entry := list(services, "topic-init", "entrypoint")
	cmd := list(services, "topic-init", "command")
	if len(entry) != 1 || entry[0] != readoutBinary || len(cmd) != 2 || cmd[0] != "topics" || cmd[1] != "create" {
		t.Errorf("topic-init runs %v %v, want [%s] [topics create]", entry, cmd, readoutBinary)
	}
	target := str(services, "topic-init", "build", "target")
	if !imageHasReadout(t, target) {
		t.Errorf("topic-init runs %s of the Dockerfile target %q, which does not contain it (go build ./cmd/readout, COPY to %s)", readoutBinary, target, readoutBinary)
	}
	initEnv, _ := get(services, "topic-init", "environment").(map[string]any)
	for _, name := range []string{"crawler", "processor"} {
		env, _ := get(services, name, "environment").(map[string]any)
		if env["READOUT_CREATE_TOPICS"] != "false" {
			t.Errorf("%s READOUT_CREATE_TOPICS = %v, want \"false\": topic-init creates the topics", name, env["READOUT_CREATE_TOPICS"])
		}
		for _, k := range []string{"KAFKA_BROKERS", "READOUT_TOPIC_PREFIX", "READOUT_TOPIC_PARTITIONS", "READOUT_TOPIC_REPLICATION"} {
			if _, ok := env[k]; !ok || env[k] != initEnv[k] {
				t.Errorf("%s %s = %v, topic-init's %v: both must name the same topics", name, k, env[k], initEnv[k])
			}
		}
	}
}

// readoutBinary is where the images hold `readout` (topics, health).
const readoutBinary = "/usr/local/bin/readout"

// imageHasReadout reports whether the Dockerfile builds ./cmd/readout and
// copies it into target's stage.
func imageHasReadout(t *testing.T, target string) bool {
	t.Helper()
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	if !strings.Contains(df, "./cmd/readout") {
		return false
	}
	_, stage, ok := strings.Cut(df, " AS "+target+"\n")
	if !ok {
		return false
	}
	stage, _, _ = strings.Cut(stage, "\nFROM ")
	return regexp.MustCompile(`(?m)^COPY .*\s` + regexp.QuoteMeta(readoutBinary) + `$`).MatchString(stage)
}

// The broker of compose is the Kafka version the tests run against.
func TestComposeKafkaVersion(t *testing.T) {
	pom, err := os.ReadFile("kafka/pom.xml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<kafka.version>([^<]+)</kafka.version>`).FindSubmatch(pom)
	if m == nil {
		t.Fatal("deploy/kafka/pom.xml names no kafka.version")
	}
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	if img, want := str(services, "kafka", "image"), "apache/kafka:"+string(m[1]); img != want {
		t.Errorf("compose runs %s, the tests prove %s", img, want)
	}
}

// Crawler and processor have a healthcheck on their own /readyz (through
// `readout health`: the images have no shell), and a memory limit with
// GOMEMLIMIT at about 90 % of it.
func TestComposeHealthAndMemory(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	for _, name := range []string{"crawler", "processor"} {
		addr := str(services, name, "environment", "READOUT_HTTP_ADDR")
		_, port, _ := strings.Cut(addr, ":")
		test := list(services, name, "healthcheck", "test")
		want := []any{"CMD", readoutBinary, "health", "http://127.0.0.1:" + port + "/readyz"}
		if !slices.Equal(test, want) {
			t.Errorf("%s healthcheck %v, want %v", name, test, want)
		}
		if target := str(services, name, "build", "target"); !imageHasReadout(t, target) {
			t.Errorf("%s healthcheck runs %s, which the Dockerfile target %q does not contain", name, readoutBinary, target)
		}
		if str(services, name, "healthcheck", "interval") == "" {
			t.Errorf("%s healthcheck without interval", name)
		}
		limit, err := dockerBytes(str(services, name, "mem_limit"))
		if err != nil {
			t.Errorf("%s mem_limit: %v", name, err)
			continue
		}
		checkGoMemLimit(t, name, str(services, name, "environment", "GOMEMLIMIT"), limit)
	}
}

// dockerBytes parses a compose memory size: 512m, 1g (binary units).
func dockerBytes(s string) (int64, error) {
	units := map[string]int64{"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
	s = strings.ToLower(strings.TrimSpace(s))
	for suffix, mult := range units {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			return v * mult, err
		}
	}
	return 0, fmt.Errorf("%q is not a memory size (512m, 1g)", s)
}

// checkGoMemLimit checks that GOMEMLIMIT (Go's syntax: 460MiB) is 85-95 % of limit bytes.
func checkGoMemLimit(t *testing.T, where, gomemlimit string, limit int64) {
	t.Helper()
	m := regexp.MustCompile(`^(\d+)(B|KiB|MiB|GiB)$`).FindStringSubmatch(gomemlimit)
	if m == nil {
		t.Errorf("%s: GOMEMLIMIT %q, want about 90 %% of the memory limit (%d bytes) in Go's syntax, e.g. 460MiB", where, gomemlimit, limit)
		return
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	n *= map[string]int64{"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[m[2]]
	if r := float64(n) / float64(limit); r < 0.85 || r > 0.95 {
		t.Errorf("%s: GOMEMLIMIT %s is %.0f %% of the memory limit, want about 90 %%", where, gomemlimit, 100*r)
	}
}

func TestCompose(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	for _, want := range []string{"kafka", "topic-init", "crawler", "processor", "prometheus", "grafana"} {
		if services[want] == nil {
			t.Errorf("no service %s", want)
		}
	}
	if img := str(services, "kafka", "image"); !strings.HasPrefix(img, "apache/kafka:") {
		t.Errorf("kafka image %q", img)
	}
	if roles := str(services, "kafka", "environment", "KAFKA_PROCESS_ROLES"); roles != "broker,controller" {
		t.Errorf("kafka is not a KRaft combined node: %q", roles)
	}
	if id := str(services, "kafka", "environment", "CLUSTER_ID"); len(id) != 22 {
		t.Errorf("CLUSTER_ID %q is not 16 bytes base64url", id)
	}
	for _, name := range []string{"crawler", "processor"} {
		if str(services, name, "build", "target") != name {
			t.Errorf("%s builds target %q", name, str(services, name, "build", "target"))
		}
		if str(services, name, "depends_on", "topic-init", "condition") != "service_completed_successfully" {
			t.Errorf("%s does not wait for topic-init", name)
		}
	}
	// yaml.v3 applies the x-readout-env merge key: KAFKA_BROKERS reaches both services.
	if str(services, "crawler", "environment", "KAFKA_BROKERS") != "kafka:9092" {
		t.Errorf("crawler KAFKA_BROKERS %q", str(services, "crawler", "environment", "KAFKA_BROKERS"))
	}
	// Every bind mount points at a file of the repository.
	for name := range services {
		for _, v := range list(services, name, "volumes") {
			src, _, _ := strings.Cut(v.(string), ":")
			if !strings.HasPrefix(src, ".") {
				continue // a named volume
			}
			if _, err := os.Stat(filepath.Join("compose", src)); err != nil {
				t.Errorf("%s mounts %s: %v", name, src, err)
			}
		}
	}
}

// Webhooks are configured in compose as an example, disabled by default:
// READOUT_WEBHOOKS is empty unless set, the example subscribers file is
// mounted where the comment says, and it loads with the real loader.
func TestComposeWebhookExample(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	env, _ := get(services, "processor", "environment").(map[string]any)
	hooks, ok := env["READOUT_WEBHOOKS"].(string)
	if !ok {
		t.Fatal("processor has no READOUT_WEBHOOKS")
	}
	if hooks != "${READOUT_WEBHOOKS:-}" {
		t.Errorf("READOUT_WEBHOOKS = %q, want ${READOUT_WEBHOOKS:-} (off unless set)", hooks)
	}
	const target = "/etc/readout/webhooks.yaml"
	var src string
	for _, v := range list(services, "processor", "volumes") {
		parts := strings.Split(v.(string), ":")
		if len(parts) >= 2 && parts[1] == target {
			src = parts[0]
		}
	}
	if src == "" {
		t.Fatalf("the processor does not mount the example subscribers at %s", target)
	}
	raw, err := os.ReadFile(filepath.Join("compose", src))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "READOUT_WEBHOOKS="+target) {
		t.Errorf("%s does not say how to enable it (READOUT_WEBHOOKS=%s)", src, target)
	}
	subs, err := webhook.LoadConfig(filepath.Join("compose", src), func(name string) string {
		if _, ok := env[name]; !ok {
			t.Errorf("the example reads secret env %s, which compose does not pass to the processor", name)
		}
		return "example-secret"
	})
	if err != nil || len(subs) == 0 {
		t.Fatalf("example subscribers: %d, %v", len(subs), err)
	}
}

// The services listen on loopback unless told otherwise: compose binds each
// listener on 0.0.0.0 explicitly, publishes the admin ports (no
// authentication) on the host's loopback only and the feeds on the host,
// and Prometheus scrapes exactly the admin listeners.
func TestComposeListeners(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	prom := decodeAll(t, "prometheus/prometheus.yml")[0]
	var targets []string
	for _, sc := range list(prom, "scrape_configs") {
		if strings.HasPrefix(str(sc, "job_name"), "readout-") {
			for _, sc := range list(sc, "static_configs") {
				for _, tg := range list(sc, "targets") {
					targets = append(targets, tg.(string))
				}
			}
		}
	}
	var admins []string
	for name, want := range map[string]map[string]string{
		"crawler":   {"READOUT_HTTP_ADDR": "0.0.0.0:9101"},
		"processor": {"READOUT_HTTP_ADDR": "0.0.0.0:9102", "READOUT_PUBLIC_ADDR": "0.0.0.0:8102"},
	} {
		env := get(services, name, "environment")
		var published []string
		for _, p := range list(services, name, "ports") {
			published = append(published, p.(string))
		}
		for envName, addr := range want {
			if got := str(env, envName); got != addr {
				t.Errorf("%s %s = %q, want %q", name, envName, got, addr)
			}
			port := strings.TrimPrefix(addr, "0.0.0.0:")
			wantPublished := port + ":" + port
			if envName == "READOUT_HTTP_ADDR" {
				wantPublished = "127.0.0.1:" + wantPublished
				admins = append(admins, name+":"+port)
			}
			if !slices.Contains(published, wantPublished) {
				t.Errorf("%s publishes %v, want %q", name, published, wantPublished)
			}
		}
		if len(published) != len(want) {
			t.Errorf("%s publishes %v: one port per listener", name, published)
		}
	}
	slices.Sort(admins)
	slices.Sort(targets)
	if !slices.Equal(admins, targets) {
		t.Errorf("prometheus.yml scrapes %v, want the admin listeners %v", targets, admins)
	}
	if base := str(services, "processor", "environment", "READOUT_PUBLIC_BASE_URL"); !strings.Contains(base, "http://localhost:8102") {
		t.Errorf("processor READOUT_PUBLIC_BASE_URL %q: the feeds' URL on the host", base)
	}
}
