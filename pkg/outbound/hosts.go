package outbound

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Errors callers branch on.
var (
	ErrScheme         = errors.New("outbound: only http and https URLs are fetched")
	ErrHostNotAllowed = errors.New("outbound: host not allowed")
)

// defaultPorts are the ports of a destination named without one.
var defaultPorts = []string{"80", "443"}

// Hosts is a set of destinations: a host and a port each. A nil *Hosts
// allows any destination.
type Hosts struct {
	set map[string]bool // net.JoinHostPort(lower-case host, port)
}

// NewHosts returns the set of entries, each "host:port" (that port only)
// or a bare host (ports 80 and 443, so http may move to https), compared
// without regard to case.
func NewHosts(entries ...string) *Hosts {
	h := &Hosts{set: map[string]bool{}}
	for _, e := range entries {
		e = strings.ToLower(strings.TrimSpace(e))
		if host, port, err := net.SplitHostPort(e); err == nil && port != "" {
			h.set[net.JoinHostPort(host, port)] = true
			continue
		}
		for _, port := range defaultPorts {
			h.set[net.JoinHostPort(strings.Trim(e, "[]"), port)] = true
		}
	}
	return h
}

// Allows reports whether u's host and port (the scheme's default when u
// names none) are in the set.
func (h *Hosts) Allows(u *url.URL) bool {
	return h == nil || h.set[Destination(u)]
}

// Check returns ErrScheme for a URL that is not http or https and
// ErrHostNotAllowed for a destination outside the set.
func (h *Hosts) Check(u *url.URL) error {
	if err := CheckScheme(u); err != nil {
		return err
	}
	if !h.Allows(u) {
		return fmt.Errorf("%w: %s", ErrHostNotAllowed, Destination(u))
	}
	return nil
}

// CheckScheme returns ErrScheme unless u is an http or https URL with a host.
func CheckScheme(u *url.URL) error {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Redacted())
	}
	return nil
}

// Destination is u's "host:port", the port being the scheme's default when
// u names none, the host in lower case.
func Destination(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
