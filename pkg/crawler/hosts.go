package crawler

import (
	"github.com/readout/readout/pkg/outbound"
	"github.com/readout/readout/pkg/sources"
)

// sourceHosts returns, by source id, the destinations a source's requests
// may reach: its own hosts and ports, never those of another source.
func sourceHosts(srcs []sources.Source) map[string]*outbound.Hosts {
	out := make(map[string]*outbound.Hosts, len(srcs))
	for _, s := range srcs {
		out[s.ID] = outbound.NewHosts(s.AllowedHosts()...)
	}
	return out
}

// allowed reports whether rawURL may be fetched for src.
func (c *Crawler) allowed(src sources.Source, rawURL string) bool {
	return c.fetcher.Allowed(rawURL, c.hosts[src.ID])
}
