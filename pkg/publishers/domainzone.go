package publishers

import (
	_ "embed"
	"strings"
	"sync"
	"time"
)

// zoneTab is the tz database's zone.tab (public domain; tzdata 2025b, see
// SOURCES.md): the zones of each country, by ISO 3166-1 code.
//
//go:embed zone.tab
var zoneTab []byte

// genericDomains are country-code domains sold to sites of any country
// (.tv, .io, .me, ...): they say nothing about where a site dates its news.
var genericDomains = map[string]bool{
	"ac": true, "ai": true, "cc": true, "cf": true, "co": true, "fm": true, "ga": true, "gg": true,
	"gq": true, "im": true, "io": true, "la": true, "ly": true, "me": true, "ml": true, "ms": true,
	"nu": true, "pw": true, "sh": true, "st": true, "tk": true, "to": true, "tv": true, "vc": true,
	"ws": true,
}

var (
	domainZonesOnce sync.Once
	domainZones     map[string]*time.Location // country domain → its one zone
)

// DomainZone returns the zone of a host's country domain when its country
// keeps one zone (24.kg → Asia/Bishkek, bbc.co.uk → Europe/London): where a
// site the registry does not list most likely dates its news. It reports
// false for generic domains (.com, .org, .tv), for countries with several
// zones (.ru, .us, .kz) and for hosts the registry lists, whose zone is
// their entry's.
func (r *Registry) DomainZone(hostOrURL string) (*time.Location, bool) {
	if _, ok := r.Lookup(hostOrURL); ok {
		return nil, false
	}
	h := Host(hostOrURL)
	dot := strings.LastIndexByte(h, '.')
	if dot < 0 {
		return nil, false // "localhost", or a bare domain
	}
	tld := h[dot+1:]
	if genericDomains[tld] {
		return nil, false
	}
	if tld == "uk" {
		tld = "gb"
	}
	domainZonesOnce.Do(func() { domainZones = singleZones(zoneTab) })
	loc, ok := domainZones[strings.ToUpper(tld)]
	return loc, ok
}

// singleZones maps each country of a zone.tab with exactly one zone to it.
func singleZones(tab []byte) map[string]*time.Location {
	names := map[string][]string{}
	for line := range strings.Lines(string(tab)) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(strings.TrimSpace(line), "\t")
		if len(f) >= 3 && len(f[0]) == 2 {
			names[f[0]] = append(names[f[0]], f[2])
		}
	}
	out := make(map[string]*time.Location, len(names))
	for cc, zs := range names {
		if len(zs) != 1 {
			continue
		}
		if loc, err := time.LoadLocation(zs[0]); err == nil {
			out[cc] = loc
		}
	}
	return out
}
