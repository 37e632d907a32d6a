package crawler

import (
	"github.com/readout/readout/pkg/outbound"
	"github.com/readout/readout/pkg/sources"
)

// hosts returns the destinations the requests of source id may reach: its
// own hosts and ports, never those of another source.
func (c *Crawler) hosts(id string) *outbound.Hosts {
	if r := c.run(id); r != nil {
		return r.hosts
	}
	return nil
}

// allowed reports whether rawURL may be fetched for src.
func (c *Crawler) allowed(src sources.Source, rawURL string) bool {
	return c.fetcher.Allowed(rawURL, c.hosts(src.ID))
}
