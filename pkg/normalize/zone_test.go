package normalize_test

import (
	"testing"

	"github.com/readout/readout/pkg/normalize"
	"github.com/readout/readout/pkg/publishers"
)

// Every publisher's times without an offset are read in its registry zone,
// whether it is named by host, subdomain or URL. normalize.Zone once knew
// only the Kremlin and the White House, and read gov.uk's times as UTC.
func TestZoneIsTheRegistrys(t *testing.T) {
	for _, p := range publishers.Default().All() {
		for _, name := range []string{p.Host, "www." + p.Host, "en." + p.Host, "https://" + p.Host + "/news/1"} {
			if got := normalize.Zone(name); got != p.Location() {
				t.Errorf("Zone(%q) = %s, want %s", name, got, p.Location())
			}
		}
	}
	if got := normalize.Zone("unknown.example"); got.String() != "UTC" {
		t.Errorf("unknown publisher: %s, want UTC", got)
	}
	// The zone applies to times written without an offset.
	got, err := normalize.PublishedUTC("www.gov.uk", "2022-05-21 00:30")
	if err != nil || got.Format("2006-01-02T15:04Z07:00") != "2022-05-20T23:30Z" {
		t.Errorf("gov.uk local time: %s, %v; want 2022-05-20T23:30Z (London summer time)", got, err)
	}
}
