package factbook

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Row is one person named as holder of one office of one country file with
// one "since" date, over the commits that name them.
type Row struct {
	Code    string // Factbook (GEC) code: the file's base name, "lo" for europe/lo.json
	Region  string // the file's directory ("europe"), as of the last commit naming the holder
	Country string // conventional short form of the country name, as of that commit
	Office  string // OfficeChiefOfState or OfficeHeadOfGovernment
	Title   string // as of the last commit naming the holder
	Name    string
	Since   string // YYYY-MM-DD, YYYY-MM, YYYY or empty
	Acting  bool   // acting, interim or caretaker in at least one version
	Deputy  bool   // a deputy or heir (as of the last commit naming them)
	Primary bool   // the holder the text is about in at least one version

	FirstSeen   time.Time // commit date of the first commit naming them
	LastSeen    time.Time // commit date of the last commit naming them
	FirstCommit string    // hash of the first commit naming them
	LastCommit  string    // hash of the last commit naming them
}

// Commit is one commit the walk read.
type Commit struct {
	Hash string
	Date time.Time // committer date
}

// Skip is a file version or text the walk could not use.
type Skip struct {
	Path   string // region/code.json
	Commit Commit // the first commit with that version
	Office string // for an unparsed text; empty for a malformed file
	Reason string // the JSON error, or the text that named nobody
}

// Result is the outcome of a walk.
type Result struct {
	Rows      []Row    // sorted as SortRows sorts
	Commits   []Commit // the commits read, oldest first
	Versions  int      // distinct country-file versions parsed
	Malformed []Skip   // file versions that are not valid JSON (skipped)
	Unparsed  []Skip   // non-empty office texts that named no holder, once per distinct text
}

// Walker reads the history of a factbook/factbook.json git repository.
type Walker struct {
	// Log receives progress and skip messages; nil discards them.
	Log io.Writer
	// Git is the git executable; "git" when empty.
	Git string
	// ProgressEvery is the number of commits between progress lines; 10
	// when zero.
	ProgressEvery int
}

// Walk reads the repository at gitDir (a bare git directory or a work tree)
// with the git CLI, from the first-parent commits at or after since to HEAD,
// and returns the holders the country files name, with progress on stderr.
func Walk(gitDir string, since time.Time) ([]Row, error) {
	res, err := (&Walker{Log: os.Stderr}).Walk(context.Background(), gitDir, since)
	if err != nil {
		return nil, err
	}
	return res.Rows, nil
}

// countryPath matches the country files: region/code.json.
var countryPath = regexp.MustCompile(`^([a-z0-9-]+)/([a-z0-9]{2})\.json$`)

// skipRegions are directories without countries (world/xx.json describes
// the world's monarchies in prose; meta holds the category list).
var skipRegions = map[string]bool{"world": true, "meta": true}

// version is one parsed country-file version (one git blob).
type version struct {
	country Country
	holders map[string][]Holder // by office
	err     error
}

type rowKey struct{ code, office, name, since string }

// Walk is like the package-level Walk, with the walker's settings; it stops
// when ctx is done.
func (w *Walker) Walk(ctx context.Context, gitDir string, since time.Time) (*Result, error) {
	logw := w.Log
	if logw == nil {
		logw = io.Discard
	}
	git := cmp.Or(w.Git, "git")
	every := cmp.Or(w.ProgressEvery, 10)

	commits, err := listCommits(ctx, git, gitDir, since)
	if err != nil {
		return nil, err
	}
	res := &Result{Commits: commits}
	if len(commits) == 0 {
		fmt.Fprintf(logw, "factbook: no commits since %s in %s\n", since.Format(time.DateOnly), gitDir)
		return res, nil
	}
	fmt.Fprintf(logw, "factbook: %d commits from %s (%s) to %s (%s)\n", len(commits),
		short(commits[0].Hash), commits[0].Date.Format(time.DateOnly),
		short(commits[len(commits)-1].Hash), commits[len(commits)-1].Date.Format(time.DateOnly))

	cat, err := startCatFile(ctx, git, gitDir)
	if err != nil {
		return nil, err
	}
	defer cat.close()

	versions := map[string]*version{} // by blob hash
	rows := map[rowKey]*Row{}
	unparsed := map[string]bool{}
	for ci, c := range commits {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("factbook: walk: %w", err)
		}
		files, err := listFiles(ctx, git, gitDir, c.Hash)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, f := range files {
			v, ok := versions[f.blob]
			if !ok {
				fresh++
				v, err = w.parseVersion(cat, f.blob)
				if err != nil {
					return nil, err
				}
				versions[f.blob] = v
				if v.err != nil {
					res.Malformed = append(res.Malformed, Skip{Path: f.path, Commit: c, Reason: v.err.Error()})
					fmt.Fprintf(logw, "factbook: skipping malformed %s at %s (%s): %v\n",
						f.path, short(c.Hash), c.Date.Format(time.DateOnly), v.err)
				}
			}
			if v.err != nil {
				continue
			}
			for _, k := range officeKeys {
				text := strings.TrimSpace(v.country.Text(k.office))
				hs := v.holders[k.office]
				if text != "" && !slices.ContainsFunc(hs, func(h Holder) bool { return !h.Deputy }) {
					if key := f.code + "\x00" + k.office + "\x00" + text; !unparsed[key] {
						unparsed[key] = true
						res.Unparsed = append(res.Unparsed, Skip{Path: f.path, Commit: c, Office: k.office, Reason: text})
						fmt.Fprintf(logw, "factbook: no holder in %s %s at %s: %.160s\n", f.path, k.office, short(c.Hash), text)
					}
				}
				for _, h := range hs {
					addRow(rows, f, v.country, k.office, h, c)
				}
			}
		}
		if (ci+1)%every == 0 || ci == len(commits)-1 {
			fmt.Fprintf(logw, "factbook: commit %d/%d %s %s: %d files, %d new versions, %d rows\n",
				ci+1, len(commits), c.Date.Format(time.DateOnly), short(c.Hash), len(files), fresh, len(rows))
		}
	}
	res.Versions = len(versions)
	res.Rows = make([]Row, 0, len(rows))
	for _, r := range rows {
		res.Rows = append(res.Rows, *r)
	}
	SortRows(res.Rows)
	return res, nil
}

// addRow records that commit c names holder h in the file f.
func addRow(rows map[rowKey]*Row, f fileEntry, country Country, office string, h Holder, c Commit) {
	k := rowKey{f.code, office, h.Name, h.Since}
	r := rows[k]
	if r == nil {
		r = &Row{Code: f.code, Office: office, Name: h.Name, Since: h.Since, FirstSeen: c.Date, FirstCommit: c.Hash}
		rows[k] = r
	}
	r.Region, r.Country, r.Title, r.Deputy = f.region, country.Name, h.Title, h.Deputy
	r.Acting = r.Acting || h.Acting
	r.Primary = r.Primary || h.Primary
	r.LastSeen, r.LastCommit = c.Date, c.Hash
}

// parseVersion reads and parses one blob. A malformed file is reported in
// the version, not as an error; errors are git failures.
func (w *Walker) parseVersion(cat *catFile, blob string) (*version, error) {
	data, err := cat.read(blob)
	if err != nil {
		return nil, err
	}
	c, err := ParseCountry(data)
	if err != nil {
		return &version{err: err}, nil
	}
	v := &version{country: c, holders: map[string][]Holder{}}
	ctxWords := []string{c.Name, c.LongName}
	for _, k := range officeKeys {
		if t := c.Text(k.office); t != "" {
			v.holders[k.office] = ParseHolders(t, ctxWords...)
		}
	}
	return v, nil
}

// listCommits returns the first-parent commits of HEAD with a committer
// date at or after since, oldest first.
func listCommits(ctx context.Context, git, dir string, since time.Time) ([]Commit, error) {
	out, err := runGit(ctx, git, dir, "log", "--first-parent", "--format=%H %cI", "HEAD")
	if err != nil {
		return nil, err
	}
	var cs []Commit
	for line := range strings.Lines(string(out)) {
		hash, date, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, date)
		if err != nil {
			return nil, fmt.Errorf("factbook: git log: commit %s: date %q: %w", hash, date, err)
		}
		if t.Before(since) {
			continue
		}
		cs = append(cs, Commit{Hash: hash, Date: t})
	}
	slices.Reverse(cs)
	return cs, nil
}

type fileEntry struct{ path, region, code, blob string }

// listFiles returns the country files of a commit.
func listFiles(ctx context.Context, git, dir, commit string) ([]fileEntry, error) {
	out, err := runGit(ctx, git, dir, "ls-tree", "-r", "-z", commit)
	if err != nil {
		return nil, err
	}
	var fs []fileEntry
	for _, rec := range bytes.Split(out, []byte{0}) {
		meta, path, ok := strings.Cut(string(rec), "\t")
		if !ok {
			continue
		}
		fields := strings.Fields(meta) // mode type hash
		if len(fields) != 3 || fields[1] != "blob" {
			continue
		}
		m := countryPath.FindStringSubmatch(path)
		if m == nil || skipRegions[m[1]] {
			continue
		}
		fs = append(fs, fileEntry{path: path, region: m[1], code: m[2], blob: fields[2]})
	}
	return fs, nil
}

// runGit runs one git command in dir and returns its standard output.
func runGit(ctx context.Context, git, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, git, append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("factbook: git %s in %s: %w: %s", args[0], dir, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// catFile is a running "git cat-file --batch".
type catFile struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
}

func startCatFile(ctx context.Context, git, dir string) (*catFile, error) {
	cmd := exec.CommandContext(ctx, git, "-C", dir, "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("factbook: git cat-file: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("factbook: git cat-file: %w", err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("factbook: start git cat-file in %s: %w", dir, err)
	}
	return &catFile{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20), stderr: &stderr}, nil
}

// read returns the content of one blob.
func (c *catFile) read(hash string) ([]byte, error) {
	if _, err := io.WriteString(c.in, hash+"\n"); err != nil {
		return nil, fmt.Errorf("factbook: git cat-file: write %s: %w: %s", hash, err, c.stderr.String())
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("factbook: git cat-file: read header of %s: %w: %s", hash, err, c.stderr.String())
	}
	f := strings.Fields(header) // hash type size, or hash missing
	if len(f) != 3 {
		return nil, fmt.Errorf("factbook: git cat-file: %s: %q", hash, strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size < 0 {
		return nil, fmt.Errorf("factbook: git cat-file: %s: bad size in %q", hash, strings.TrimSpace(header))
	}
	buf := make([]byte, size+1) // content and the trailing newline
	if _, err := io.ReadFull(c.out, buf); err != nil {
		return nil, fmt.Errorf("factbook: git cat-file: read %s (%d bytes): %w", hash, size, err)
	}
	return buf[:size], nil
}

// close ends cat-file: closing its input makes it exit. Its exit status
// does not matter once every read has succeeded.
func (c *catFile) close() {
	_ = c.in.Close()
	_ = c.cmd.Wait()
}

func short(hash string) string {
	if len(hash) > 10 {
		return hash[:10]
	}
	return hash
}
