package extract

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/textmatch"
)

//go:embed topics.yaml
var defaultTopics []byte

// TopicDef is one topic of the taxonomy (topics.yaml).
type TopicDef struct {
	ID       string   `yaml:"id"`
	Label    string   `yaml:"label"`
	IPTC     string   `yaml:"iptc"`
	Triggers []string `yaml:"triggers"`
	// NotBefore lists head nouns (a trailing "*" makes a stem) that cancel an
	// adjective trigger: "economic" + "assistance" is aid, not the economy.
	NotBefore []string `yaml:"not_before"`
	// NotAfter lists phrases that cancel a trigger when they occur just
	// before it in its sentence: "during the" + "pandemic" is a time phrase.
	NotAfter []string `yaml:"not_after"`
	// NotWith lists topic ids whose triggers in the same sentence cancel this
	// topic's trigger: "NATO" in a sentence on Afghanistan.
	NotWith []string `yaml:"not_with"`
}

// Taxonomy is the list of topics, in file order.
type Taxonomy struct {
	Topics []TopicDef `yaml:"topics"`
}

// DefaultTaxonomy returns the embedded taxonomy.
func DefaultTaxonomy() (*Taxonomy, error) { return LoadTaxonomy(bytes.NewReader(defaultTopics)) }

// LoadTaxonomy reads and validates a taxonomy in the format of topics.yaml.
func LoadTaxonomy(r io.Reader) (*Taxonomy, error) {
	var t Taxonomy
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("extract: decode taxonomy: %w", err)
	}
	seen := map[string]bool{}
	for _, d := range t.Topics {
		if d.ID == "" || d.Label == "" || len(d.Triggers) == 0 || seen[d.ID] {
			return nil, fmt.Errorf("%w: topic %q needs a unique id, a label and triggers", ErrTaxonomy, d.ID)
		}
		seen[d.ID] = true
		for _, tr := range append(append(d.Triggers[:len(d.Triggers):len(d.Triggers)], d.NotBefore...), d.NotAfter...) {
			if _, err := textmatch.ParsePattern(tr); err != nil {
				return nil, fmt.Errorf("%w: topic %s: %v", ErrTaxonomy, d.ID, err)
			}
		}
	}
	for _, d := range t.Topics {
		for _, w := range d.NotWith {
			if !seen[w] {
				return nil, fmt.Errorf("%w: topic %s: not_with names unknown topic %q", ErrTaxonomy, d.ID, w)
			}
		}
	}
	return &t, nil
}

// findTopics collects the topic triggers of the title and of the whole
// body, not only of its lead, that the topic rules keep (topicrules.go).
// parties holds the country codes of the call's parties.
func (e *Extractor) findTopics(sc *scratch, title, body *text, bodyStop int, parties map[string]bool) ([]model.Topic, []string) {
	if cap(sc.topics) < len(e.tax.Topics) {
		sc.topics = make([]topicAcc, len(e.tax.Topics))
	}
	found := sc.topics[:len(e.tax.Topics)]
	clear(found)
	var c *topicCtx
	add := func(n, from, to int) {
		f := &found[n]
		if f.n >= maxTriggers {
			return
		}
		w := c.src[c.toks[from].Start:c.toks[to-1].End]
		for _, x := range f.words[:f.n] {
			if textmatch.EqualFold(x, w) {
				return
			}
		}
		f.words[f.n] = w
		f.n++
	}
	sc.thits = sc.thits[:0]
	for _, h := range title.topics {
		sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
	}
	c = &topicCtx{src: title.src, toks: title.toks, hits: sc.thits, parties: parties}
	e.keepTopics(sc, c, add)

	sc.thits = sc.thits[:0]
	toks := body.toks
	if len(body.toks) < maxBodyTokens {
		for _, h := range body.topics {
			sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
		}
	} else {
		// The lead was cut: triggers that start near its end may run past
		// it. Keep those that cannot, and match again from there on the
		// whole body (body.toks stays a view of its lead).
		sc.bodyAll, _ = sc.tz.Tokenize(body.src, bodyStop, 0, sc.bodyAll)
		toks = sc.bodyAll
		cut := max(0, maxBodyTokens-(e.topics.MaxWords()-1))
		for _, h := range body.topics {
			if h.from < cut {
				sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
			}
		}
		sc.topicHits = e.topics.AppendAll(sc.topicHits[:0], sc.bodyAll, cut)
		for _, m := range sc.topicHits {
			sc.thits = append(sc.thits, thit{m.Val, m.From, m.To})
		}
	}
	c = &topicCtx{src: body.src, toks: toks, hits: sc.thits, parties: parties}
	if len(toks) > 0 {
		_, lead := c.sentBounds(0)
		c.markEarlierCalls(lead) // the lead sentence reports the call itself
	}
	e.keepTopics(sc, c, add)

	var out []model.Topic
	var ev []string
	for i := range found {
		f := &found[i]
		if f.n == 0 {
			continue
		}
		d := e.tax.Topics[i]
		words := append([]string(nil), f.words[:f.n]...)
		out = append(out, model.Topic{ID: d.ID, Label: d.Label, IPTC: d.IPTC, Triggers: words})
		ev = append(ev, d.ID+": "+strings.Join(words, ", "))
	}
	clear(found) // drop references to the statement's text
	return out, ev
}

// topicsOf finds what the call was about, knowing the parties' countries (a
// party's own country is no topic).
func (e *Extractor) topicsOf(d *draft) {
	parties := make(map[string]bool, len(d.counter)+1)
	if d.ownCountry != "" {
		parties[d.ownCountry] = true
	}
	for _, p := range d.counter {
		o := p.OfficeOn(d.onDay)
		parties[o.Country+o.Org] = true
	}
	for _, u := range d.unresolved {
		// "President of Indonesia Joko Widodo": the country of an unresolved counterpart.
		for _, m := range e.rules.countries.AppendAll(nil, textmatch.Tokenize(u.mention, nil), 0) {
			if m.Val != d.ownCountry {
				parties[m.Val] = true
			}
		}
	}
	delete(parties, "")
	d.topics, d.topicEv = e.findTopics(d.sc, d.title, d.body, d.bodyStop, parties)
}
