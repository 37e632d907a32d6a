package factbook

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// CSVHeader is the header line WriteCSV writes.
var CSVHeader = []string{
	"code", "region", "country", "office", "title", "name", "since", "acting", "deputy", "primary",
	"first_seen", "last_seen", "first_commit", "last_commit",
}

// SortRows sorts rows by code, office, first seen, since, name and title.
func SortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Office, b.Office),
			a.FirstSeen.Compare(b.FirstSeen),
			cmp.Compare(a.Since, b.Since),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Title, b.Title),
			cmp.Compare(a.FirstCommit, b.FirstCommit),
		)
	})
}

// WriteCSV writes rows as CSV with a header line (CSVHeader), sorted as
// SortRows sorts them; rows itself is not reordered. Dates are YYYY-MM-DD,
// flags "true" or "false".
func WriteCSV(w io.Writer, rows []Row) error {
	sorted := slices.Clone(rows)
	SortRows(sorted)
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("factbook: write csv header: %w", err)
	}
	for _, r := range sorted {
		rec := []string{
			r.Code, r.Region, r.Country, r.Office, r.Title, r.Name, r.Since,
			strconv.FormatBool(r.Acting), strconv.FormatBool(r.Deputy), strconv.FormatBool(r.Primary),
			day(r.FirstSeen), day(r.LastSeen), r.FirstCommit, r.LastCommit,
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("factbook: write csv row %s %s %s: %w", r.Code, r.Office, r.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("factbook: write csv: %w", err)
	}
	return nil
}

// day formats a commit date as YYYY-MM-DD in the commit's own time zone.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
