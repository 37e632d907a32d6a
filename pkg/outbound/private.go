package outbound

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned for a destination inside private networks.
var ErrPrivateAddress = errors.New("outbound: loopback, link-local or private address refused")

// sharedAddressSpace is RFC 6598's carrier-grade NAT range, internal like
// the RFC 1918 ones.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// Private reports whether addr is not a public unicast address: loopback,
// link-local (cloud metadata services live there), private (RFC 1918, IPv6
// unique local), shared (100.64.0.0/10), unspecified or multicast.
func Private(addr netip.Addr) bool {
	addr = addr.Unmap()
	return !addr.IsGlobalUnicast() || addr.IsPrivate() || sharedAddressSpace.Contains(addr)
}

// CheckLiteral returns ErrPrivateAddress when u names a private address
// literally (an IP, or localhost). Names are resolved only when dialled:
// the dial-time check of NewClient is the one that holds.
func CheckLiteral(u *url.URL) error {
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if addr, err := netip.ParseAddr(host); (err == nil && Private(addr)) || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, host)
	}
	return nil
}

// refusePrivate is a net.Dialer Control function: it sees the address
// actually dialled, after name resolution.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrPrivateAddress, address)
	}
	if Private(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

// ClientOptions configure NewClient.
type ClientOptions struct {
	Timeout        time.Duration // whole request; none when 0
	ConnectTimeout time.Duration // TCP connect and TLS handshake; 10 s when 0
	// AllowPrivate lets the client reach loopback, link-local and private
	// addresses (a receiver on the same host or network, tests).
	AllowPrivate bool
}

// NewClient returns a client for deliveries to a configured URL. It never
// follows a redirect: the 3xx response is returned as it is. It connects
// directly, ignoring HTTP(S)_PROXY, so that the address it checks is the
// destination's; unless AllowPrivate, dialling a private address (see
// Private) fails with ErrPrivateAddress.
func NewClient(o ClientOptions) *http.Client {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: o.ConnectTimeout,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        16,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// IsRedirect reports whether status asks the client to go elsewhere.
func IsRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
