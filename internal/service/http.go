package service

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/pkg/feedout"
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

// waiting records why the service is not ready yet. /readyz answers
// whoever reaches the admin listener, so it keeps the reason's first words:
// what follows " (" or ": " (Kafka's brokers and SASL user, an error with
// addresses) stays in the log, where waitForTopics writes it.
func (s *startup) waiting(reason string) {
	for _, sep := range []string{" (", ": "} {
		reason, _, _ = strings.Cut(reason, sep)
	}
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

// HTTP says where a listener serves.
type HTTP struct {
	// Addr is the listen address; empty serves nothing.
	Addr string
	// Listener, when set, is used instead of Addr (tests pass one bound to port 0).
	Listener net.Listener
	// Timeouts of the server; zero fields take the defaults (headers 10 s,
	// request 30 s, response 60 s, idle 120 s).
	Timeouts Timeouts
}

// Timeouts bound what one connection may take.
type Timeouts struct {
	ReadHeader time.Duration // reading a request's headers
	Read       time.Duration // reading a whole request
	Write      time.Duration // writing a response; an SSE stream applies it to each write instead
	Idle       time.Duration // a keep-alive connection waiting for its next request
}

// defaultTimeouts are the timeouts of both listeners.
var defaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 120 * time.Second}

// orDefault fills t's zero fields from defaultTimeouts.
func (t Timeouts) orDefault() Timeouts {
	d := defaultTimeouts
	return Timeouts{ReadHeader: cmp.Or(t.ReadHeader, d.ReadHeader), Read: cmp.Or(t.Read, d.Read),
		Write: cmp.Or(t.Write, d.Write), Idle: cmp.Or(t.Idle, d.Idle)}
}

// listen returns h's listener: the one given, else one bound to h.Addr; nil
// when h has neither.
func (h HTTP) listen() (net.Listener, error) {
	if h.Listener != nil || h.Addr == "" {
		return h.Listener, nil
	}
	return net.Listen("tcp", h.Addr)
}

// server returns an http.Server with h's timeouts.
func (h HTTP) server(handler http.Handler) *http.Server {
	t := h.Timeouts.orDefault()
	return &http.Server{Handler: handler, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: 64 << 10}
}

// serve runs srv on ln until ctx is done, then shuts it down.
func serve(ctx context.Context, log *zap.Logger, name string, srv *http.Server, ln net.Listener) {
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("http listening", zap.String("listener", name), zap.String("addr", ln.Addr().String()))
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", zap.String("listener", name), zap.Error(err))
		}
	}()
}

// ServeHTTP serves the admin listener: /metrics, /healthz (200 while the
// process runs) and /readyz (200 when ready returns nil, else 503 with the
// reason) until ctx is done. It returns once the listener is bound, before
// any dependency is reached, so liveness and startup probes pass while Kafka
// is still away. Extra handlers are mounted as given. It has no
// authentication: bind it to loopback or a network only operators reach.
func ServeHTTP(ctx context.Context, log *zap.Logger, h HTTP, reg *prometheus.Registry, ready ReadyFunc, extra map[string]http.Handler) error {
	ln, err := h.listen()
	if ln == nil || err != nil {
		return err
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
	serve(ctx, log, "admin", h.server(mux), ln)
	return nil
}

// DefaultMaxConns caps the public listener's open connections.
const DefaultMaxConns = 256

// Public says where and how the newsroom feeds are served.
type Public struct {
	HTTP
	// Token, when set, is the bearer token every request must carry
	// (Authorization: Bearer <token>).
	Token string
	// MaxConns caps open connections (0: DefaultMaxConns). A request on a
	// connection over the cap is answered 503 and the connection closed.
	MaxConns int
	// BaseURL is the feeds' public base URL (https://readout.example.org),
	// for the Atom self link. Empty: the link is the path alone.
	BaseURL string
}

// selfURL is the Atom feed's public URL under p.BaseURL ("" without one).
func (p Public) selfURL(path string) (string, error) {
	if p.BaseURL == "" {
		return "", nil
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("public base URL %q: want an absolute http(s) URL without user, query or fragment", p.BaseURL)
	}
	return strings.TrimSuffix(u.String(), "/") + path, nil
}

// ServePublic serves handlers on the public listener, guarded by p's token
// and connection cap, until ctx is done; refusals are counted on m and
// logged with the client's address. Nothing else is mounted there.
func ServePublic(ctx context.Context, log *zap.Logger, p Public, handlers map[string]http.Handler, m *feedout.Metrics) error {
	ln, err := p.listen()
	if ln == nil || err != nil {
		return err
	}
	mux := http.NewServeMux()
	for path, h := range handlers {
		mux.Handle(path, h)
	}
	if p.MaxConns <= 0 {
		p.MaxConns = DefaultMaxConns
	}
	c := &connCap{max: int64(p.MaxConns)}
	srv := p.server(guard(log, p.Token, m, mux))
	srv.ConnContext, srv.ConnState = c.connContext, c.connState
	serve(ctx, log, "public", srv, ln)
	log.Info("newsroom feeds", zap.Bool("token", p.Token != ""), zap.Int("max_conns", p.MaxConns))
	return nil
}

// connCap counts a listener's open connections and marks those over the cap.
type connCap struct {
	max  int64
	open atomic.Int64
}

type overCapKey struct{}

func (c *connCap) connContext(ctx context.Context, _ net.Conn) context.Context {
	if c.open.Add(1) > c.max {
		return context.WithValue(ctx, overCapKey{}, true)
	}
	return ctx
}

func (c *connCap) connState(_ net.Conn, s http.ConnState) {
	if s == http.StateClosed || s == http.StateHijacked {
		c.open.Add(-1)
	}
}

// guard answers requests on connections over the cap with 503 and, when
// token is set, requests without it with 401; it passes the rest to next.
func guard(log *zap.Logger, token string, m *feedout.Metrics, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	refuse := func(w http.ResponseWriter, r *http.Request, reason string, code int, msg string) {
		m.Rejected(reason)
		log.Info("newsroom feeds: request refused", zap.String("reason", reason), zap.String("remote", r.RemoteAddr), zap.String("path", r.URL.Path))
		http.Error(w, msg, code)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(overCapKey{}) != nil {
			w.Header().Set("Connection", "close")
			w.Header().Set("Retry-After", "10")
			refuse(w, r, feedout.RejectTooManyConnections, http.StatusServiceUnavailable, "too many connections; retry later")
			return
		}
		if token != "" {
			got, ok := bearer(r)
			if sum := sha256.Sum256([]byte(got)); !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="readout"`)
				refuse(w, r, feedout.RejectUnauthorized, http.StatusUnauthorized, "unauthorized: send Authorization: Bearer <token>")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}
