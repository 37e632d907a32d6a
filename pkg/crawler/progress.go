package crawler

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// progress reports a backfill: on a terminal a bar redrawn in place (pages
// done of the estimated total, items, how far back, elapsed), otherwise one
// plain line per page, for logs and pipes.
type progress struct {
	w        io.Writer
	tty      bool
	source   string
	from     time.Time
	maxPages int
	start    time.Time

	last                        int // the archive's last page (rel="last"), 0 unknown
	pages, listed, inRange, pub int
	newest, oldest              time.Time
	drawn                       bool // a bar is on the current terminal line
}

const barWidth = 28

func newProgress(w io.Writer, source string, from time.Time, maxPages int) *progress {
	if w == nil {
		w = io.Discard
	}
	return &progress{w: w, tty: isTerminal(w), source: source, from: from, maxPages: maxPages, start: time.Now()}
}

// isTerminal reports whether w is a character device that is not a dumb
// terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// setLast records the archive's last page number.
func (p *progress) setLast(n int) {
	if n > 0 {
		p.last = n
	}
}

// estimate is the number of pages the walk will likely take: at most the
// archive's pages (rel="last") and MaxPages, and once pages are done, how
// many it takes to reach back to from at the pace so far.
func (p *progress) estimate() int {
	total := p.maxPages
	if p.last > 0 {
		total = min(total, p.last)
	}
	if p.pages > 0 && p.oldest.Before(p.newest) {
		if !p.oldest.After(p.from) {
			return p.pages
		}
		need, span := p.newest.Sub(p.from), p.newest.Sub(p.oldest)
		est := int(math.Ceil(float64(p.pages) * float64(need) / float64(span)))
		total = min(total, max(est, p.pages+1))
	}
	return max(total, p.pages)
}

func (p *progress) page(n int, r pageReport) {
	p.pages++
	p.listed += r.listed
	p.inRange += r.inRange
	p.pub += r.published
	if !r.oldest.IsZero() && (p.oldest.IsZero() || r.oldest.Before(p.oldest)) {
		p.oldest = r.oldest
	}
	if r.newest.After(p.newest) {
		p.newest = r.newest
	}
	if p.tty {
		p.draw()
		return
	}
	invalid := ""
	if r.invalid > 0 {
		invalid = fmt.Sprintf(", %d invalid", r.invalid)
	}
	fmt.Fprintf(p.w, "%s page %d: %d listed%s, %d in range, %d published (oldest %s) [%d/~%d pages, %d published in all, %s]\n",
		p.source, n, r.listed, invalid, r.inRange, r.published, fmtTime(r.oldest), p.pages, p.estimate(), p.pub, p.elapsed())
}

// end reports why the walk stopped at page n.
func (p *progress) end(n int, why string) { p.line(fmt.Sprintf("%s page %d: %s", p.source, n, why)) }

// fail reports the error that stopped the walk at page n.
func (p *progress) fail(n int, err error) { p.line(fmt.Sprintf("%s page %d: %v", p.source, n, err)) }

func (p *progress) finish(err error) {
	if err != nil {
		p.line(fmt.Sprintf("%s backfill stopped after %d pages: %d items published, %s", p.source, p.pages, p.pub, p.elapsed()))
		return
	}
	p.line(fmt.Sprintf("%s backfill done: %d items published, %d pages, %s", p.source, p.pub, p.pages, p.elapsed()))
}

// line prints a message on its own line, under the bar on a terminal.
func (p *progress) line(s string) {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\n")
		p.drawn = false
	}
	fmt.Fprintln(p.w, s)
}

func (p *progress) draw() {
	total := p.estimate()
	filled := barWidth
	if total > 0 {
		filled = min(barWidth, barWidth*p.pages/total)
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s [%s%s] %d/~%d pages  %d items  %d in range  %d published  back to %s  %s",
		p.source, strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), p.pages, total,
		p.listed, p.inRange, p.pub, fmtDate(p.oldest), p.elapsed())
	p.drawn = true
}

func (p *progress) elapsed() string { return time.Since(p.start).Round(time.Second).String() }

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(time.RFC3339)
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.Format(time.DateOnly)
}
