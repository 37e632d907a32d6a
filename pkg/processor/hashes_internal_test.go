package processor

import (
	"slices"
	"testing"

	"github.com/readout/readout/pkg/normalize"
)

func TestPackedHashes(t *testing.T) {
	hs := []string{normalize.ContentHash("a", "b"), "h1", normalize.ContentHash("c", "d"), "", "ABCDEF" + normalize.ContentHash("x", "y")[6:]}
	packed := packHashes(hs)
	if got := unpackHashes(packed); !slices.Equal(got, hs) {
		t.Fatalf("unpacked %q, want %q", got, hs)
	}
	for _, h := range hs {
		if !packedHas(packed, h) {
			t.Errorf("%q not found", h)
		}
	}
	for _, h := range []string{normalize.ContentHash("a", "c"), "h2", "h"} {
		if packedHas(packed, h) {
			t.Errorf("%q found", h)
		}
	}
	if n := len(packHashes(hs[:1])); n != 33 {
		t.Errorf("a hex SHA-256 packs into %d bytes", n)
	}
}
