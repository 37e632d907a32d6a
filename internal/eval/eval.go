package eval

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// ErrBadInput is returned for unreadable or inconsistent input files.
var ErrBadInput = errors.New("eval: bad input")

// Statement is one line of statements-dev.jsonl / extra.jsonl.
type Statement struct {
	ID      string `json:"id"`
	Source  string `json:"source"`
	URL     string `json:"url"`
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Date    string `json:"date"`
	DateRaw string `json:"date_raw,omitempty"`
	Text    string `json:"text"`
	Kind    string `json:"kind,omitempty"`
	Origin  string `json:"origin,omitempty"`
}

// Label is one line of labels.jsonl.
type Label struct {
	ID           string   `json:"id"`
	IsCall       bool     `json:"is_call"`
	Status       string   `json:"status,omitempty"`
	Participants []string `json:"participants"`
	Date         string   `json:"date,omitempty"`
	Topics       []string `json:"topics"`
	Cluster      string   `json:"cluster,omitempty"`
	Note         string   `json:"note,omitempty"`
}

// Prediction is what a system said about one statement.
type Prediction struct {
	IsCall       bool
	Announced    bool // an announced (future) call is reported
	Participants []string
	// Names holds the English name of each participant predicted by id: a
	// label written as "name:" before the data had the person's id matches
	// the person by that name.
	Names  map[string]string
	Date   string
	Topics []string
	Events []string // event ids (for dedup); direct mode uses participants+date
	// Parties holds, per held call reported, how many parties it has.
	Parties []int
}

// participantKey is how a prediction names a participant: its Wikidata id,
// else "name:" and the name it has (as the gazetteer or the text gives it).
func participantKey(x model.Participant) string {
	if x.WikidataID != "" {
		return x.WikidataID
	}
	return "name:" + cmp.Or(x.NameEN, x.NameRU, x.Mention)
}

// nameByID records the English name of a participant predicted by id.
func nameByID(names map[string]string, x model.Participant) map[string]string {
	if x.WikidataID == "" || x.NameEN == "" {
		return names
	}
	if names == nil {
		names = map[string]string{}
	}
	names[x.WikidataID] = x.NameEN
	return names
}

func readLines[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	defer f.Close()
	return decodeLines[T](f, path)
}

func decodeLines[T any](r io.Reader, name string) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			return nil, fmt.Errorf("%w: %s line %d: %v", ErrBadInput, name, n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadInput, name, err)
	}
	return out, nil
}

// ReadStatements reads statement JSON lines.
func ReadStatements(paths ...string) ([]Statement, error) {
	var out []Statement
	for _, p := range paths {
		s, err := readLines[Statement](p)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// ReadLabels reads labels JSON lines.
func ReadLabels(paths ...string) (map[string]Label, error) {
	out := map[string]Label{}
	for _, p := range paths {
		ls, err := readLines[Label](p)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if l.ID == "" {
				return nil, fmt.Errorf("%w: %s: label without id", ErrBadInput, p)
			}
			out[l.ID] = l
		}
	}
	return out, nil
}

// ToModel builds the model.Statement the processor would produce.
func (s Statement) ToModel() (*model.Statement, error) {
	t, err := time.Parse(time.RFC3339, s.Date)
	if err != nil {
		// Date-only lines: noon UTC keeps the calendar day in every publisher zone.
		d, err2 := time.Parse("2006-01-02", s.Date)
		if err2 != nil {
			return nil, fmt.Errorf("%w: %s: date: %v", ErrBadInput, s.ID, err)
		}
		t = d.Add(12 * time.Hour)
	}
	return &model.Statement{ID: s.ID, Source: s.Source, Publisher: s.Source, URL: s.URL, Lang: s.Lang,
		Title: s.Title, Text: s.Text, PublishedAt: t.UTC(), Version: 1}, nil
}

// ToRaw converts s to a raw item as the crawler would publish it.
func (s Statement) ToRaw() model.RawItem {
	src := "kremlin-en"
	switch s.Source {
	case "kremlin.ru":
		src = "kremlin-ru"
	case "whitehouse.gov":
		src = "whitehouse"
	}
	pub := s.Date
	if s.DateRaw != "" {
		pub = s.DateRaw
	}
	return model.RawItem{Source: src, Publisher: s.Source, URL: s.URL, GUID: s.URL, Lang: s.Lang, Title: s.Title,
		PublishedAt: pub, ContentType: "text/plain", Body: s.Text, Tags: []string{}}
}

// Direct runs the extractor on each statement.
func Direct(ex *extract.Extractor, sts []Statement) (map[string]Prediction, error) {
	out := map[string]Prediction{}
	for _, s := range sts {
		st, err := s.ToModel()
		if err != nil {
			return nil, err
		}
		out[s.ID] = FromCalls(ex.Extract(st))
	}
	return out, nil
}

// FromCalls summarizes extracted calls as a prediction; the event key of a
// held call is its participant set and date.
func FromCalls(calls []extract.Call) Prediction {
	var p Prediction
	parts, topics := map[string]bool{}, map[string]bool{}
	for _, c := range calls {
		if c.Status == model.StatusAnnounced {
			p.Announced = true
		}
		if c.Status != model.StatusHeld {
			continue
		}
		p.IsCall = true
		var ids []string
		for _, x := range c.Participants {
			parts[participantKey(x)] = true
			ids = append(ids, participantKey(x))
			p.Names = nameByID(p.Names, x)
		}
		p.Parties = append(p.Parties, len(c.Participants))
		for _, t := range c.Topics {
			topics[t.ID] = true
		}
		if p.Date == "" {
			p.Date = c.OccurredOn
		}
		if len(ids) > 1 {
			p.Events = append(p.Events, strings.Join(ids, "+")+"@"+c.OccurredOn)
		}
	}
	p.Participants, p.Topics = keys(parts), keys(topics)
	return p
}

// FromEvents reads processor events (model.LeaderCall lines; a later version
// of an event replaces an earlier one) and maps them to statements by URL:
// a source's canonical URL (its url in events of earlier versions), so the
// statements' URLs must be canonical too.
func FromEvents(r io.Reader, sts []Statement) (map[string]Prediction, error) {
	evs, err := decodeLines[model.LeaderCall](r, "events")
	if err != nil {
		return nil, err
	}
	latest := map[string]model.LeaderCall{}
	for _, e := range evs {
		if e.ID == "" {
			return nil, fmt.Errorf("%w: event without id", ErrBadInput)
		}
		if old, ok := latest[e.ID]; !ok || e.Version >= old.Version {
			latest[e.ID] = e
		}
	}
	byURL := map[string]string{}
	for _, s := range sts {
		byURL[normURL(s.URL)] = s.ID
	}
	acc := map[string]*Prediction{}
	parts := map[string]map[string]bool{}
	topics := map[string]map[string]bool{}
	ids := make([]string, 0, len(latest))
	for id := range latest {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := latest[id]
		if e.Status == model.StatusAnnounced {
			// Announcements map to the statements that made them.
			for _, a := range e.Sources {
				if sid, ok := byURL[normURL(cmp.Or(a.CanonicalURL, a.URL))]; ok {
					p := acc[sid]
					if p == nil {
						p = &Prediction{}
						acc[sid] = p
						parts[sid], topics[sid] = map[string]bool{}, map[string]bool{}
					}
					p.Announced = true
				}
			}
		}
		if e.Status != model.StatusHeld {
			continue
		}
		for _, src := range e.Sources {
			sid, ok := byURL[normURL(cmp.Or(src.CanonicalURL, src.URL))]
			if !ok {
				continue
			}
			p := acc[sid]
			if p == nil {
				p = &Prediction{}
				acc[sid] = p
				parts[sid], topics[sid] = map[string]bool{}, map[string]bool{}
			}
			p.IsCall = true
			if p.Date == "" {
				p.Date = e.OccurredOn
			}
			p.Events = append(p.Events, e.ID)
			for _, x := range e.Participants {
				parts[sid][participantKey(x)] = true
				p.Names = nameByID(p.Names, x)
			}
			p.Parties = append(p.Parties, len(e.Participants))
			for _, t := range e.Topics {
				topics[sid][t.ID] = true
			}
		}
	}
	out := map[string]Prediction{}
	for sid, p := range acc {
		p.Participants, p.Topics = keys(parts[sid]), keys(topics[sid])
		out[sid] = *p
	}
	return out, nil
}

func normURL(u string) string {
	u = strings.TrimSuffix(strings.TrimSpace(u), "/")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimPrefix(u, "www.")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PRF is precision, recall and F1 with the counts behind them.
type PRF struct {
	TP, FP, FN int
}

// P is precision (1 when nothing was predicted).
func (s PRF) P() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// R is recall (1 when nothing was expected).
func (s PRF) R() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// F1 is the harmonic mean of P and R.
func (s PRF) F1() float64 {
	p, r := s.P(), s.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Report is the outcome of a scoring run.
type Report struct {
	Fields map[string]*PRF
	Misses []string
	// Held counts the held events predicted for statements labelled as held
	// calls; FewerThanTwo, those of them with fewer than two parties.
	Held, FewerThanTwo int
}

// nameAsLabelled returns the label's "name:" key that a predicted "name:"
// key means (the same surname, in either script), else the key itself. A
// full Spanish-style name ends in the mother's surname: "Gustavo Francisco
// Petro Urrego" is "Gustavo Petro", "Daniel Noboa Azin" "Daniel Noboa",
// "Bernardo Arévalo de León" "Bernardo Arévalo". A predicted id matches a
// "name:" label only by the person's full English name (names), for a
// label written before the data had the id; never an id the label gives.
func nameAsLabelled(q string, labels []string, names map[string]string) string {
	if n, ok := names[q]; ok && !slices.Contains(labels, q) {
		for _, l := range labels {
			if ln, ok := strings.CutPrefix(l, "name:"); ok && strings.EqualFold(ln, n) {
				return l
			}
		}
	}
	name, ok := strings.CutPrefix(q, "name:")
	if !ok {
		return q
	}
	words := strings.Fields(name)
	for _, l := range labels {
		ln, ok := strings.CutPrefix(l, "name:")
		if !ok {
			continue
		}
		p := &gazetteer.Person{NameEN: ln}
		if gazetteer.NameMatches(p, words) || len(words) >= 3 && gazetteer.NameMatches(p, words[:len(words)-1]) ||
			len(words) >= 4 && slices.Contains([]string{"de", "del", "y"}, strings.ToLower(words[len(words)-2])) && gazetteer.NameMatches(p, words[:len(words)-2]) {
			return l
		}
	}
	return q
}

// Field names of a report.
var Fields = []string{"call", "participants", "date", "topics", "dedup", "announced"}

// Score compares predictions with labels over the labelled statements.
func Score(labels map[string]Label, preds map[string]Prediction) Report {
	r := &Report{Fields: map[string]*PRF{}}
	for _, f := range Fields {
		r.Fields[f] = &PRF{}
	}
	ids := make([]string, 0, len(labels))
	for id := range labels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		l, p := labels[id], preds[id]
		r.scoreCall(id, l, p)
		r.scoreAnnounced(id, l, p)
		r.scoreParticipants(id, l, p)
		r.scoreDate(id, l, p)
		if l.IsCall {
			r.scoreTopics(id, l, p)
		}
	}
	r.scoreDedup(ids, labels, preds)
	return *r
}

func (r *Report) miss(f string, format string, a ...any) {
	r.Misses = append(r.Misses, f+": "+fmt.Sprintf(format, a...))
}

func (r *Report) scoreCall(id string, l Label, p Prediction) {
	c := r.Fields["call"]
	switch {
	case l.IsCall && p.IsCall:
		c.TP++
	case l.IsCall:
		c.FN++
		r.miss("call", "%s: missed call (want %v)", id, l.Participants)
	case p.IsCall:
		c.FP++
		r.miss("call", "%s: false call %v", id, p.Participants)
	}
}

func (r *Report) scoreAnnounced(id string, l Label, p Prediction) {
	a := r.Fields["announced"]
	switch la := l.Status == model.StatusAnnounced; {
	case la && p.Announced:
		a.TP++
	case la:
		a.FN++
		r.miss("announced", "%s: announcement missed", id)
	case p.Announced && !l.IsCall:
		// A held call's report may also announce the next one; only a
		// statement with no call at all counts as a false announcement.
		a.FP++
		r.miss("announced", "%s: false announcement", id)
	}
}

// scoreParticipants scores the parties, and counts held events with fewer
// than two.
func (r *Report) scoreParticipants(id string, l Label, p Prediction) {
	want, got := map[string]bool{}, map[string]bool{}
	if l.IsCall {
		for _, q := range l.Participants {
			want[q] = true
		}
	}
	for _, q := range p.Participants {
		got[nameAsLabelled(q, l.Participants, p.Names)] = true
	}
	if l.IsCall && l.Status != model.StatusAnnounced {
		for _, n := range p.Parties {
			r.Held++
			if n < 2 {
				r.FewerThanTwo++
				r.miss("parties", "%s: a held event with %d part(y/ies)", id, n)
			}
		}
	}
	setScore(r.Fields["participants"], want, got, func(q string, fn bool) {
		if fn {
			r.miss("participants", "%s: missing %s", id, q)
		} else {
			r.miss("participants", "%s: extra %s", id, q)
		}
	})
}

func (r *Report) scoreDate(id string, l Label, p Prediction) {
	d := r.Fields["date"]
	switch {
	case l.IsCall && p.IsCall && l.Date == p.Date:
		d.TP++
	case l.IsCall && p.IsCall:
		d.FP++
		d.FN++
		r.miss("date", "%s: got %s, want %s", id, p.Date, l.Date)
	case l.IsCall:
		d.FN++
	case p.IsCall:
		d.FP++
	}
}

func (r *Report) scoreTopics(id string, l Label, p Prediction) {
	wt, gt := map[string]bool{}, map[string]bool{}
	for _, t := range l.Topics {
		wt[t] = true
	}
	for _, t := range p.Topics {
		gt[t] = true
	}
	setScore(r.Fields["topics"], wt, gt, func(t string, fn bool) {
		if fn {
			r.miss("topics", "%s: missing %s", id, t)
		} else {
			r.miss("topics", "%s: extra %s", id, t)
		}
	})
}

// scoreDedup scores pairs of call statements in one event against pairs
// in one label cluster.
func (r *Report) scoreDedup(ids []string, labels map[string]Label, preds map[string]Prediction) {
	var calls []string
	for _, id := range ids {
		if labels[id].IsCall {
			calls = append(calls, id)
		}
	}
	d := r.Fields["dedup"]
	for i := 0; i < len(calls); i++ {
		for j := i + 1; j < len(calls); j++ {
			a, b := calls[i], calls[j]
			same := labels[a].Cluster != "" && labels[a].Cluster == labels[b].Cluster
			pred := shareEvent(preds[a], preds[b])
			switch {
			case same && pred:
				d.TP++
			case same:
				d.FN++
				r.miss("dedup", "%s and %s: same call, not merged", a, b)
			case pred:
				d.FP++
				r.miss("dedup", "%s and %s: merged, different calls", a, b)
			}
		}
	}
}

func shareEvent(a, b Prediction) bool {
	for _, x := range a.Events {
		for _, y := range b.Events {
			if x == y {
				return true
			}
		}
	}
	return false
}

func setScore(s *PRF, want, got map[string]bool, miss func(string, bool)) {
	for _, k := range keys(want) {
		if got[k] {
			s.TP++
		} else {
			s.FN++
			miss(k, true)
		}
	}
	for _, k := range keys(got) {
		if !want[k] {
			s.FP++
			miss(k, false)
		}
	}
}

// Write prints the scores and the misses.
func (r Report) Write(w io.Writer, listMisses bool) {
	fmt.Fprintf(w, "%-13s %7s %7s %7s %6s %6s %6s\n", "field", "P", "R", "F1", "TP", "FP", "FN")
	for _, f := range Fields {
		s := r.Fields[f]
		fmt.Fprintf(w, "%-13s %7.3f %7.3f %7.3f %6d %6d %6d\n", f, s.P(), s.R(), s.F1(), s.TP, s.FP, s.FN)
	}
	if r.Held > 0 {
		fmt.Fprintf(w, "held events with fewer than two parties: %d of %d (%.1f %%)\n", r.FewerThanTwo, r.Held, 100*float64(r.FewerThanTwo)/float64(r.Held))
	}
	if listMisses {
		for _, m := range r.Misses {
			fmt.Fprintln(w, "MISS", m)
		}
	}
}
