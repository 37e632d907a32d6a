package publishers

import "testing"

func TestDomainZone(t *testing.T) {
	r := Default()
	for _, c := range []struct{ host, zone string }{
		{"24.kg", "Asia/Bishkek"},
		{"https://kant.kg/2021-04-30/x", "Asia/Bishkek"},
		{"www.bbc.co.uk", "Europe/London"},    // .uk is GB's domain
		{"capitalfm.co.ke", "Africa/Nairobi"}, //
		{"news.am", "Asia/Yerevan"},
		{"regnum.ru", ""}, // Russia keeps eleven zones
		{"", ""},
		{"localhost", ""},
		{"kg", ""}, // a bare domain is no site
		{"127.0.0.1", ""},
		{"[::1]:8080", ""},
		{"example.ml", ""},       // sold to anyone
		{"reuters.com", ""},      // no country
		{"kun.uz", ""},           // Uzbekistan keeps two
		{"example.tv", ""},       // sold to anyone
		{"www.gov.uk", ""},       // listed: its entry's zone
		{"president.gov.by", ""}, // listed
	} {
		loc, ok := r.DomainZone(c.host)
		got := ""
		if ok {
			got = loc.String()
		}
		if got != c.zone {
			t.Errorf("DomainZone(%q) = %q, want %q", c.host, got, c.zone)
		}
	}
}
