package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/webhook"
)

// composeTopic is one `create NAME PARTITIONS POLICY [--config k=v]...` line of topic-init.
type composeTopic struct {
	partitions int
	policy     string
	configs    map[string]string
}

var createLine = regexp.MustCompile(`(?m)^\s*create\s+(\S+)\s+(\d+)\s+(\w+)(.*)$`)
var configArg = regexp.MustCompile(`--config\s+([\w.]+)=(\S+)`)

func composeTopics(t *testing.T, services map[string]any) map[string]composeTopic {
	t.Helper()
	var lines []string
	for _, c := range list(services, "topic-init", "command") {
		lines = append(lines, c.(string))
	}
	script := strings.Join(lines, "\n")
	if !strings.Contains(script, "--if-not-exists") || !strings.Contains(script, `cleanup.policy=$$3`) {
		t.Error("topic-init is not idempotent or does not set cleanup.policy")
	}
	out := map[string]composeTopic{}
	for _, m := range createLine.FindAllStringSubmatch(script, -1) {
		n, _ := strconv.Atoi(m[2])
		ct := composeTopic{partitions: n, policy: m[3], configs: map[string]string{}}
		for _, c := range configArg.FindAllStringSubmatch(m[4], -1) {
			ct.configs[c[1]] = c[2]
		}
		if _, dup := out[m[1]]; dup {
			t.Errorf("topic-init creates %s twice", m[1])
		}
		out[m[1]] = ct
	}
	return out
}

// topic-init creates exactly the topics the services create at start
// (service.TopicSpecs), with their partitions, cleanup policy and retention.
func TestComposeTopicsAreTheCodes(t *testing.T) {
	doc := decodeAll(t, "compose/docker-compose.yml")[0]
	services, _ := get(doc, "services").(map[string]any)
	got := composeTopics(t, services)
	specs := service.TopicSpecs(bus.DefaultTopicNames(), 0)
	if len(specs) < 8 {
		t.Fatalf("%d topic specs from the code", len(specs))
	}
	for _, s := range specs {
		ct, ok := got[s.Name]
		if !ok {
			t.Errorf("topic-init does not create %s", s.Name)
			continue
		}
		delete(got, s.Name)
		policy := "delete"
		if s.Compact {
			policy = "compact"
		}
		if ct.partitions != s.Partitions {
			t.Errorf("%s: %d partitions, the code creates %d", s.Name, ct.partitions, s.Partitions)
		}
		if ct.policy != policy {
			t.Errorf("%s: cleanup.policy %s, the code sets %s", s.Name, ct.policy, policy)
		}
		if ct.configs["retention.ms"] != s.Retention {
			t.Errorf("%s: retention.ms %q, the code sets %q", s.Name, ct.configs["retention.ms"], s.Retention)
		}
	}
	for name := range got {
		t.Errorf("topic-init creates %s, which the services do not use", name)
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
