package extract

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed phrases.yaml
var phrasesYAML []byte

// phraseTable is phrases.yaml: the extractor's words, as data.
type phraseTable struct {
	Phrases      []phraseEntry `yaml:"phrases"`
	Months       [][]string    `yaml:"months"`
	Weekdays     [][]string    `yaml:"weekdays"`
	RelativeDays []struct {
		Offset int      `yaml:"offset"`
		Words  []string `yaml:"words"`
	} `yaml:"relative_days"`
}

// phraseEntry is one group of phrases of one kind.
type phraseEntry struct {
	Kind   string   `yaml:"kind"`
	Plural bool     `yaml:"plural"`
	Role   string   `yaml:"role"`
	Words  []string `yaml:"words"`
	// Fillers expand a word's "~": "spoke ~ with" with "on Monday" gives
	// "spoke on Monday with"; a filler with "{day}" stands for one with each
	// weekday's English name ("on {day} evening"). A word meant without them
	// is listed too.
	Fillers []string `yaml:"fillers"`
	// FillerPairs also expands "~" by two fillers joined by "and": "had a
	// long and very good talk with".
	FillerPairs bool `yaml:"filler_pairs"`
}

// phraseKinds maps the kinds phrases.yaml names to the matcher's.
var phraseKinds = map[string]kind{
	"call": kCall, "soft_call": kSoftCall, "background": kBackground, "weak_call": kWeakCall,
	"future_call": kFutureCall, "announce": kAnnounce, "announce_title": kAnnounceTitle,
	"neg_genre": kNegGenre, "boundary": kBoundary, "non_leader": kNonLeader, "vice": kVice,
	"leader_word": kLeaderWord, "no_call": kNoCall, "former": kFormer, "leaders": kLeaders, "multi": kMulti,
	"initiative": kInitiative, "deny_title": kDenyTitle, "no_call_clause": kNoCallClause,
	"counterpart": kCounterpart, "party_chief": kPartyChief,
}

// loadPhrases decodes and checks a phrase table.
func loadPhrases(data []byte) (*phraseTable, error) {
	var pt phraseTable
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&pt); err != nil {
		return nil, fmt.Errorf("phrases: %w", err)
	}
	for i, p := range pt.Phrases {
		k, ok := phraseKinds[p.Kind]
		switch {
		case !ok:
			return nil, fmt.Errorf("phrases: entry %d: unknown kind %q", i, p.Kind)
		case len(p.Words) == 0:
			return nil, fmt.Errorf("phrases: entry %d (%s): no words", i, p.Kind)
		case p.Role != "" && k != kLeaders:
			return nil, fmt.Errorf("phrases: entry %d (%s): role applies to kind leaders only", i, p.Kind)
		case p.Plural && k != kCall:
			return nil, fmt.Errorf("phrases: entry %d (%s): plural applies to kind call only", i, p.Kind)
		}
		tilde := slices.ContainsFunc(p.Words, func(w string) bool { return strings.Contains(w, "~") })
		if tilde != (len(p.Fillers) > 0) {
			return nil, fmt.Errorf("phrases: entry %d (%s): fillers and words with \"~\" go together", i, p.Kind)
		}
	}
	if len(pt.Months) != 12 || len(pt.Weekdays) != 7 {
		return nil, fmt.Errorf("phrases: %d months and %d weekdays, want 12 and 7", len(pt.Months), len(pt.Weekdays))
	}
	return &pt, nil
}

// addPhrases adds the table's phrase groups with add, in file order.
func (pt *phraseTable) addPhrases(add func(v item, ps ...string) error) []error {
	var errs []error
	for i := range pt.Phrases {
		p := &pt.Phrases[i]
		errs = append(errs, add(item{k: phraseKinds[p.Kind], plural: p.Plural, role: p.Role}, p.words(pt.englishWeekdays())...))
	}
	return errs
}

// englishWeekdays returns the first (English) name of each weekday.
func (pt *phraseTable) englishWeekdays() []string {
	days := make([]string, 0, len(pt.Weekdays))
	for _, ws := range pt.Weekdays {
		if len(ws) > 0 {
			days = append(days, ws[0])
		}
	}
	return days
}

// words returns the entry's words with every "~" expanded by each filler,
// "{day}" in a filler by each of days.
func (p *phraseEntry) words(days []string) []string {
	if len(p.Fillers) == 0 {
		return p.Words
	}
	fillers := expand(p.Fillers, "{day}", days)
	if p.FillerPairs {
		n := len(fillers)
		for _, f := range fillers[:n] {
			for _, g := range fillers[:n] {
				if g != f {
					fillers = append(fillers, f+" and "+g)
				}
			}
		}
	}
	return expand(p.Words, "~", fillers)
}

// expand returns ws with every word that holds mark replaced by one copy
// per sub.
func expand(ws []string, mark string, subs []string) []string {
	var out []string
	for _, w := range ws {
		if !strings.Contains(w, mark) {
			out = append(out, w)
			continue
		}
		for _, sub := range subs {
			out = append(out, strings.ReplaceAll(w, mark, sub))
		}
	}
	return out
}

// addCalendar adds the months, weekdays and relative days with add.
func (pt *phraseTable) addCalendar(add func(v item, ps ...string) error) []error {
	var errs []error
	for i, ws := range pt.Months {
		errs = append(errs, add(item{k: kMonth, n: i + 1}, ws...))
	}
	for i, ws := range pt.Weekdays {
		errs = append(errs, add(item{k: kWeekday, n: i}, ws...))
	}
	for _, d := range pt.RelativeDays {
		errs = append(errs, add(item{k: kRelDay, n: d.Offset}, d.Words...))
	}
	return errs
}
