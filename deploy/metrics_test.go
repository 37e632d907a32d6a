package deploy

import (
	"cmp"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

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

// kindsOf returns the metric type of each metric c describes, by name. A
// vector's type is its Go type; any other collector's (plain metrics, Func
// metrics, custom collectors) is read from the metrics it collects: a Gauge
// has a Counter's methods and a Summary a Histogram's, so no type switch on
// the interfaces can tell them apart.
func kindsOf(t *testing.T, c prometheus.Collector) map[string]string {
	t.Helper()
	vecKind := ""
	switch c.(type) {
	case *prometheus.HistogramVec:
		vecKind = "histogram"
	case *prometheus.SummaryVec:
		vecKind = "summary"
	case *prometheus.CounterVec:
		vecKind = "counter"
	case *prometheus.GaugeVec:
		vecKind = "gauge"
	}
	out := map[string]string{}
	for _, d := range describe(c) {
		out[fqName(t, d)] = cmp.Or(vecKind, "untyped")
	}
	if vecKind != "" {
		return out
	}
	ch := make(chan prometheus.Metric, 64)
	go func() { c.Collect(ch); close(ch) }()
	for m := range ch {
		var pb dto.Metric
		if err := m.Write(&pb); err != nil {
			t.Fatalf("collect %s: %v", m.Desc(), err)
		}
		out[fqName(t, m.Desc())] = dtoKind(&pb)
	}
	return out
}

func dtoKind(m *dto.Metric) string {
	switch {
	case m.Histogram != nil:
		return "histogram"
	case m.Summary != nil:
		return "summary"
	case m.Counter != nil:
		return "counter"
	case m.Gauge != nil:
		return "gauge"
	}
	return "untyped"
}

func describe(c prometheus.Collector) []*prometheus.Desc {
	ch := make(chan *prometheus.Desc, 64)
	go func() { c.Describe(ch); close(ch) }()
	var out []*prometheus.Desc
	for d := range ch {
		out = append(out, d)
	}
	return out
}

func fqName(t *testing.T, d *prometheus.Desc) string {
	t.Helper()
	m := descName.FindStringSubmatch(d.String())
	if m == nil {
		t.Fatalf("cannot read the name of %s", d)
	}
	return m[1]
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
		for name, kind := range kindsOf(t, c) {
			if strings.HasPrefix(name, "readout_") {
				out[name] = kind
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

// seriesSuffixes are the series a histogram and a summary expose besides
// their name.
var seriesSuffixes = map[string][]string{"histogram": {"_bucket", "_sum", "_count"}, "summary": {"_sum", "_count"}}

// baseMetric maps a series name to its metric and the series' own type: a
// histogram's _bucket, _sum and _count series, and a summary's _sum and
// _count, belong to it and count up like a counter.
func baseMetric(known map[string]string, series string) (name, kind string, ok bool) {
	if k, ok := known[series]; ok {
		return series, k, true
	}
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		b, ok := strings.CutSuffix(series, suf)
		if ok && slices.Contains(seriesSuffixes[known[b]], suf) {
			return b, "counter", true
		}
	}
	return "", "", false
}

// rangeFunc matches a PromQL function applied to a range of one series.
var rangeFunc = regexp.MustCompile(`\b(rate|irate|increase|resets|delta|idelta|deriv|predict_linear)\(\s*(readout_[a-z0-9_]+)`)

// counterFuncs take a range of a counter; the other range functions that of
// a gauge (rate of a gauge, or deriv of a counter, is a wrong graph).
var counterFuncs = map[string]bool{"rate": true, "irate": true, "increase": true, "resets": true}

// splitMetrics returns the metrics expr uses, the series names in it no
// service exports, and the functions applied to a series of the wrong type.
func splitMetrics(known map[string]string, expr string) (used, unknown, misused []string) {
	for _, m := range metricName.FindAllString(expr, -1) {
		if b, _, ok := baseMetric(known, m); ok {
			used = append(used, b)
		} else {
			unknown = append(unknown, m)
		}
	}
	for _, call := range rangeFunc.FindAllStringSubmatch(expr, -1) {
		fn, series := call[1], call[2]
		_, kind, ok := baseMetric(known, series)
		switch {
		case !ok:
		case counterFuncs[fn] && kind != "counter":
			misused = append(misused, fn+"() of the "+kind+" "+series+": use deriv() or delta()")
		case !counterFuncs[fn] && kind != "gauge":
			misused = append(misused, fn+"() of the "+kind+" "+series+": use rate() or increase()")
		}
	}
	return used, unknown, misused
}

// referencedMetrics returns the metrics expr uses and fails t on unknown
// ones and on functions of the wrong type of series.
func referencedMetrics(t *testing.T, known map[string]string, where, expr string) []string {
	t.Helper()
	used, unknown, misused := splitMetrics(known, expr)
	for _, m := range unknown {
		t.Errorf("%s: metric %s is not exported by any service", where, m)
	}
	for _, m := range misused {
		t.Errorf("%s: %s", where, m)
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
	if unused := unusedMetrics(known, used); len(unused) > 0 {
		t.Errorf("exported metrics on no dashboard panel: %v", unused)
	}
	for m := range notOnDashboard {
		if _, ok := known[m]; !ok {
			t.Errorf("notOnDashboard lists %s, which no service exports", m)
		}
	}
}

// unusedMetrics returns, sorted, the known metrics used does not hold and
// notOnDashboard does not excuse.
func unusedMetrics(known map[string]string, used map[string]bool) []string {
	var unused []string
	for m := range known {
		if !used[m] && notOnDashboard[m] == "" {
			unused = append(unused, m)
		}
	}
	sort.Strings(unused)
	return unused
}

// The check itself fails on what it should.
func TestMetricCheckCatchesTypos(t *testing.T) {
	known := map[string]string{"readout_x_seconds": "histogram", "readout_y_total": "counter",
		"readout_q_seconds": "summary", "readout_g": "gauge"}
	for expr, want := range map[string][3]string{
		`rate(readout_x_seconds_bucket[5m])`:                                  {"readout_x_seconds", "", ""},
		`rate(readout_y_total[5m]) / readout_x_seconds_count`:                 {"readout_y_total,readout_x_seconds", "", ""},
		`readout_y_total_count`:                                               {"", "readout_y_total_count", ""}, // a counter has no _count series
		`readout_z_total or vector(0)`:                                        {"", "readout_z_total", ""},
		`rate(readout_q_seconds_sum[5m]) / rate(readout_q_seconds_count[5m])`: {"readout_q_seconds,readout_q_seconds", "", ""},
		`readout_q_seconds_bucket`:                                            {"", "readout_q_seconds_bucket", ""}, // a summary has no buckets
		`readout_q_seconds{quantile="0.9"}`:                                   {"readout_q_seconds", "", ""},
		`delta(readout_g[15m]) > 0`:                                           {"readout_g", "", ""},
		`rate(readout_g[5m])`:                                                 {"readout_g", "", "rate() of the gauge readout_g: use deriv() or delta()"},
		`deriv(readout_y_total[5m])`:                                          {"readout_y_total", "", "deriv() of the counter readout_y_total: use rate() or increase()"},
		`increase(readout_q_seconds[1h])`:                                     {"readout_q_seconds", "", "increase() of the summary readout_q_seconds: use deriv() or delta()"},
	} {
		used, unknown, misused := splitMetrics(known, expr)
		if got := [3]string{strings.Join(used, ","), strings.Join(unknown, ","), strings.Join(misused, ";")}; got != want {
			t.Errorf("%s: used, unknown, misused = %q, want %q", expr, got, want)
		}
	}
}

// Every kind of collector is read as the type it exports, gauges and
// summaries included, and one missing from the panels is reported.
func TestMetricKindsAndMissingPanels(t *testing.T) {
	rec := &recordingRegisterer{reg: prometheus.NewRegistry()}
	gaugeVec := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_t_gauge_vec"}, []string{"l"})
	rec.MustRegister(
		prometheus.NewCounter(prometheus.CounterOpts{Name: "readout_t_counter_total"}),
		prometheus.NewGauge(prometheus.GaugeOpts{Name: "readout_t_gauge"}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "readout_t_gauge_func"}, func() float64 { return 1 }),
		gaugeVec,
		prometheus.NewHistogram(prometheus.HistogramOpts{Name: "readout_t_histogram_seconds"}),
		prometheus.NewSummary(prometheus.SummaryOpts{Name: "readout_t_summary_seconds"}),
		prometheus.NewSummaryVec(prometheus.SummaryOpts{Name: "readout_t_summary_vec_seconds"}, []string{"l"}),
	)
	gaugeVec.WithLabelValues("a").Set(1)
	known := map[string]string{}
	for _, c := range rec.collectors {
		maps.Copy(known, kindsOf(t, c))
	}
	want := map[string]string{"readout_t_counter_total": "counter", "readout_t_gauge": "gauge", "readout_t_gauge_func": "gauge",
		"readout_t_gauge_vec": "gauge", "readout_t_histogram_seconds": "histogram", "readout_t_summary_seconds": "summary",
		"readout_t_summary_vec_seconds": "summary"}
	if !maps.Equal(known, want) {
		t.Errorf("kinds = %v, want %v", known, want)
	}
	used := map[string]bool{}
	for _, expr := range []string{`rate(readout_t_counter_total[5m])`, `readout_t_gauge_func`, `readout_t_gauge_vec`,
		`histogram_quantile(0.9, rate(readout_t_histogram_seconds_bucket[5m]))`, `rate(readout_t_summary_vec_seconds_count[5m])`} {
		u, unknown, misused := splitMetrics(known, expr)
		if len(unknown)+len(misused) > 0 {
			t.Errorf("%s: unknown %v, misused %v", expr, unknown, misused)
		}
		for _, m := range u {
			used[m] = true
		}
	}
	if got := unusedMetrics(known, used); !slices.Equal(got, []string{"readout_t_gauge", "readout_t_summary_seconds"}) {
		t.Errorf("unused = %v, want the gauge and the summary no expression reads", got)
	}
}
