package deploy

import (
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/crawler"
	"github.com/readout/readout/pkg/feedout"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/sources"
	"github.com/readout/readout/pkg/webhook"
)

// recordingRegisterer registers on a real registry (so conflicts fail as in
// production) and remembers every collector, to list the metrics it defines.
type recordingRegisterer struct {
	reg        *prometheus.Registry
	collectors []prometheus.Collector
}

func (r *recordingRegisterer) Register(c prometheus.Collector) error {
	if err := r.reg.Register(c); err != nil {
		return err
	}
	r.collectors = append(r.collectors, c)
	return nil
}

func (r *recordingRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}

func (r *recordingRegisterer) Unregister(c prometheus.Collector) bool { return r.reg.Unregister(c) }

// descName reads the fully-qualified name out of a Desc: client_golang
// exposes it only through String ("Desc{fqName: \"...\", ...}").
var descName = regexp.MustCompile(`^Desc\{fqName: "([^"]+)"`)

// kindOf is the metric type of a client_golang collector.
func kindOf(c prometheus.Collector) string {
	switch c.(type) {
	case *prometheus.HistogramVec, prometheus.Histogram:
		return "histogram"
	case *prometheus.SummaryVec, prometheus.Summary:
		return "summary"
	case *prometheus.CounterVec, prometheus.Counter:
		return "counter"
	case *prometheus.GaugeVec, prometheus.Gauge:
		return "gauge"
	}
	return "untyped"
}

// exportedMetrics are the readout_* metrics the services register, read
// from the services' own constructors: the processor's, the crawler's (a real
// crawler over configs/sources.yaml), the Kafka producer's, the webhook
// dispatcher's and the build info. Name → type.
func exportedMetrics(t *testing.T) map[string]string {
	t.Helper()
	rec := &recordingRegisterer{reg: prometheus.NewRegistry()}
	processor.NewMetrics(rec)
	srcs, err := sources.Load("../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crawler.New(crawler.Config{Sources: srcs, Sink: crawler.NewJSONLSink(io.Discard), Registerer: rec}); err != nil {
		t.Fatal(err)
	}
	service.NewKafkaMetrics(rec, "crawler")
	webhook.NewMetrics(rec)
	feedout.NewMetrics(rec)
	rec.MustRegister(service.NewBuildInfo())

	out := map[string]string{}
	for _, c := range rec.collectors {
		ch := make(chan *prometheus.Desc, 64)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			m := descName.FindStringSubmatch(d.String())
			if m == nil {
				t.Fatalf("cannot read the name of %s", d)
			}
			if strings.HasPrefix(m[1], "readout_") {
				out[m[1]] = kindOf(c)
			}
		}
	}
	// The constructors above are the real ones: their well-known metrics must be there.
	for _, want := range []string{"readout_processor_events_total", "readout_crawler_consecutive_failures",
		"readout_kafka_write_errors_total", "readout_webhook_pending", "readout_build_info"} {
		if _, ok := out[want]; !ok {
			t.Fatalf("%s not among the registered metrics %v: is the registry walk broken?", want, out)
		}
	}
	return out
}

var metricName = regexp.MustCompile(`\breadout_[a-z0-9_]+`)

// baseMetric maps a series name to its metric: a histogram's _bucket, _sum
// and _count series belong to the histogram.
func baseMetric(known map[string]string, series string) (string, bool) {
	if _, ok := known[series]; ok {
		return series, true
	}
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if b, ok := strings.CutSuffix(series, suf); ok && (known[b] == "histogram" || known[b] == "summary") {
			return b, true
		}
	}
	return "", false
}

// splitMetrics returns the metrics expr uses, and the series names in it no service exports.
func splitMetrics(known map[string]string, expr string) (used, unknown []string) {
	for _, m := range metricName.FindAllString(expr, -1) {
		if b, ok := baseMetric(known, m); ok {
			used = append(used, b)
		} else {
			unknown = append(unknown, m)
		}
	}
	return used, unknown
}

// referencedMetrics returns the metrics expr uses and fails t on unknown ones.
func referencedMetrics(t *testing.T, known map[string]string, where, expr string) []string {
	t.Helper()
	used, unknown := splitMetrics(known, expr)
	for _, m := range unknown {
		t.Errorf("%s: metric %s is not exported by any service", where, m)
	}
	return used
}

// notOnDashboard are exported metrics no panel needs to show, with why.
var notOnDashboard = map[string]string{}

func TestRuleMetricsExist(t *testing.T) {
	known := exportedMetrics(t)
	n := 0
	for _, g := range list(rulesFile(t), "groups") {
		for _, r := range list(g, "rules") {
			n += len(referencedMetrics(t, known, "alert "+str(r, "alert"), str(r, "expr")))
		}
	}
	if n < 10 {
		t.Errorf("only %d metric references found in the rules", n)
	}
}

func TestDashboardMetrics(t *testing.T) {
	known := exportedMetrics(t)
	used := map[string]bool{}
	for _, p := range dashboardPanels(t) {
		for _, tg := range p.Targets {
			for _, m := range referencedMetrics(t, known, "panel "+p.Title, tg.Expr) {
				used[m] = true
			}
		}
	}
	var unused []string
	for m := range known {
		if !used[m] && notOnDashboard[m] == "" {
			unused = append(unused, m)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("exported metrics on no dashboard panel: %v", unused)
	}
	for m := range notOnDashboard {
		if _, ok := known[m]; !ok {
			t.Errorf("notOnDashboard lists %s, which no service exports", m)
		}
	}
}

// The check itself fails on what it should.
func TestMetricCheckCatchesTypos(t *testing.T) {
	known := map[string]string{"readout_x_seconds": "histogram", "readout_y_total": "counter"}
	for expr, want := range map[string][2]string{
		`rate(readout_x_seconds_bucket[5m])`:                  {"readout_x_seconds", ""},
		`rate(readout_y_total[5m]) / readout_x_seconds_count`: {"readout_y_total,readout_x_seconds", ""},
		`readout_y_total_count`:                               {"", "readout_y_total_count"}, // a counter has no _count series
		`readout_z_total or vector(0)`:                        {"", "readout_z_total"},
	} {
		used, unknown := splitMetrics(known, expr)
		if got := [2]string{strings.Join(used, ","), strings.Join(unknown, ",")}; got != want {
			t.Errorf("%s: used, unknown = %q, want %q", expr, got, want)
		}
	}
}
