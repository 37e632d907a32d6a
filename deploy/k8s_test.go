package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/pkg/webhook"
)

// k8sObject is a manifest decoded into its API type.
type k8sObject struct {
	file, kind, name string
	obj              any
}

// kinds maps apiVersion/kind to a new value of its Go API type.
var kinds = map[string]func() any{
	"v1/Namespace":                            func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                               func() any { return &corev1.Secret{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"batch/v1/Job":                            func() any { return &batchv1.Job{} },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return &networkingv1.NetworkPolicy{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
	"monitoring.coreos.com/v1/PrometheusRule": func() any { return &monitoringv1.PrometheusRule{} },
}

// splitYAML splits a multi-document YAML stream into documents.
func splitYAML(raw []byte) ([][]byte, error) {
	var out [][]byte
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := yaml.Marshal(&node)
		if err != nil {
			return nil, err
		}
		if s := strings.TrimSpace(string(b)); s != "" && s != "null" {
			out = append(out, b)
		}
	}
}

// decodeManifests decodes every document into its Kubernetes API type,
// failing on unknown kinds, unknown or misspelt fields and values of the
// wrong type (quantities, ports, durations are parsed as the API server would).
func decodeManifests(where string, raw []byte) ([]k8sObject, error) {
	docs, err := splitYAML(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var out []k8sObject
	var errs []error
	for i, doc := range docs {
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := sigsyaml.Unmarshal(doc, &head); err != nil {
			errs = append(errs, fmt.Errorf("%s document %d: %w", where, i, err))
			continue
		}
		mk, ok := kinds[head.APIVersion+"/"+head.Kind]
		if !ok {
			errs = append(errs, fmt.Errorf("%s document %d: unknown kind %s/%s", where, i, head.APIVersion, head.Kind))
			continue
		}
		obj := mk()
		if err := sigsyaml.UnmarshalStrict(doc, obj); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %s does not match the API schema: %w", where, head.Kind, head.Metadata.Name, err))
			continue
		}
		for _, msg := range validation.IsDNS1123Subdomain(head.Metadata.Name) {
			errs = append(errs, fmt.Errorf("%s: %s name %q: %s", where, head.Kind, head.Metadata.Name, msg))
		}
		out = append(out, k8sObject{file: where, kind: head.Kind, name: head.Metadata.Name, obj: obj})
	}
	return out, errors.Join(errs...)
}

func decodeStrict(t *testing.T, where string, raw []byte) []k8sObject {
	t.Helper()
	objs, err := decodeManifests(where, raw)
	if err != nil {
		t.Error(err)
	}
	return objs
}

func k8sObjects(t *testing.T, pattern string) []k8sObject {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	var out []k8sObject
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, decodeStrict(t, f, raw)...)
	}
	return out
}

// Every manifest, examples included, is a valid object of its API type.
func TestK8sSchema(t *testing.T) {
	objs := k8sObjects(t, "k8s/*.yaml")
	count := map[string]int{}
	for _, o := range objs {
		count[o.kind]++
		switch v := o.obj.(type) {
		case *appsv1.Deployment:
			checkPodSpec(t, o.name, &v.Spec.Template.Spec, true)
		case *batchv1.Job:
			checkPodSpec(t, o.name, &v.Spec.Template.Spec, false)
		case *corev1.Service:
			for _, p := range v.Spec.Ports {
				if p.TargetPort.Type != intstr.String {
					t.Errorf("Service %s targets port %s, want a named container port", o.name, p.TargetPort.String())
				}
			}
		}
	}
	for kind, n := range map[string]int{"Namespace": 1, "ConfigMap": 3, "Secret": 3, "Service": 3, "Deployment": 2, "Job": 1,
		"PodDisruptionBudget": 1, "NetworkPolicy": 4, "ServiceMonitor": 1, "PrometheusRule": 1} {
		if count[kind] != n {
			t.Errorf("%d %s objects, want %d", count[kind], kind, n)
		}
	}
}

// checkPodSpec checks what the schema cannot: references inside the pod,
// and with probes (a Deployment's pod) its probes.
func checkPodSpec(t *testing.T, name string, pod *corev1.PodSpec, probes bool) {
	t.Helper()
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = true
	}
	for _, c := range pod.Containers {
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for probe, pr := range map[string]*corev1.Probe{"startup": c.StartupProbe, "liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if !probes {
				break
			}
			if pr == nil || pr.HTTPGet == nil {
				t.Errorf("%s: no HTTP %s probe", name, probe)
				continue
			}
			if !ports[pr.HTTPGet.Port.String()] {
				t.Errorf("%s: %s probe port %s is not a named container port", name, probe, pr.HTTPGet.Port.String())
			}
		}
		// The startup probe only needs the process: /healthz is served before Kafka is reached.
		if c.StartupProbe != nil && c.StartupProbe.HTTPGet != nil && c.StartupProbe.HTTPGet.Path != "/healthz" {
			t.Errorf("%s: startup probe on %s, want /healthz", name, c.StartupProbe.HTTPGet.Path)
		}
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				t.Errorf("%s: volumeMount %s has no volume", name, m.Name)
			}
		}
		for _, e := range c.Env {
			if !strings.HasPrefix(e.Name, cli.EnvPrefix) && e.Name != "KAFKA_BROKERS" && e.Name != "GOMEMLIMIT" {
				t.Errorf("%s: env %s is not a setting of the services", name, e.Name)
			}
			if (strings.Contains(e.Name, "PASSWORD") || strings.Contains(e.Name, "TOKEN")) && !strings.HasSuffix(e.Name, "_FILE") && e.ValueFrom == nil {
				t.Errorf("%s: %s is a literal value: secrets come from a Secret", name, e.Name)
			}
		}
	}
}

// The processor mounts the webhook subscribers and their secrets where the
// example puts them, and the example loads with the real loader.
func TestK8sWebhookMount(t *testing.T) {
	var dep *appsv1.Deployment
	var cm *corev1.ConfigMap
	var sec *corev1.Secret
	for _, o := range k8sObjects(t, "k8s/*.yaml") {
		switch v := o.obj.(type) {
		case *appsv1.Deployment:
			if o.name == "readout-processor" {
				dep = v
			}
		case *corev1.ConfigMap:
			if o.name == "readout-webhooks" {
				cm = v
			}
		case *corev1.Secret:
			if o.name == "readout-webhook-secrets" {
				sec = v
			}
		}
	}
	if dep == nil || cm == nil || sec == nil {
		t.Fatalf("processor Deployment %v, example ConfigMap %v, example Secret %v", dep != nil, cm != nil, sec != nil)
	}
	pod := dep.Spec.Template.Spec
	var mountPath string
	for _, m := range pod.Containers[0].VolumeMounts {
		if m.Name == "webhooks" {
			mountPath = m.MountPath
			if !m.ReadOnly {
				t.Error("webhooks volume is mounted writable")
			}
		}
	}
	var sources []corev1.VolumeProjection
	for _, v := range pod.Volumes {
		if v.Name == "webhooks" && v.Projected != nil {
			sources = v.Projected.Sources
		}
	}
	var fromCM, fromSecret bool
	for _, s := range sources {
		if s.ConfigMap != nil && s.ConfigMap.Name == cm.Name && s.ConfigMap.Optional != nil && *s.ConfigMap.Optional {
			fromCM = true
		}
		if s.Secret != nil && s.Secret.Name == sec.Name && s.Secret.Optional != nil && *s.Secret.Optional {
			fromSecret = true
		}
	}
	if mountPath == "" || !fromCM || !fromSecret {
		t.Fatalf("webhooks volume: mounted at %q, optional ConfigMap %s %v, optional Secret %s %v", mountPath, cm.Name, fromCM, sec.Name, fromSecret)
	}
	var hooksEnv *corev1.EnvVar
	for i, e := range pod.Containers[0].Env {
		if e.Name == cli.EnvName("webhooks") {
			hooksEnv = &pod.Containers[0].Env[i]
		}
	}
	if hooksEnv == nil || hooksEnv.Value != "" {
		t.Errorf("processor %s = %+v, want present and empty (webhooks off until configured)", cli.EnvName("webhooks"), hooksEnv)
	}
	// Materialize the projected volume as the kubelet would and load it.
	dir := t.TempDir()
	for k, v := range cm.Data {
		if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range sec.StringData {
		if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := cm.Data["webhooks.yaml"]; !ok {
		t.Fatal("the example ConfigMap has no webhooks.yaml")
	}
	subs, err := webhook.LoadConfig(filepath.Join(dir, "webhooks.yaml"), func(string) string { return "" })
	if err != nil || len(subs) == 0 {
		t.Fatalf("example subscribers: %d, %v", len(subs), err)
	}
	if !strings.Contains(commentOf(t, "k8s/webhooks.example.yaml"), cli.EnvName("webhooks")+"="+mountPath+"/webhooks.yaml") {
		t.Errorf("webhooks.example.yaml does not say to set %s=%s/webhooks.yaml", cli.EnvName("webhooks"), mountPath)
	}
}

func commentOf(t *testing.T, path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// `kubectl kustomize` renders the overlay, and every rendered object is
// valid, namespaced and labelled.
func TestKustomizeBuild(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: the kustomize build of deploy/k8s is not checked here (the manifests are still schema-checked by TestK8sSchema)")
	}
	cmd := exec.Command(kubectl, "kustomize", "k8s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kubectl kustomize k8s: %v\n%s", err, stderr.String())
	}
	objs := decodeStrict(t, "kubectl kustomize k8s", out)
	if len(objs) < 10 {
		t.Fatalf("kustomize rendered %d objects", len(objs))
	}
	for _, o := range objs {
		meta := metaOf(o.obj)
		if meta.labels["app.kubernetes.io/part-of"] != "readout" {
			t.Errorf("%s %s lacks the part-of label", o.kind, o.name)
		}
		if o.kind != "Namespace" && meta.namespace != "readout" {
			t.Errorf("%s %s is in namespace %q, want readout", o.kind, o.name, meta.namespace)
		}
		if d, ok := o.obj.(*appsv1.Deployment); ok {
			for _, c := range d.Spec.Template.Spec.Containers {
				if !strings.HasSuffix(c.Image, ":dev") {
					t.Errorf("Deployment %s image %q: the images: tag was not applied", o.name, c.Image)
				}
			}
		}
	}
}

type objMeta struct {
	namespace string
	labels    map[string]string
}

func metaOf(obj any) objMeta {
	type metaObject interface {
		GetNamespace() string
		GetLabels() map[string]string
	}
	if m, ok := obj.(metaObject); ok {
		return objMeta{namespace: m.GetNamespace(), labels: m.GetLabels()}
	}
	panic(fmt.Sprintf("%T has no object metadata", obj))
}

// The strict decoding fails on what it should.
func TestK8sSchemaCatchesMistakes(t *testing.T) {
	for name, doc := range map[string]string{
		"misspelt field": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 1}\n",
		"wrong type":     "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: http}]}\n",
		"bad quantity":   "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: c, resources: {limits: {cpu: lots}}}]}}}\n",
		"unknown kind":   "apiVersion: v1\nkind: Pdo\nmetadata: {name: x}\n",
		"bad name":       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Readout_Sources}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeManifests(name, []byte(doc)); err == nil {
				t.Errorf("accepted:\n%s", doc)
			} else {
				t.Log(err)
			}
		})
	}
}

// Listeners: each container binds its admin listener (READOUT_HTTP_ADDR) and
// the processor its public one (READOUT_PUBLIC_ADDR) on 0.0.0.0 explicitly,
// as the services default to loopback; each address's port is the named
// container port (admin, feeds) the probes, Services and ServiceMonitor use;
// no Service exposes the feeds together with an admin port, and only the
// admin ports are scraped.
func TestK8sListeners(t *testing.T) {
	deps := map[string]*appsv1.Deployment{}
	var svcs []*corev1.Service
	var monitors []*monitoringv1.ServiceMonitor
	for _, o := range k8sObjects(t, "k8s/*.yaml") {
		switch v := o.obj.(type) {
		case *appsv1.Deployment:
			deps[o.name] = v
		case *corev1.Service:
			svcs = append(svcs, v)
		case *monitoringv1.ServiceMonitor:
			monitors = append(monitors, v)
		}
	}
	listeners := map[string]map[string]string{ // deployment: env → named port
		"readout-crawler":   {cli.EnvName("http-addr"): "admin"},
		"readout-processor": {cli.EnvName("http-addr"): "admin", cli.EnvName("public-addr"): "feeds"},
	}
	for name, want := range listeners {
		dep := deps[name]
		if dep == nil {
			t.Fatalf("no Deployment %s", name)
		}
		c := dep.Spec.Template.Spec.Containers[0]
		ports := map[string]int32{}
		for _, p := range c.Ports {
			ports[p.Name] = p.ContainerPort
		}
		env := map[string]string{}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		for envName, port := range want {
			if got, want := env[envName], fmt.Sprintf("0.0.0.0:%d", ports[port]); ports[port] == 0 || got != want {
				t.Errorf("%s: %s = %q, want %q (container port %s)", name, envName, got, want, port)
			}
		}
		if len(ports) != len(want) {
			t.Errorf("%s: container ports %v, want one per listener %v", name, ports, want)
		}
		for probe, pr := range map[string]*corev1.Probe{"startup": c.StartupProbe, "liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if pr != nil && pr.HTTPGet != nil && pr.HTTPGet.Port.String() != "admin" {
				t.Errorf("%s: %s probe on port %s, want admin", name, probe, pr.HTTPGet.Port.String())
			}
		}
	}
	for _, svc := range svcs {
		var dep *appsv1.Deployment
		for _, d := range deps {
			if labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(d.Spec.Template.Labels)) {
				dep = d
			}
		}
		if dep == nil {
			t.Errorf("Service %s selects no Deployment", svc.Name)
			continue
		}
		targets := map[string]bool{}
		for _, p := range svc.Spec.Ports {
			targets[p.TargetPort.String()] = true
			if !slices.ContainsFunc(dep.Spec.Template.Spec.Containers[0].Ports, func(cp corev1.ContainerPort) bool {
				return cp.Name == p.TargetPort.String() && cp.ContainerPort == p.Port
			}) {
				t.Errorf("Service %s port %d → %s is not the same container port of %s", svc.Name, p.Port, p.TargetPort.String(), dep.Name)
			}
		}
		if targets["feeds"] && len(targets) > 1 {
			t.Errorf("Service %s exposes the feeds together with %v: the admin port would go wherever the feeds go", svc.Name, targets)
		}
	}
	if len(monitors) != 1 {
		t.Fatalf("%d ServiceMonitors", len(monitors))
	}
	for _, ep := range monitors[0].Spec.Endpoints {
		if ep.Port != "admin" || ep.Path != "/metrics" {
			t.Errorf("ServiceMonitor scrapes port %q path %q, want admin /metrics", ep.Port, ep.Path)
		}
	}
}
