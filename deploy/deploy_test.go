package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "regenerate deploy/k8s/prometheusrule.yaml, configmap-sources.yaml and dashboards/readout.json")

// decodeAll reads every YAML document of a file.
func decodeAll(t *testing.T, path string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs
}

func TestEveryFileParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".yml", ".yaml":
			if len(decodeAll(t, path)) == 0 {
				t.Errorf("%s: no YAML document", path)
			}
			n++
		case ".json":
			raw, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Errorf("parsed only %d files: is the walk looking in the right place?", n)
	}
}

// get walks a decoded YAML/JSON value by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v any, path ...any) []any {
	s, _ := get(v, path...).([]any)
	return s
}

func k8sDocs(t *testing.T) map[string][]map[string]any {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string][]map[string]any{}
	for _, f := range files {
		// The kustomization and the examples (created out of band) are not deployed objects.
		if base := filepath.Base(f); base == "kustomization.yaml" || strings.HasSuffix(base, ".example.yaml") {
			continue
		}
		for _, doc := range decodeAll(t, f) {
			for _, key := range []string{"apiVersion", "kind"} {
				if str(doc, key) == "" {
					t.Errorf("%s: a document without %s", f, key)
				}
			}
			if str(doc, "metadata", "name") == "" {
				t.Errorf("%s: %s without metadata.name", f, str(doc, "kind"))
			}
			byKind[str(doc, "kind")] = append(byKind[str(doc, "kind")], doc)
		}
	}
	return byKind
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	k := decodeAll(t, "k8s/kustomization.yaml")[0]
	var listed []string
	for _, r := range list(k, "resources") {
		listed = append(listed, r.(string))
		if _, err := os.Stat(filepath.Join("k8s", r.(string))); err != nil {
			t.Errorf("kustomization resource %v: %v", r, err)
		}
	}
	files, _ := filepath.Glob("k8s/*.yaml")
	for _, f := range files {
		base := filepath.Base(f)
		if base == "kustomization.yaml" || strings.HasSuffix(base, ".example.yaml") {
			continue
		}
		if !slices.Contains(listed, base) {
			t.Errorf("%s is not listed in kustomization.yaml", base)
		}
	}
}

func matches(selector, labels map[string]any) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestK8sDeployments(t *testing.T) {
	byKind := k8sDocs(t)
	deps := byKind["Deployment"]
	names := map[string]bool{}
	for _, d := range deps {
		name := str(d, "metadata", "name")
		names[name] = true
		t.Run(name, func(t *testing.T) {
			if str(d, "apiVersion") != "apps/v1" {
				t.Errorf("apiVersion %q", str(d, "apiVersion"))
			}
			sel, _ := get(d, "spec", "selector", "matchLabels").(map[string]any)
			tmplLabels, _ := get(d, "spec", "template", "metadata", "labels").(map[string]any)
			if !matches(sel, tmplLabels) {
				t.Errorf("selector %v does not match template labels %v", sel, tmplLabels)
			}
			pod := get(d, "spec", "template", "spec")
			if get(pod, "securityContext", "runAsNonRoot") != true {
				t.Error("pod securityContext.runAsNonRoot is not true")
			}
			if uid, _ := get(pod, "securityContext", "runAsUser").(int); uid == 0 {
				t.Error("pod runs as uid 0")
			}
			containers := list(pod, "containers")
			if len(containers) == 0 {
				t.Fatal("no containers")
			}
			volumes := map[string]bool{}
			for _, v := range list(pod, "volumes") {
				volumes[str(v, "name")] = true
			}
			for _, c := range containers {
				if str(c, "image") == "" {
					t.Error("container without image")
				}
				ports := list(c, "ports")
				if len(ports) == 0 || get(ports[0], "containerPort") == nil {
					t.Error("container without ports")
				}
				portNames := map[string]bool{}
				for _, p := range ports {
					portNames[str(p, "name")] = true
				}
				for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz"} {
					if got := str(c, probe, "httpGet", "path"); got != path {
						t.Errorf("%s path %q, want %q", probe, got, path)
					}
					if port := get(c, probe, "httpGet", "port"); port == nil || (fmt.Sprint(port) != fmt.Sprint(get(ports[0], "containerPort")) && !portNames[fmt.Sprint(port)]) {
						t.Errorf("%s port %v is not a container port", probe, port)
					}
				}
				for _, r := range []string{"requests", "limits"} {
					for _, res := range []string{"cpu", "memory"} {
						if get(c, "resources", r, res) == nil {
							t.Errorf("resources.%s.%s missing", r, res)
						}
					}
				}
				sc := get(c, "securityContext")
				if get(sc, "readOnlyRootFilesystem") != true || get(sc, "allowPrivilegeEscalation") != false {
					t.Errorf("container securityContext %v", sc)
				}
				if drops := list(sc, "capabilities", "drop"); len(drops) != 1 || drops[0] != "ALL" {
					t.Errorf("capabilities.drop %v", drops)
				}
				for _, m := range list(c, "volumeMounts") {
					if !volumes[str(m, "name")] {
						t.Errorf("volumeMount %s has no volume", str(m, "name"))
					}
				}
				env := map[string]any{}
				for _, e := range list(c, "env") {
					env[str(e, "name")] = e
				}
				for _, want := range []string{"KAFKA_BROKERS", "READOUT_HTTP_ADDR", "READOUT_KAFKA_TLS", "READOUT_KAFKA_SASL_MECHANISM", "READOUT_KAFKA_USERNAME", "READOUT_KAFKA_PASSWORD_FILE"} {
					if env[want] == nil {
						t.Errorf("env %s missing", want)
					}
				}
				if str(env["READOUT_KAFKA_USERNAME"], "valueFrom", "secretKeyRef", "name") != "readout-kafka-credentials" {
					t.Error("READOUT_KAFKA_USERNAME does not come from the readout-kafka-credentials Secret")
				}
				switch mech := str(env["READOUT_KAFKA_SASL_MECHANISM"], "value"); mech {
				case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
				default:
					t.Errorf("SASL mechanism %q", mech)
				}
			}
		})
	}
	for _, want := range []string{"readout-crawler", "readout-processor"} {
		if !names[want] {
			t.Errorf("no Deployment %s", want)
		}
	}

	podLabels := func() []map[string]any {
		var out []map[string]any
		for _, d := range deps {
			l, _ := get(d, "spec", "template", "metadata", "labels").(map[string]any)
			out = append(out, l)
		}
		return out
	}()
	selects := func(sel map[string]any) bool {
		return slices.ContainsFunc(podLabels, func(l map[string]any) bool { return matches(sel, l) })
	}
	for _, pdb := range byKind["PodDisruptionBudget"] {
		sel, _ := get(pdb, "spec", "selector", "matchLabels").(map[string]any)
		if !selects(sel) {
			t.Errorf("PDB %s selects no Deployment: %v", str(pdb, "metadata", "name"), sel)
		}
		if get(pdb, "spec", "minAvailable") == nil && get(pdb, "spec", "maxUnavailable") == nil {
			t.Errorf("PDB %s sets neither minAvailable nor maxUnavailable", str(pdb, "metadata", "name"))
		}
	}
	if len(byKind["PodDisruptionBudget"]) == 0 {
		t.Error("no PodDisruptionBudget")
	}
	for _, svc := range byKind["Service"] {
		sel, _ := get(svc, "spec", "selector").(map[string]any)
		if !selects(sel) {
			t.Errorf("Service %s selects no Deployment: %v", str(svc, "metadata", "name"), sel)
		}
	}
	if len(byKind["Service"]) != 3 {
		t.Errorf("%d Services, want 3 (crawler and processor admin, the feeds)", len(byKind["Service"]))
	}
}

// The ConfigMap carries configs/sources.yaml verbatim.
func TestK8sSourcesConfigMap(t *testing.T) {
	want := sourcesYAML(t)
	var cm map[string]any
	for _, c := range k8sDocs(t)["ConfigMap"] {
		if str(c, "metadata", "name") == "readout-sources" {
			cm = c
		}
	}
	if cm == nil {
		t.Fatal("no ConfigMap readout-sources")
	}
	got := str(cm, "data", "sources.yaml")
	if got != want {
		t.Errorf("ConfigMap sources.yaml differs from configs/sources.yaml; run go test ./deploy -update")
	}
	var parsed struct {
		Sources []struct {
			ID   string `yaml:"id"`
			Kind string `yaml:"kind"`
			URL  string `yaml:"url"`
		} `yaml:"sources"`
	}
	if err := yaml.Unmarshal([]byte(got), &parsed); err != nil {
		t.Fatalf("sources.yaml in the ConfigMap: %v", err)
	}
	if len(parsed.Sources) == 0 {
		t.Fatal("no sources in the ConfigMap")
	}
	for _, s := range parsed.Sources {
		if s.ID == "" || s.Kind == "" || s.URL == "" {
			t.Errorf("incomplete source %+v", s)
		}
	}
}

// minimalSources is used when configs/sources.yaml does not exist.
const minimalSources = `sources:
  - id: kremlin-en-news
    kind: feed
    url: http://en.kremlin.ru/events/president/news/feed
    lang: en
    publisher: kremlin.ru
    interval: 60s
`

func sourcesYAML(t *testing.T) string {
	raw, err := os.ReadFile("../configs/sources.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return minimalSources
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func rulesFile(t *testing.T) map[string]any {
	docs := decodeAll(t, "prometheus/readout.rules.yml")
	if len(docs) != 1 {
		t.Fatalf("readout.rules.yml: %d documents", len(docs))
	}
	return docs[0]
}

// The PrometheusRule embeds exactly the groups of readout.rules.yml.
func TestPrometheusRuleMatchesRulesFile(t *testing.T) {
	want := get(rulesFile(t), "groups")
	prs := k8sDocs(t)["PrometheusRule"]
	if len(prs) != 1 {
		t.Fatalf("%d PrometheusRules, want 1", len(prs))
	}
	if str(prs[0], "apiVersion") != "monitoring.coreos.com/v1" {
		t.Errorf("apiVersion %q", str(prs[0], "apiVersion"))
	}
	if got := get(prs[0], "spec", "groups"); !reflect.DeepEqual(got, want) {
		t.Errorf("PrometheusRule groups differ from prometheus/readout.rules.yml; run go test ./deploy -update")
	}
}

func TestAlertRules(t *testing.T) {
	tests, err := os.ReadFile("prometheus/readout.rules.test.yml")
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, g := range list(rulesFile(t), "groups") {
		for _, r := range list(g, "rules") {
			name := str(r, "alert")
			if name == "" {
				t.Errorf("group %s: a rule that is not an alert", str(g, "name"))
				continue
			}
			alerts = append(alerts, name)
			switch sev := str(r, "labels", "severity"); sev {
			case "critical", "warning", "info":
			default:
				t.Errorf("%s: severity %q", name, sev)
			}
			for _, a := range []string{"summary", "description", "runbook"} {
				if strings.TrimSpace(str(r, "annotations", a)) == "" {
					t.Errorf("%s: no %s annotation", name, a)
				}
			}
			if str(r, "expr") == "" {
				t.Errorf("%s: no expr", name)
			}
			// Every alert is unit-tested firing and not firing.
			var test struct {
				Tests []struct {
					AlertRuleTest []struct {
						Alertname string `yaml:"alertname"`
						ExpAlerts []any  `yaml:"exp_alerts"`
					} `yaml:"alert_rule_test"`
				} `yaml:"tests"`
			}
			if err := yaml.Unmarshal(tests, &test); err != nil {
				t.Fatal(err)
			}
			firing, silent := false, false
			for _, tc := range test.Tests {
				for _, a := range tc.AlertRuleTest {
					if a.Alertname == name {
						firing = firing || len(a.ExpAlerts) > 0
						silent = silent || len(a.ExpAlerts) == 0
					}
				}
			}
			if !firing || !silent {
				t.Errorf("%s: unit tests cover firing=%v, not firing=%v", name, firing, silent)
			}
		}
	}
	for _, want := range []string{"ReadoutCrawlerDown", "ReadoutProcessorDown", "ReadoutSourceFailing", "ReadoutSourceNoSuccess", "ReadoutSourceSilent",
		"ReadoutConsumerLagGrowing", "ReadoutCrawlerDeadLetters", "ReadoutProcessorDeadLetters", "ReadoutNoEvents", "ReadoutKafkaWriteErrors",
		"ReadoutWebhookDeadLetters", "ReadoutWebhookSubscriberFailing"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s", want)
		}
	}
}

// Job names used by up{} are the scrape jobs.
func TestScrapeJobs(t *testing.T) {
	prom := decodeAll(t, "prometheus/prometheus.yml")[0]
	var jobs []string
	for _, sc := range list(prom, "scrape_configs") {
		jobs = append(jobs, str(sc, "job_name"))
	}
	for _, j := range []string{"readout-crawler", "readout-processor"} {
		if !slices.Contains(jobs, j) {
			t.Errorf("prometheus.yml has no job %s", j)
		}
	}
}

// panel is a Grafana panel as far as the tests read it.
type panel struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Datasource struct {
		UID string `json:"uid"`
	} `json:"datasource"`
}

func dashboard(t *testing.T) (uid, title string, panels []panel) {
	t.Helper()
	raw, err := os.ReadFile("grafana/readout.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string  `json:"uid"`
		Title  string  `json:"title"`
		Panels []panel `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	return dash.UID, dash.Title, dash.Panels
}

func dashboardPanels(t *testing.T) []panel {
	_, _, p := dashboard(t)
	return p
}

func TestDashboard(t *testing.T) {
	uid, title, panels := dashboard(t)
	if uid == "" || title == "" {
		t.Error("dashboard without uid or title")
	}
	// The datasource is a variable: the dashboard works on any Grafana
	// (compose's provisioned Prometheus, a cluster's), whatever its uid.
	ds := decodeAll(t, "grafana/provisioning/datasources/prometheus.yaml")[0]
	if str(ds, "datasources", 0, "type") != "prometheus" {
		t.Errorf("compose provisions a %q datasource, want prometheus", str(ds, "datasources", 0, "type"))
	}
	const dsUID = "${datasource}"
	checkDatasourceVariable(t)
	ids := map[int]bool{}
	titles := map[string]bool{}
	for _, p := range panels {
		if ids[p.ID] {
			t.Errorf("duplicate panel id %d", p.ID)
		}
		ids[p.ID] = true
		titles[p.Title] = true
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		if p.Datasource.UID != dsUID {
			t.Errorf("panel %q uses datasource %q, provisioned is %q", p.Title, p.Datasource.UID, dsUID)
		}
		for _, tg := range p.Targets {
			// A sum of two vectors is empty ("No data") when either side has no
			// series: each side needs "or vector(0)".
			if n := len(sumOfSums.FindAllString(tg.Expr, -1)); n > 0 && strings.Count(tg.Expr, "or vector(0)") < n+1 {
				t.Errorf("panel %q adds aggregates without \"or vector(0)\": %s", p.Title, tg.Expr)
			}
		}
	}
	for _, want := range []string{"Dead letters (1h)", "Webhook deliveries", "Webhook pending", "Webhook dead letters"} {
		if !titles[want] {
			t.Errorf("no panel %q", want)
		}
	}
}

// sumOfSums matches "sum(...) + sum(...)" style additions of two aggregates.
var sumOfSums = regexp.MustCompile(`\)\s*\+\s*\(?\s*sum`)

// TestPromtool runs prometheus/test.sh: promtool check and unit tests of every alert.
func TestPromtool(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		_, aptErr := exec.LookPath("apt-get")
		if os.Geteuid() != 0 || aptErr != nil {
			t.Skip("promtool is not installed and cannot be installed here (needs root and apt-get); run deploy/prometheus/test.sh where it can")
		}
		t.Log("promtool missing: test.sh will install the Debian package prometheus")
	}
	cmd := exec.Command("bash", "prometheus/test.sh")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("prometheus/test.sh: %v", err)
	}
	if !bytes.Contains(out, []byte("SUCCESS")) {
		t.Error("promtool reported no SUCCESS")
	}
}

// TestGenerated keeps the generated k8s manifests in step with their sources;
// with -update it rewrites them.
func TestGenerated(t *testing.T) {
	for path, gen := range map[string]func(*testing.T) []byte{
		"k8s/prometheusrule.yaml":     genPrometheusRule,
		"k8s/configmap-sources.yaml":  genSourcesConfigMap,
		"k8s/dashboards/readout.json": genDashboardCopy,
	} {
		want := gen(t)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go test ./deploy -run TestGenerated -update", path)
		}
	}
}

func marshalYAML(t *testing.T, header string, v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func genPrometheusRule(t *testing.T) []byte {
	raw, err := os.ReadFile("prometheus/readout.rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rules yaml.Node
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	var groups *yaml.Node
	root := rules.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "groups" {
			groups = root.Content[i+1]
		}
	}
	if groups == nil {
		t.Fatal("readout.rules.yml has no groups")
	}
	clearComments(groups)
	doc := map[string]any{
		"apiVersion": "monitoring.coreos.com/v1",
		"kind":       "PrometheusRule",
		"metadata": map[string]any{
			"name":   "readout",
			"labels": map[string]any{"app.kubernetes.io/part-of": "readout", "role": "alert-rules"},
		},
		"spec": map[string]any{"groups": groups},
	}
	return marshalYAML(t, "# Generated from deploy/prometheus/readout.rules.yml by `go test ./deploy -run TestGenerated -update`.\n# Do not edit: edit the rules file and regenerate.\n", doc)
}

func clearComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		clearComments(c)
	}
}

// genDashboardCopy is the dashboard kustomize packages (it reads no file
// outside deploy/k8s): deploy/grafana/readout.json as it is.
func genDashboardCopy(t *testing.T) []byte {
	raw, err := os.ReadFile("grafana/readout.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func genSourcesConfigMap(t *testing.T) []byte {
	doc := map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata": map[string]any{
			"name":   "readout-sources",
			"labels": map[string]any{"app.kubernetes.io/part-of": "readout"},
		},
		"data": map[string]any{"sources.yaml": sourcesYAML(t)},
	}
	return marshalYAML(t, "# Generated from configs/sources.yaml by `go test ./deploy -run TestGenerated -update`.\n# Do not edit: edit configs/sources.yaml and regenerate.\n", doc)
}
