package normalize_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// A publication time that is read but out of range (year 0001, 9999) is an
// ErrBadTime naming its field, as any out-of-range time is: it is not
// replaced by the fetch time. An absent or unrecognised one still is.
func TestOutOfRangePublicationTimeIsRefused(t *testing.T) {
	fetched := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	item := func(published, updated string) *model.RawItem {
		return &model.RawItem{Source: "s", URL: "https://example.org/1", Title: "t", Body: "b",
			PublishedAt: published, UpdatedAt: updated, FetchedAt: fetched}
	}
	for _, tt := range []struct {
		name, published, updated, field string
	}{
		{"zero time", "0001-01-01T00:00:00Z", "", "published_at"},
		{"year 9999", "9999-12-31T23:59:59Z", "", "published_at"},
		{"year 9999, a good updated_at", "9999-12-31T23:59:59Z", "2025-01-01T00:00:00Z", "published_at"},
		{"updated_at in its stead", "", "0001-01-01T00:00:00Z", "updated_at"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, err := normalize.Statement(item(tt.published, tt.updated))
			if !errors.Is(err, normalize.ErrBadTime) || !strings.HasPrefix(err.Error(), tt.field+":") {
				t.Fatalf("published %v, err %v; want ErrBadTime naming %s", st.PublishedAt, err, tt.field)
			}
		})
	}
	for _, published := range []string{"", "soon"} {
		st, err := normalize.Statement(item(published, ""))
		if err != nil || !st.PublishedAt.Equal(fetched) {
			t.Errorf("published_at %q: %v, %v; want the fetch time", published, st.PublishedAt, err)
		}
	}
}
