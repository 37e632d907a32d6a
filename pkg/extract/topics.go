package extract

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"

	"github.com/readout/readout/pkg/gazetteer/textmatch"
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
