package sources

import (
	"fmt"
	"time"

	"github.com/readout/readout/pkg/fetch"
)

// Fetch holds the HTTP settings every source shares: the `fetch:` section of
// a sources file. Zero values take pkg/fetch's defaults; command-line flags
// override what is set here.
type Fetch struct {
	UserAgent      string        `yaml:"user_agent"`      // with a contact URL
	Timeout        time.Duration `yaml:"timeout"`         // whole request, reading the body included
	ConnectTimeout time.Duration `yaml:"connect_timeout"` // TCP connect and TLS handshake
	MaxBodyBytes   int64         `yaml:"max_body_bytes"`  // decoded body bound
	MaxRedirects   int           `yaml:"max_redirects"`   // negative: none followed
	// PerHostConcurrency bounds the requests in flight to one host.
	PerHostConcurrency int `yaml:"per_host_concurrency"`
	// PerHostRate is in requests per second per host; negative: unlimited.
	PerHostRate float64 `yaml:"per_host_rate"`
}

func (f Fetch) validate() error {
	switch {
	case f.Timeout < 0:
		return fmt.Errorf("timeout %s is negative", f.Timeout)
	case f.ConnectTimeout < 0:
		return fmt.Errorf("connect_timeout %s is negative", f.ConnectTimeout)
	case f.ConnectTimeout > 0 && f.Timeout > 0 && f.ConnectTimeout > f.Timeout:
		return fmt.Errorf("connect_timeout %s exceeds timeout %s", f.ConnectTimeout, f.Timeout)
	case f.MaxBodyBytes < 0:
		return fmt.Errorf("max_body_bytes %d is negative", f.MaxBodyBytes)
	case f.PerHostConcurrency < 0:
		return fmt.Errorf("per_host_concurrency %d is negative", f.PerHostConcurrency)
	}
	return nil
}

// Options returns the settings as fetch.Options (hosts and transport unset).
func (f Fetch) Options() fetch.Options {
	return fetch.Options{
		UserAgent:          f.UserAgent,
		Timeout:            f.Timeout,
		ConnectTimeout:     f.ConnectTimeout,
		MaxBodyBytes:       f.MaxBodyBytes,
		MaxRedirects:       f.MaxRedirects,
		PerHostConcurrency: f.PerHostConcurrency,
		PerHostRate:        f.PerHostRate,
	}
}
