// Package publishers is the registry of the sites Readout reads statements
// from: for each government press office (and each agency or mirror that
// copies one) its hosts, time zone and languages, the government and office
// it speaks for, its release markers, page selectors, page-chrome rules and
// id pattern. The crawler, normalize, extract and calls read publisher facts
// here and nowhere else.
//
// The data is publishers.yaml, embedded. Adding a publisher that fits an
// existing source kind (a feed, or a listing and its articles) is an entry
// there and a source in configs/sources.yaml: no code.
package publishers

import (
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones resolve in scratch images too

	"go.yaml.in/yaml/v3"
)

//go:embed publishers.yaml
var defaultData []byte

// ErrInvalid is wrapped by every validation error of Parse.
var ErrInvalid = errors.New("publishers: invalid registry")

// Page-chrome rules normalize applies to a publisher's texts and times.
const (
	RulesKremlin    = "kremlin"    // kremlin.ru: tooltips, trailers, the "+04:00" Moscow quirk
	RulesWhiteHouse = "whitehouse" // whitehouse.gov: WordPress page chrome
)

// Publisher is one site that publishes statements.
type Publisher struct {
	// Host is the publisher's main host and its name everywhere
	// (RawItem.publisher, Statement.publisher). Its subdomains are the
	// publisher's too: en.kremlin.ru is kremlin.ru.
	Host string `yaml:"host"`
	Name string `yaml:"name"`
	// Hosts are other hosts of the same publisher (an old site's archive).
	Hosts []string `yaml:"hosts,omitempty"`
	// ArchiveHosts serve Host's documents under the same paths (the
	// National Archives' copies of whitehouse.gov): their URLs are
	// canonicalised to Host.
	ArchiveHosts []string `yaml:"archive_hosts,omitempty"`
	Zone         string   `yaml:"zone"`  // IANA zone its local dates and times are in
	Langs        []string `yaml:"langs"` // languages it publishes in
	// Government is the country or organisation code of the government it
	// belongs to or republishes ("RU"); empty for a news agency.
	Government string `yaml:"government,omitempty"`
	// Office is the office kind (gazetteer offices) of the leader who
	// speaks through it: its unnamed "the President" is the holder of
	// Office in Government on the day. Empty when no leader speaks there.
	Office string `yaml:"office,omitempty"`
	// Person is the Wikidata id of the one leader who speaks through it,
	// whoever holds Office on the day: a leader's own office that outlives
	// his terms (nazarbayev.kz, the First President's). His calls after
	// his terms are a former leader's.
	Person string `yaml:"person,omitempty"`
	// Markers are release header lines that name it when a text is copied
	// elsewhere ("Office of the Press Secretary"), matched case-insensitively
	// against a whole line near the top.
	Markers []string `yaml:"markers,omitempty"`
	// TitleMarker is a regexp that its release headlines alone match, so
	// that a copy elsewhere under the same headline is known as its:
	// GOV.UK's "PM call with Prime Minister Modi of India: 6 July 2024".
	TitleMarker string `yaml:"title_marker,omitempty"`
	Rules       string `yaml:"rules,omitempty"` // RulesKremlin, RulesWhiteHouse or empty
	// IDPattern is a regexp whose first group, on an item URL of its site,
	// is the publisher's own id of the item.
	IDPattern string     `yaml:"id_pattern,omitempty"`
	Selectors *Selectors `yaml:"selectors,omitempty"`

	loc     *time.Location
	idRE    *regexp.Regexp
	titleRE *regexp.Regexp
}

// Selectors are the CSS selectors (goquery) of a publisher's listing pages
// and article pages. Empty selectors are skipped.
type Selectors struct {
	// Listing page.
	Item     string `yaml:"item"`      // one listing entry
	Link     string `yaml:"link"`      // inside Item, an <a href>
	ItemTime string `yaml:"item_time"` // inside Item, a time (datetime attribute or text)
	// Article page.
	Title   string   `yaml:"title"`
	Time    string   `yaml:"time"`        // datetime attribute or text: date or full timestamp
	Clock   string   `yaml:"clock"`       // optional wall-clock time ("17:45") joined with a date-only Time
	Lead    string   `yaml:"lead"`        // summary
	Body    string   `yaml:"body"`        // the content container(s)
	Strip   []string `yaml:"strip"`       // removed from the body before use (tooltips, share bars)
	Tags    string   `yaml:"tags"`        // every tag (topics, geography, persons)
	Topics  string   `yaml:"topics"`      // topics only (kremlin.ru "Темы"/"Topics")
	Persons string   `yaml:"persons"`     // persons only
	ID      string   `yaml:"external_id"` // element whose text holds the canonical id/link
}

// Location returns the publisher's time zone.
func (p *Publisher) Location() *time.Location { return p.loc }

// Speaks reports whether a leader speaks through the publisher.
func (p *Publisher) Speaks() bool { return p.Office != "" }

// ExternalID returns the publisher's id of the item at itemURL, or "".
func (p *Publisher) ExternalID(itemURL string) string {
	if p.idRE == nil {
		return ""
	}
	if m := p.idRE.FindStringSubmatch(itemURL); len(m) > 1 {
		return m[1]
	}
	return ""
}

// Registry is a validated set of publishers, safe for concurrent use.
type Registry struct {
	list    []*Publisher
	byHost  map[string]*Publisher // Host, Hosts and ArchiveHosts
	archive map[string]string     // archive host → Host
	markers map[string]*Publisher // lower-case marker line
	titled  []*Publisher          // those with a title marker
}

type file struct {
	Publishers []Publisher `yaml:"publishers"`
}

// Parse reads and validates a registry in the format of publishers.yaml.
func Parse(data []byte) (*Registry, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	r := &Registry{byHost: map[string]*Publisher{}, archive: map[string]string{}, markers: map[string]*Publisher{}}
	for i := range f.Publishers {
		p := &f.Publishers[i]
		if err := r.add(p); err != nil {
			return nil, fmt.Errorf("%w: publisher %d (%s): %v", ErrInvalid, i, p.Host, err)
		}
	}
	return r, nil
}

func (r *Registry) add(p *Publisher) error {
	if p.Name == "" {
		return errors.New("name is required")
	}
	var err error
	if p.loc, err = time.LoadLocation(p.Zone); err != nil || p.Zone == "" {
		return fmt.Errorf("zone %q: %v", p.Zone, err)
	}
	if len(p.Langs) == 0 {
		return errors.New("langs is required")
	}
	if p.Office != "" && p.Government == "" {
		return fmt.Errorf("office %q without a government", p.Office)
	}
	if p.Person != "" && p.Office == "" {
		return fmt.Errorf("person %q without an office", p.Person)
	}
	switch p.Rules {
	case "", RulesKremlin, RulesWhiteHouse:
	default:
		return fmt.Errorf("rules %q: want %s, %s or none", p.Rules, RulesKremlin, RulesWhiteHouse)
	}
	if p.TitleMarker != "" {
		if p.titleRE, err = regexp.Compile(p.TitleMarker); err != nil {
			return fmt.Errorf("title_marker: %v", err)
		}
		r.titled = append(r.titled, p)
	}
	if p.IDPattern != "" {
		if p.idRE, err = regexp.Compile(p.IDPattern); err != nil {
			return fmt.Errorf("id_pattern: %v", err)
		}
		if p.idRE.NumSubexp() < 1 {
			return errors.New("id_pattern needs a capturing group")
		}
	}
	hosts := append(append([]string{p.Host}, p.Hosts...), p.ArchiveHosts...)
	for _, h := range hosts {
		if h == "" || h != strings.ToLower(h) || strings.ContainsAny(h, "/: ") || strings.HasPrefix(h, "www.") {
			return fmt.Errorf("host %q: want a bare lower-case host name without www.", h)
		}
		if q := r.byHost[h]; q != nil {
			return fmt.Errorf("host %s is %s's already", h, q.Host)
		}
		r.byHost[h] = p
	}
	for _, h := range p.ArchiveHosts {
		r.archive[h] = p.Host
	}
	for _, m := range p.Markers {
		k := strings.ToLower(strings.TrimSpace(m))
		if k == "" || r.markers[k] != nil {
			return fmt.Errorf("marker %q empty or another publisher's", m)
		}
		r.markers[k] = p
	}
	r.list = append(r.list, p)
	return nil
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the embedded registry. It panics if the embedded data is
// invalid, which its tests rule out.
func Default() *Registry {
	defaultOnce.Do(func() {
		r, err := Parse(defaultData)
		if err != nil {
			panic(err)
		}
		defaultReg = r
	})
	return defaultReg
}

// All returns the publishers in file order.
func (r *Registry) All() []*Publisher { return slices.Clone(r.list) }

// Lookup returns the publisher of a host, a publisher name or a URL, or of
// its nearest parent domain listed ("en.kremlin.ru" → kremlin.ru,
// "https://www.gov.uk/x" → gov.uk).
func (r *Registry) Lookup(hostOrURL string) (*Publisher, bool) {
	for h := Host(hostOrURL); h != ""; {
		if p, ok := r.byHost[h]; ok {
			return p, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return nil, false
}

// Canonical returns the host whose documents host serves under the same
// paths (an archive host's publisher), or host itself.
func (r *Registry) Canonical(host string) string {
	if c, ok := r.archive[host]; ok {
		return c
	}
	return host
}

// OfHeader returns the publisher whose release marker is one of the first
// lines of text, or opens one as a dateline: the White House's "Office of
// the Press Secretary" on a mirror of its readout, "10 DOWNING STREET,
// LONDON (UK), ..." on an agency's copy.
func (r *Registry) OfHeader(text string) (*Publisher, bool) {
	for i := 0; i < maxHeaderLines && text != ""; i++ {
		line, rest, _ := strings.Cut(text, "\n")
		line = strings.ToLower(strings.TrimSpace(line))
		if p, ok := r.markers[line]; ok {
			return p, true
		}
		// A dateline that opens with the marker, after an agency's tag:
		// "(AGENPARL) – 10 DOWNING STREET, LONDON (UK), mar 10 novembre 2020".
		if tag, after, ok := strings.Cut(line, ")"); ok && strings.HasPrefix(tag, "(") {
			line = strings.TrimLeft(after, " –—-")
		}
		if head, _, ok := strings.Cut(line, ","); ok {
			if p, ok := r.markers[head]; ok {
				return p, true
			}
		}
		text = rest
	}
	return nil, false
}

// OfTitle returns the publisher whose title marker a headline matches: a
// copy of its release under its own headline.
func (r *Registry) OfTitle(title string) (*Publisher, bool) {
	for _, p := range r.titled {
		if p.titleRE.MatchString(title) {
			return p, true
		}
	}
	return nil, false
}

// maxHeaderLines is how far into a text OfHeader looks.
const maxHeaderLines = 4

// Government returns the government code a publisher name or host speaks
// for, or for a publisher that is none (a news agency, an unknown site) its
// own host: the readouts of one government share a calendar.
func (r *Registry) Government(publisher string) string {
	if p, ok := r.Lookup(publisher); ok {
		if p.Government != "" {
			return p.Government
		}
		return p.Host
	}
	return Host(publisher)
}

// Host reduces a publisher name, host or URL to a bare lower-case host
// without its port, a trailing dot or the "www." and "m." prefixes.
func Host(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			s = u.Hostname()
		}
	}
	if i := strings.IndexAny(s, "/?#:"); i >= 0 {
		s = s[:i]
	}
	return StripAlias(strings.TrimSuffix(s, "."))
}

// StripAlias removes the "www." and "m." prefixes of a lower-case host,
// keeping at least a two-label name.
func StripAlias(h string) string {
	for {
		switch {
		case strings.HasPrefix(h, "www.") && strings.Contains(h[4:], "."):
			h = h[4:]
		case strings.HasPrefix(h, "m.") && strings.Contains(h[2:], "."):
			h = h[2:]
		default:
			return h
		}
	}
}
