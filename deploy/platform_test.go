package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/readout/readout/internal/cli"
)

// platform is the decoded deploy/k8s objects a platform team reviews.
type platform struct {
	deps     map[string]*appsv1.Deployment
	jobs     []*batchv1.Job
	pdbs     []*policyv1.PodDisruptionBudget
	policies []*networkingv1.NetworkPolicy
	cms      map[string]*corev1.ConfigMap
}

func loadPlatform(t *testing.T) platform {
	t.Helper()
	p := platform{deps: map[string]*appsv1.Deployment{}, cms: map[string]*corev1.ConfigMap{}}
	for _, o := range k8sObjects(t, "k8s/*.yaml") {
		switch v := o.obj.(type) {
		case *appsv1.Deployment:
			p.deps[o.name] = v
		case *batchv1.Job:
			p.jobs = append(p.jobs, v)
		case *policyv1.PodDisruptionBudget:
			p.pdbs = append(p.pdbs, v)
		case *networkingv1.NetworkPolicy:
			p.policies = append(p.policies, v)
		case *corev1.ConfigMap:
			p.cms[o.name] = v
		}
	}
	return p
}

// Every PDB protects something: it selects a Deployment of two or more
// replicas, keeps at least one available and still lets a drain evict one.
func TestK8sPDBProtects(t *testing.T) {
	p := loadPlatform(t)
	for _, pdb := range p.pdbs {
		var dep *appsv1.Deployment
		for _, d := range p.deps {
			if labels.SelectorFromSet(pdb.Spec.Selector.MatchLabels).Matches(labels.Set(d.Spec.Template.Labels)) {
				dep = d
			}
		}
		if dep == nil {
			t.Errorf("PDB %s selects no Deployment", pdb.Name)
			continue
		}
		replicas := int(*dep.Spec.Replicas)
		var keep int
		switch {
		case pdb.Spec.MinAvailable != nil:
			keep, _ = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, replicas, true)
		case pdb.Spec.MaxUnavailable != nil:
			n, _ := intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, replicas, false)
			keep = replicas - n
		}
		if keep < 1 || keep >= replicas {
			t.Errorf("PDB %s keeps %d of the %d replicas of %s available: want at least one kept and one evictable", pdb.Name, keep, replicas, dep.Name)
		}
	}
	if len(p.pdbs) == 0 {
		t.Error("no PodDisruptionBudget")
	}
}

// The topic Job runs `readout topics create` from an image that holds it,
// with the topic settings the Deployments read; the Deployments create no
// topics, and its Kafka user is not theirs.
func TestK8sTopicJob(t *testing.T) {
	p := loadPlatform(t)
	if len(p.jobs) != 1 {
		t.Fatalf("%d Jobs, want the topic Job", len(p.jobs))
	}
	job := p.jobs[0]
	c := job.Spec.Template.Spec.Containers[0]
	if want := []string{readoutBinary, "topics", "create"}; !slices.Equal(append(c.Command, c.Args...), want) {
		t.Errorf("Job %s runs %v %v, want %v", job.Name, c.Command, c.Args, want)
	}
	target := strings.TrimPrefix(strings.Split(c.Image, ":")[0], "readout/")
	if !imageHasReadout(t, target) {
		t.Errorf("Job image %s: its Dockerfile target %q does not contain %s", c.Image, target, readoutBinary)
	}
	if job.Spec.TTLSecondsAfterFinished == nil {
		t.Error("the Job is never deleted: a later apply with another image would fail (a Job's template is immutable)")
	}
	topicsCM := envFromConfigMaps(c)
	if len(topicsCM) != 1 || p.cms[topicsCM[0]] == nil {
		t.Fatalf("Job reads topic settings from ConfigMaps %v, want one of deploy/k8s", topicsCM)
	}
	for key := range p.cms[topicsCM[0]].Data {
		if !strings.HasPrefix(key, cli.EnvName("topic-")) {
			t.Errorf("ConfigMap %s holds %s, not a topic setting", topicsCM[0], key)
		}
	}
	jobUser := envSecret(c, "READOUT_KAFKA_USERNAME")
	for name, d := range p.deps {
		dc := d.Spec.Template.Spec.Containers[0]
		if got := envFromConfigMaps(dc); !slices.Equal(got, topicsCM) {
			t.Errorf("%s reads topic settings from %v, the Job from %v", name, got, topicsCM)
		}
		if v := envValue(dc, cli.EnvName("create-topics")); v != "false" {
			t.Errorf("%s %s = %q, want \"false\": the Job creates the topics", name, cli.EnvName("create-topics"), v)
		}
		if envSecret(dc, "READOUT_KAFKA_USERNAME") == jobUser {
			t.Errorf("%s and the topic Job share the Kafka user of Secret %s: the services need no Create permission", name, jobUser)
		}
	}
}

func envFromConfigMaps(c corev1.Container) []string {
	var out []string
	for _, e := range c.EnvFrom {
		if e.ConfigMapRef != nil {
			out = append(out, e.ConfigMapRef.Name)
		}
	}
	return out
}

func envValue(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func envSecret(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			return e.ValueFrom.SecretKeyRef.Name
		}
	}
	return ""
}

// GOMEMLIMIT is about 90 % of each container's memory limit.
func TestK8sGoMemLimit(t *testing.T) {
	p := loadPlatform(t)
	pods := map[string]corev1.PodSpec{}
	for name, d := range p.deps {
		pods[name] = d.Spec.Template.Spec
	}
	for _, j := range p.jobs {
		pods[j.Name] = j.Spec.Template.Spec
	}
	for name, pod := range pods {
		for _, c := range pod.Containers {
			limit := c.Resources.Limits.Memory()
			if limit.IsZero() {
				t.Errorf("%s/%s: no memory limit", name, c.Name)
				continue
			}
			checkGoMemLimit(t, name+"/"+c.Name, envValue(c, "GOMEMLIMIT"), limit.Value())
		}
	}
}

// The network policies: default deny; every Readout pod reaches DNS and the
// Kafka of its KAFKA_BROKERS; only the crawler reaches the internet, on 80
// and 443; the admin ports take connections from the monitoring namespace
// only, the feeds port from anyone.
func TestK8sNetworkPolicy(t *testing.T) {
	p := loadPlatform(t)
	denyAll := false
	for _, np := range p.policies {
		if len(np.Spec.PodSelector.MatchLabels) == 0 && len(np.Spec.PodSelector.MatchExpressions) == 0 &&
			len(np.Spec.Ingress) == 0 && len(np.Spec.Egress) == 0 && len(np.Spec.PolicyTypes) == 2 {
			denyAll = true
		}
	}
	if !denyAll {
		t.Error("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)")
	}
	pods := map[string]*corev1.PodTemplateSpec{}
	for name, d := range p.deps {
		pods[name] = &d.Spec.Template
	}
	for _, j := range p.jobs {
		pods[j.Name] = &j.Spec.Template
	}
	for name, pod := range pods {
		c := pod.Spec.Containers[0]
		host, port, _ := strings.Cut(envValue(c, "KAFKA_BROKERS"), ":")
		kafkaNS := strings.Split(host, ".")[1] // name.namespace.svc
		egress := egressOf(p.policies, pod.Labels)
		if !allowsEgress(egress, "kube-system", "53", corev1.ProtocolUDP) || !allowsEgress(egress, "kube-system", "53", corev1.ProtocolTCP) {
			t.Errorf("%s: no egress to DNS (kube-system, 53 UDP and TCP)", name)
		}
		if !allowsEgress(egress, kafkaNS, port, corev1.ProtocolTCP) {
			t.Errorf("%s: no egress to Kafka (namespace %s, port %s)", name, kafkaNS, port)
		}
		internet := allowsEgress(egress, "", "443", corev1.ProtocolTCP) && allowsEgress(egress, "", "80", corev1.ProtocolTCP)
		if internet != (name == "readout-crawler") {
			t.Errorf("%s: egress to the internet on 80 and 443 is %v, want it for the crawler only", name, internet)
		}
		for _, cp := range c.Ports {
			checkIngress(t, name, cp.Name, ingressOf(p.policies, pod.Labels, cp))
		}
	}
}

func checkIngress(t *testing.T, pod, port string, from [][]networkingv1.NetworkPolicyPeer) {
	t.Helper()
	if len(from) == 0 {
		t.Errorf("%s: port %s takes no connections", pod, port)
	}
	for _, peers := range from {
		open := len(peers) == 0
		onlyMonitoring := !open
		for _, peer := range peers {
			if peer.NamespaceSelector == nil || peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] != "monitoring" || peer.IPBlock != nil {
				onlyMonitoring = false
			}
		}
		switch port {
		case "admin":
			if !onlyMonitoring {
				t.Errorf("%s: the admin port takes connections from %v, want the monitoring namespace only", pod, peers)
			}
		case "feeds":
			if !open {
				t.Errorf("%s: the feeds port takes connections only from %v, want anyone", pod, peers)
			}
		}
	}
}

// egressOf returns the egress rules of the policies that select a pod.
func egressOf(policies []*networkingv1.NetworkPolicy, podLabels map[string]string) []networkingv1.NetworkPolicyEgressRule {
	var out []networkingv1.NetworkPolicyEgressRule
	for _, np := range policies {
		if selects(np, podLabels) {
			out = append(out, np.Spec.Egress...)
		}
	}
	return out
}

// ingressOf returns the peers of each ingress rule that admits port cp.
func ingressOf(policies []*networkingv1.NetworkPolicy, podLabels map[string]string, cp corev1.ContainerPort) [][]networkingv1.NetworkPolicyPeer {
	var out [][]networkingv1.NetworkPolicyPeer
	for _, np := range policies {
		if !selects(np, podLabels) {
			continue
		}
		for _, r := range np.Spec.Ingress {
			if slices.ContainsFunc(r.Ports, func(p networkingv1.NetworkPolicyPort) bool {
				return p.Port != nil && (p.Port.String() == cp.Name || p.Port.IntValue() == int(cp.ContainerPort))
			}) {
				out = append(out, r.From)
			}
		}
	}
	return out
}

func selects(np *networkingv1.NetworkPolicy, podLabels map[string]string) bool {
	sel := labels.SelectorFromSet(np.Spec.PodSelector.MatchLabels)
	return len(np.Spec.PodSelector.MatchLabels) > 0 && sel.Matches(labels.Set(podLabels))
}

// allowsEgress reports whether a rule admits port/proto to namespace ns, or
// with ns "" to public addresses (an ipBlock of 0.0.0.0/0).
func allowsEgress(rules []networkingv1.NetworkPolicyEgressRule, ns, port string, proto corev1.Protocol) bool {
	for _, r := range rules {
		if !slices.ContainsFunc(r.Ports, func(p networkingv1.NetworkPolicyPort) bool {
			return p.Port != nil && p.Port.String() == port && (p.Protocol == nil || *p.Protocol == proto)
		}) {
			continue
		}
		if slices.ContainsFunc(r.To, func(peer networkingv1.NetworkPolicyPeer) bool {
			if ns == "" {
				return peer.IPBlock != nil && peer.IPBlock.CIDR == "0.0.0.0/0"
			}
			return peer.NamespaceSelector != nil && peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == ns
		}) {
			return true
		}
	}
	return false
}

// kustomize packages the Grafana dashboard as a ConfigMap the Grafana
// sidecar loads: labelled grafana_dashboard "1", holding readout.json as it is.
func TestKustomizeDashboard(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: the kustomize build of deploy/k8s is not checked here")
	}
	out, err := exec.Command(kubectl, "kustomize", "k8s").Output()
	if err != nil {
		t.Fatalf("kubectl kustomize k8s: %v", err)
	}
	want, err := os.ReadFile("grafana/readout.json")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range decodeStrict(t, "kubectl kustomize k8s", out) {
		cm, ok := o.obj.(*corev1.ConfigMap)
		if !ok || cm.Labels["grafana_dashboard"] != "1" {
			continue
		}
		found = true
		if got := cm.Data["readout.json"]; !bytes.Equal([]byte(got), want) {
			t.Errorf("ConfigMap %s: readout.json differs from deploy/grafana/readout.json (go test ./deploy -run TestGenerated -update)", cm.Name)
		}
	}
	if !found {
		t.Error(`no ConfigMap labelled grafana_dashboard: "1" in the kustomize build`)
	}
}

// checkDatasourceVariable checks the dashboard's templating: a variable
// "datasource" of type datasource (Prometheus) that every query names.
func checkDatasourceVariable(t *testing.T) {
	t.Helper()
	raw, err := os.ReadFile("grafana/readout.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Templating struct {
			List []struct {
				Name, Type string
				Query      any
				Datasource *struct{ UID string }
			}
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range dash.Templating.List {
		if v.Name == "datasource" {
			found = v.Type == "datasource" && v.Query == "prometheus"
			continue
		}
		if v.Datasource != nil && v.Datasource.UID != "${datasource}" {
			t.Errorf("variable %s queries datasource %q, want ${datasource}", v.Name, v.Datasource.UID)
		}
	}
	if !found {
		t.Error(`no templating variable "datasource" of type datasource, query prometheus`)
	}
	if bytes.Contains(raw, []byte(`"uid": "readout-prometheus"`)) {
		t.Error("the dashboard still names the provisioned datasource uid readout-prometheus")
	}
}
