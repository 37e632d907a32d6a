package factbook

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestGenerateFromMirror walks a local copy of factbook/factbook.json and
// writes the holders table. It runs only when FACTBOOK_GIT_DIR names the
// repository (a bare git directory is fine) and FACTBOOK_CSV the output:
//
//	FACTBOOK_GIT_DIR=/path/to/factbook.json.git FACTBOOK_CSV=$PWD/data/leaders/factbook-holders.csv \
//	  go test ./internal/gazgen/factbook -run TestGenerateFromMirror -count=1 -v -timeout 1h
//
// run from the module root (go test runs in the package directory, so a
// relative FACTBOOK_CSV would be taken from there). Progress goes to stderr.
func TestGenerateFromMirror(t *testing.T) {
	dir, out := os.Getenv("FACTBOOK_GIT_DIR"), os.Getenv("FACTBOOK_CSV")
	if dir == "" || out == "" {
		t.Skip("set FACTBOOK_GIT_DIR and FACTBOOK_CSV to generate the table from a mirror")
	}
	since := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &Walker{Log: os.Stderr}
	res, err := w.Walk(context.Background(), dir, since)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(f, res.Rows); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	newest := res.Commits[len(res.Commits)-1]
	var primary, deputies int
	for _, r := range res.Rows {
		if r.Primary {
			primary++
		}
		if r.Deputy {
			deputies++
		}
	}
	t.Logf("commits read: %d (%s %s .. %s %s); distinct file versions: %d",
		len(res.Commits), res.Commits[0].Hash, res.Commits[0].Date.Format(time.RFC3339),
		newest.Hash, newest.Date.Format(time.RFC3339), res.Versions)
	t.Logf("rows: %d (primary %d, deputies %d); malformed versions skipped: %d; texts naming no holder: %d",
		len(res.Rows), primary, deputies, len(res.Malformed), len(res.Unparsed))
}
