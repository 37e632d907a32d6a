package service

import (
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
)

// NewRegistry returns a registry with the Go and process collectors and
// readout_build_info{version, goversion} (always 1).
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), NewBuildInfo())
	return reg
}

// NewBuildInfo returns the readout_build_info gauge: 1, labelled with the
// build's version (cli.BuildVersion) and Go version.
func NewBuildInfo() prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_build_info",
		Help: "Always 1; the labels name the running build's version and Go version."}, []string{"version", "goversion"})
	g.WithLabelValues(cli.BuildVersion(), runtime.Version()).Set(1)
	return g
}

// ReadyFunc reports readiness for /readyz: nil when ready, else why not.
type ReadyFunc func() error

// startup tracks a service on its way to ready: a reason while it waits
// (for Kafka, for its state), then the checks of its running parts.
type startup struct {
	mu     sync.Mutex
	reason string
	checks []ReadyFunc
}

func newStartup(reason string) *startup { return &startup{reason: reason} }

// waiting records why the service is not ready yet.
func (s *startup) waiting(reason string) {
	s.mu.Lock()
	s.reason = reason
	s.mu.Unlock()
}

// running hands readiness over to the checks of the running parts.
func (s *startup) running(checks ...ReadyFunc) {
	s.mu.Lock()
	s.reason, s.checks = "", checks
	s.mu.Unlock()
}

// Ready is the ReadyFunc of /readyz.
func (s *startup) Ready() error {
	s.mu.Lock()
	reason, checks := s.reason, s.checks
	s.mu.Unlock()
	if reason != "" {
		return errors.New(reason)
	}
	if len(checks) == 0 {
		return errors.New("starting")
	}
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

// HTTP says where a service serves /metrics, /healthz and /readyz.
type HTTP struct {
	// Addr is the listen address; empty serves nothing.
	Addr string
	// Listener, when set, is used instead of Addr (tests pass one bound to port 0).
	Listener net.Listener
}

// ServeHTTP serves /metrics, /healthz (200 while the process runs) and
// /readyz (200 when ready returns nil, else 503 with the reason) until ctx
// is done. It returns once the listener is bound, before any dependency is
// reached, so liveness and startup probes pass while Kafka is still away.
// Extra handlers are mounted as given.
func ServeHTTP(ctx context.Context, log *zap.Logger, h HTTP, reg *prometheus.Registry, ready ReadyFunc, extra map[string]http.Handler) error {
	ln := h.Listener
	if ln == nil {
		if h.Addr == "" {
			return nil
		}
		var err error
		if ln, err = net.Listen("tcp", h.Addr); err != nil {
			return err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if ready != nil {
			if err := ready(); err != nil {
				http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	for p, h := range extra {
		mux.Handle(p, h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("http listening", zap.String("addr", ln.Addr().String()))
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", zap.Error(err))
		}
	}()
	return nil
}
