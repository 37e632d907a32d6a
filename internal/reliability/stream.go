package reliability

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrNoEntries is returned by NewStream for a feed without Atom entries.
var ErrNoEntries = errors.New("reliability: feed has no entries")

// Generation is how much later each generation of a stream is published than
// the one before: longer than the ten days the captured feed spans, so the
// stream stays in publication order.
const Generation = 10 * 24 * time.Hour

// idStride separates generations' ids: the captured ids span less than 100.
const (
	idStride      = 1000
	variantStride = 500000
)

var (
	entryRE = regexp.MustCompile(`(?s)<entry>.*?</entry>`)
	idRE    = regexp.MustCompile(`<id>[^<]*/(\d+)</id>`)
	dateRE  = regexp.MustCompile(`<(published|updated)>([^<]+)</(?:published|updated)>`)
)

// Stream turns a captured Atom feed into an endless stream of distinct,
// real-looking entries: entry i of variant v is template i%n of the feed
// (oldest first) with its numeric id shifted by (i/n)*1000 + v*500000 and
// its dates shifted by (i/n) generations. Variants give independent streams
// (one per source) whose ids never collide.
type Stream struct {
	head      string
	templates []template // oldest first
}

type template struct {
	xml string
	id  int
}

// NewStream reads the entries of an Atom feed.
func NewStream(feed []byte) (*Stream, error) {
	locs := entryRE.FindAllIndex(feed, -1)
	if len(locs) == 0 {
		return nil, ErrNoEntries
	}
	s := &Stream{head: string(feed[:locs[0][0]])}
	for i := len(locs) - 1; i >= 0; i-- { // the feed is newest first
		e := feed[locs[i][0]:locs[i][1]]
		m := idRE.FindSubmatch(e)
		if m == nil {
			return nil, fmt.Errorf("reliability: entry %d has no numeric id", i)
		}
		id, err := strconv.Atoi(string(m[1]))
		if err != nil {
			return nil, fmt.Errorf("reliability: entry %d: %w", i, err)
		}
		s.templates = append(s.templates, template{xml: string(e), id: id})
	}
	return s, nil
}

// Templates is the number of entries of the captured feed.
func (s *Stream) Templates() int { return len(s.templates) }

// ID returns the publisher's numeric id of entry i of variant v.
func (s *Stream) ID(v, i int) int {
	return s.templates[i%len(s.templates)].id + (i/len(s.templates))*idStride + v*variantStride
}

// Entry returns the Atom <entry> element of entry i of variant v.
func (s *Stream) Entry(v, i int) string {
	t := s.templates[i%len(s.templates)]
	gen := i / len(s.templates)
	old, id := strconv.Itoa(t.id), strconv.Itoa(s.ID(v, i))
	e := t.xml
	for _, end := range []string{"<", `"`} {
		e = strings.ReplaceAll(e, "/"+old+end, "/"+id+end)
	}
	return dateRE.ReplaceAllStringFunc(e, func(m string) string {
		sm := dateRE.FindStringSubmatch(m)
		ts, err := time.Parse(time.RFC3339, sm[2])
		if err != nil {
			return m
		}
		ts = ts.Add(time.Duration(gen) * Generation)
		return "<" + sm[1] + ">" + ts.Format(time.RFC3339) + "</" + sm[1] + ">"
	})
}

// Feed returns an Atom feed of entries [from, to) of variant v, newest first,
// as a publisher's feed lists them.
func (s *Stream) Feed(v, from, to int) []byte {
	var b bytes.Buffer
	b.WriteString(s.head)
	for i := to - 1; i >= from && i >= 0; i-- {
		b.WriteString(s.Entry(v, i))
	}
	b.WriteString("</feed>")
	return b.Bytes()
}
