package factbook

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitRepo is a throwaway git repository for the walker tests.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("", "init", "-q")
	return r
}

// git runs git in the repository with a fixed identity and, when date is
// set, that author and committer date; user and system configuration is
// ignored.
func (r *gitRepo) git(date string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.invalid")
	if date != "" {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// write writes a file of the repository.
func (r *gitRepo) write(path string, data []byte) {
	r.t.Helper()
	full := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit commits everything with the date and returns the hash.
func (r *gitRepo) commit(date, msg string) string {
	r.t.Helper()
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "-m", msg)
	return r.git("", "rev-parse", "HEAD")
}

// countryJSON renders a minimal Factbook country file.
func countryJSON(t *testing.T, short, chief, head string) []byte {
	t.Helper()
	leaf := func(s string) map[string]string { return map[string]string{"text": s} }
	doc := map[string]any{
		"Introduction": map[string]any{"Background": leaf("A test country.")},
		"Government": map[string]any{
			"Country name": map[string]any{
				"conventional long form":  leaf("Republic of " + short),
				"conventional short form": leaf(short),
			},
			"Executive branch": map[string]any{
				"chief of state":     leaf(chief),
				"head of government": leaf(head),
				"cabinet":            leaf("Council of Ministers"),
			},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWalk(t *testing.T) {
	r := newGitRepo(t)
	chief := "President John ROE (since 5 May 2020); Vice President Sam POE (since 5 May 2020)"

	// Before the start date: not read.
	r.write("europe/zz.json", countryJSON(t, "Testland", chief, "Prime Minister Old TIMER (since 1 January 2019)"))
	r.commit("2021-12-01T12:00:00Z", "old")

	// Two versions of the country file; a malformed file in between.
	r.write("europe/zz.json", countryJSON(t, "Testland", chief, "Prime Minister Jane DOE (since 1 January 2022)"))
	c1 := r.commit("2022-02-01T12:00:00Z", "first")
	r.write("africa/yy.json", []byte(`{"Government": {"Country name": `))
	r.write("README.md", []byte("not a country"))
	c2 := r.commit("2022-03-01T12:00:00Z", "malformed")
	r.write("europe/zz.json", countryJSON(t, "Testland", chief,
		"Acting Prime Minister Max MUSTERMANN (since 15 March 2022); note - Prime Minister Jane DOE resigned on 14 March 2022"))
	c3 := r.commit("2022-04-01T12:00:00+02:00", "second")

	var log bytes.Buffer
	w := &Walker{Log: &log, ProgressEvery: 1}
	res, err := w.Walk(context.Background(), r.dir, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Commits) != 3 || res.Commits[0].Hash != c1 || res.Commits[2].Hash != c3 {
		t.Fatalf("commits = %+v, want %s %s %s", res.Commits, c1, c2, c3)
	}
	if len(res.Malformed) != 1 || res.Malformed[0].Path != "africa/yy.json" || res.Malformed[0].Commit.Hash != c2 {
		t.Errorf("malformed = %+v, want africa/yy.json at %s", res.Malformed, c2)
	}
	if !strings.Contains(log.String(), "skipping malformed africa/yy.json") {
		t.Errorf("log does not report the malformed file:\n%s", log.String())
	}

	day := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := Row{Code: "zz", Region: "europe", Country: "Testland"}
	want := []Row{
		with(base, Row{Office: OfficeChiefOfState, Title: "President", Name: "John Roe", Since: "2020-05-05", Primary: true,
			FirstSeen: day("2022-02-01T12:00:00Z"), LastSeen: day("2022-04-01T12:00:00+02:00"), FirstCommit: c1, LastCommit: c3}),
		with(base, Row{Office: OfficeChiefOfState, Title: "Vice President", Name: "Sam Poe", Since: "2020-05-05", Deputy: true,
			FirstSeen: day("2022-02-01T12:00:00Z"), LastSeen: day("2022-04-01T12:00:00+02:00"), FirstCommit: c1, LastCommit: c3}),
		with(base, Row{Office: OfficeHeadOfGovernment, Title: "Prime Minister", Name: "Jane Doe", Since: "2022-01-01", Primary: true,
			FirstSeen: day("2022-02-01T12:00:00Z"), LastSeen: day("2022-03-01T12:00:00Z"), FirstCommit: c1, LastCommit: c2}),
		with(base, Row{Office: OfficeHeadOfGovernment, Title: "Acting Prime Minister", Name: "Max Mustermann", Since: "2022-03-15",
			Acting: true, Primary: true,
			FirstSeen: day("2022-04-01T12:00:00+02:00"), LastSeen: day("2022-04-01T12:00:00+02:00"), FirstCommit: c3, LastCommit: c3}),
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(res.Rows), len(want), res.Rows)
	}
	for i := range want {
		got := res.Rows[i]
		if !got.FirstSeen.Equal(want[i].FirstSeen) || !got.LastSeen.Equal(want[i].LastSeen) {
			t.Errorf("row %d seen %v..%v, want %v..%v", i, got.FirstSeen, got.LastSeen, want[i].FirstSeen, want[i].LastSeen)
		}
		got.FirstSeen, got.LastSeen = want[i].FirstSeen, want[i].LastSeen
		if got != want[i] {
			t.Errorf("row %d:\ngot  %+v\nwant %+v", i, got, want[i])
		}
	}
	// The replaced holder's last sighting is before the successor's first.
	if !res.Rows[2].LastSeen.Before(res.Rows[3].FirstSeen) {
		t.Errorf("Doe last seen %v, not before Mustermann first seen %v", res.Rows[2].LastSeen, res.Rows[3].FirstSeen)
	}

	// The package-level Walk gives the same rows.
	rows, err := Walk(r.dir, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(res.Rows) {
		t.Errorf("Walk: %d rows, Walker.Walk: %d", len(rows), len(res.Rows))
	}
}

// with fills the zero fields of r from base.
func with(base, r Row) Row {
	if r.Code == "" {
		r.Code = base.Code
	}
	if r.Region == "" {
		r.Region = base.Region
	}
	if r.Country == "" {
		r.Country = base.Country
	}
	return r
}

func TestWalkNoCommitsSince(t *testing.T) {
	r := newGitRepo(t)
	r.write("europe/zz.json", countryJSON(t, "Testland", "King ONE I (since 2000)", "Prime Minister A BEE (since 2001)"))
	r.commit("2021-06-01T00:00:00Z", "old")
	res, err := (&Walker{}).Walk(context.Background(), r.dir, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 0 || len(res.Commits) != 0 {
		t.Errorf("got %d rows, %d commits; want none", len(res.Rows), len(res.Commits))
	}
}

func TestWalkNotARepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	_, err := (&Walker{}).Walk(context.Background(), t.TempDir(), time.Time{})
	if err == nil || !strings.Contains(err.Error(), "factbook: git log") {
		t.Errorf("err = %v, want a wrapped git log error", err)
	}
}

func TestWriteCSV(t *testing.T) {
	d := func(s string) time.Time { t.Helper(); v, _ := time.Parse(time.DateOnly, s); return v }
	rows := []Row{
		{Code: "uk", Region: "europe", Country: "United Kingdom", Office: OfficeHeadOfGovernment, Title: "Prime Minister",
			Name: "Rishi Sunak", Since: "2022-10-25", Primary: true, FirstSeen: d("2022-10-27"), LastSeen: d("2024-07-04"),
			FirstCommit: "bbb", LastCommit: "ccc"},
		{Code: "uk", Region: "europe", Country: "United Kingdom", Office: OfficeHeadOfGovernment, Title: "Prime Minister",
			Name: "Mary Elizabeth Truss", Since: "2022-09-06", Primary: true, FirstSeen: d("2022-09-08"), LastSeen: d("2022-10-20"),
			FirstCommit: "aaa", LastCommit: "bbb"},
		{Code: "gm", Region: "europe", Country: "Germany", Office: OfficeHeadOfGovernment, Title: "Chancellor, \"acting\"",
			Name: "Olaf Scholz", Since: "2021-12-08", Acting: true, Primary: true, FirstSeen: d("2022-01-06"), LastSeen: d("2025-04-17"),
			FirstCommit: "ddd", LastCommit: "eee"},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != strings.Join(CSVHeader, ",") {
		t.Errorf("header = %s", got)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	if recs[1][0] != "gm" || recs[2][5] != "Mary Elizabeth Truss" || recs[3][5] != "Rishi Sunak" {
		t.Errorf("not sorted by code and first seen: %v", recs[1:])
	}
	if recs[1][4] != "Chancellor, \"acting\"" || recs[1][7] != "true" || recs[1][10] != "2022-01-06" {
		t.Errorf("gm record = %v", recs[1])
	}
	if rows[0].Name != "Rishi Sunak" {
		t.Errorf("WriteCSV reordered its argument")
	}
}

func TestParseCountry(t *testing.T) {
	c, err := ParseCountry(countryJSON(t, "none", "King X I (since 2000)", ""))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Republic of none" || c.ChiefOfState != "King X I (since 2000)" || c.HeadOfGovernment != "" {
		t.Errorf("got %+v", c)
	}
	c, err = ParseCountry([]byte(`{"Government": {"Country name": {"conventional short form": {"text": "none"}, "conventional long form": {"text": "Central African Republic"}}, "Executive branch": "odd"}}`))
	if err != nil || c.Name != "Central African Republic" || c.ChiefOfState != "" {
		t.Errorf("got %+v, %v", c, err)
	}
	if _, err := ParseCountry([]byte(`{"Government": `)); err == nil {
		t.Error("no error for malformed JSON")
	}
	if c, err := ParseCountry([]byte(`{}`)); err != nil || c != (Country{}) {
		t.Errorf("empty object: %+v, %v", c, err)
	}
}
