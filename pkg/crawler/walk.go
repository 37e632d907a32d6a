package crawler

import (
	"slices"
	"time"
)

// BackfillProgress is what the backfills of a source have done, kept in
// the state of the writer that runs them (the backfill's own record in
// Kafka). The seen keys are bounded (Config.MaxSeen), an archive is not
// (2000 pages of a Kremlin feed are 40,000 items): a walk instead records
// the publication times it has handled, and where it stopped, so that a
// rerun skips what it sent and an interrupted walk goes on from its last
// page instead of the newest.
type BackfillProgress struct {
	// Covered are the spans of publication time in which every archive item
	// was handled by a backfill (sent, seen before or dead-lettered),
	// sorted, disjoint, inclusive. An item dated in them is not sent again.
	Covered []Span `json:"covered,omitempty"`
	// Resume is the deepest page a walk has done that later walks may go on
	// from; nil once a walk reached the end of the archive.
	Resume    *ResumePoint `json:"resume,omitempty"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// Span is an inclusive span of publication time.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// ResumePoint is an archive page a walk did: every item of its range
// published after Reached was handled when it got there. The page is read
// again on resume: new items push an archive's entries to later pages, so
// it then holds items at least as new as Reached, and the walk goes on
// from there without a gap (a resumed page that no longer reaches back to
// Reached, after deletions, is not used).
type ResumePoint struct {
	URL     string    `json:"url"`
	Page    int       `json:"page"`
	Reached time.Time `json:"reached"`
}

func (p *BackfillProgress) clone() *BackfillProgress {
	if p == nil {
		return nil
	}
	c := *p
	c.Covered = slices.Clone(p.Covered)
	if p.Resume != nil {
		r := *p.Resume
		c.Resume = &r
	}
	return &c
}

// maxSpans bounds BackfillProgress.Covered; beyond it the oldest spans are
// forgotten (a later walk over them relies on the seen keys only).
const maxSpans = 256

// walkSaveEvery is how many archive pages without new items a walk does
// between saves of its progress (pages with new items save it with them).
const walkSaveEvery = 20

// addSpan returns spans with s added, merged with the spans it overlaps or
// touches.
func addSpan(spans []Span, s Span) []Span {
	if s.To.Before(s.From) {
		return spans
	}
	out := make([]Span, 0, len(spans)+1)
	for _, o := range spans {
		switch {
		case o.To.Add(time.Nanosecond).Before(s.From):
			out = append(out, o) // wholly before s
		case s.To.Add(time.Nanosecond).Before(o.From):
			out = append(out, s) // wholly after s: s goes first
			s = o
		default: // overlapping or touching: one span
			if o.From.Before(s.From) {
				s.From = o.From
			}
			if o.To.After(s.To) {
				s.To = o.To
			}
		}
	}
	out = append(out, s)
	if len(out) > maxSpans {
		out = out[len(out)-maxSpans:]
	}
	return out
}

// subtractSpans returns the parts of s that spans do not cover, in order.
func subtractSpans(s Span, spans []Span) []Span {
	var out []Span
	for _, o := range spans {
		if o.To.Before(s.From) || s.To.Before(o.From) {
			continue
		}
		if o.From.After(s.From) {
			out = append(out, Span{From: s.From, To: o.From.Add(-time.Nanosecond)})
		}
		s.From = o.To.Add(time.Nanosecond)
		if s.To.Before(s.From) {
			return out
		}
	}
	return append(out, s)
}

func inSpans(spans []Span, t time.Time) bool {
	for _, s := range spans {
		if !t.Before(s.From) && !t.After(s.To) {
			return true
		}
	}
	return false
}

// cursor is an archive page to fetch: its number in the archive and URL.
type cursor struct {
	n   int
	url string
}

// walk is one backfill of [from, to] over an archive, newest page first.
type walk struct {
	from, to time.Time
	covered  []Span
	// resume is where an earlier walk stopped: the walk jumps there once
	// what lies between is covered.
	resume *ResumePoint
	jumped bool
	// pos is the last page this walk did; frontier the time after which it
	// handled every item of the range (zero before its first page): the
	// last dated entry of its pages, in listing order, so that an old entry
	// pinned at the top of a listing does not end the walk.
	pos      *ResumePoint
	frontier time.Time
	// top bounds what the walk covers from above: the newest entry its
	// first page showed (not to: an item that appears later, dated before
	// to, as a Kremlin item stamped with its event's time, was not seen).
	top    time.Time
	topSet bool
	// holes are the dated entries of done pages that could not be handled
	// (their article page failed): never covered, so a rerun tries them.
	holes   []time.Time
	unsaved int
	dirty   bool
}

func newWalk(from, to time.Time, prog *BackfillProgress) *walk {
	w := &walk{from: from, to: to, top: to}
	if prog != nil {
		w.covered = slices.Clone(prog.Covered)
		if prog.Resume != nil {
			r := *prog.Resume
			w.resume = &r
		}
	}
	return w
}

// covers reports whether an item published at t was handled already.
func (w *walk) covers(t time.Time) bool { return inSpans(w.covered, t) }

// remaining is what of the range is still to be handled at or before the
// frontier (this walk's pages handled everything after it).
func (w *walk) remaining() []Span {
	top := w.to
	if !w.frontier.IsZero() && w.frontier.Before(top) {
		top = w.frontier
	}
	if top.Before(w.from) {
		return nil
	}
	return subtractSpans(Span{From: w.from, To: top}, w.covered)
}

// done reports whether every item of the range is handled.
func (w *walk) done() bool { return len(w.remaining()) == 0 }

// pageDone records a page of the walk done in full.
func (w *walk) pageDone(cur cursor, rep pageReport) {
	w.holes = append(w.holes, rep.failed...)
	if !w.topSet {
		w.topSet = true
		if !rep.newest.IsZero() && rep.newest.Before(w.top) {
			w.top = rep.newest
		}
	}
	if !rep.last.IsZero() && (w.frontier.IsZero() || rep.last.Before(w.frontier)) {
		w.frontier = rep.last
	}
	if !w.frontier.IsZero() {
		w.cover(w.frontier.Add(time.Nanosecond), w.to)
		w.pos = &ResumePoint{URL: cur.url, Page: cur.n, Reached: w.frontier}
	}
	w.unsaved++
	w.dirty = true
}

// archiveEnds records that the archive has nothing older than the pages
// done: the whole range is handled.
func (w *walk) archiveEnds() {
	w.cover(w.from, w.to)
	w.pos, w.resume = nil, nil
	w.dirty = true
}

// cover adds [a, b] within the range and under top, but for the holes, to
// the coverage.
func (w *walk) cover(a, b time.Time) {
	if a.Before(w.from) {
		a = w.from
	}
	if b.After(w.top) {
		b = w.top
	}
	holes := slices.Clone(w.holes)
	slices.SortFunc(holes, time.Time.Compare)
	for _, h := range holes {
		if h.Before(a) || h.After(b) {
			continue
		}
		w.covered = addSpan(w.covered, Span{From: a, To: h.Add(-time.Nanosecond)})
		a = h.Add(time.Nanosecond)
	}
	w.covered = addSpan(w.covered, Span{From: a, To: b})
}

// jump returns the page to go on from instead of next: where an earlier
// walk stopped, once everything still to do lies at or before where it
// got to. A walk jumps at most once.
func (w *walk) jump(next cursor) (cursor, bool) {
	r := w.resume
	if w.jumped || r == nil || r.URL == next.url || (!w.frontier.IsZero() && !r.Reached.Before(w.frontier)) {
		return cursor{}, false
	}
	rem := w.remaining()
	if len(rem) == 0 || rem[len(rem)-1].To.After(r.Reached) {
		return cursor{}, false
	}
	w.jumped = true
	return cursor{n: r.Page, url: r.URL}, true
}

// resumedPageFits reports whether a page jumped to still reaches back to
// where the earlier walk had got: one of its dated entries is no older.
func (w *walk) resumedPageFits(dates []time.Time) bool {
	for _, t := range dates {
		if !t.Before(w.resume.Reached) {
			return true
		}
	}
	return false
}

// saveDue reports whether enough pages went by without a save.
func (w *walk) saveDue() bool { return w.unsaved >= walkSaveEvery }

// progress is what to record: the coverage, and the deepest page done, by
// this walk or an earlier one.
func (w *walk) progress(now time.Time) *BackfillProgress {
	p := &BackfillProgress{Covered: slices.Clone(w.covered), UpdatedAt: now.UTC()}
	r := w.pos
	if w.resume != nil && (r == nil || w.resume.Reached.Before(r.Reached)) {
		r = w.resume
	}
	if r != nil {
		c := *r
		p.Resume = &c
	}
	return p
}

func (w *walk) saved() { w.unsaved, w.dirty = 0, false }
