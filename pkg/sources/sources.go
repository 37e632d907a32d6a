package sources

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Source kinds.
const (
	KindFeed = "feed" // RSS, Atom or JSON Feed
	KindHTML = "html" // an HTML listing page scraped with CSS selectors
)

// Defaults and bounds applied by Parse.
const (
	DefaultInterval = 60 * time.Second
	MinInterval     = 5 * time.Second
)

// ErrInvalid is wrapped by every validation error of Parse.
var ErrInvalid = errors.New("sources: invalid config")

// Source is one configured source: where to poll, how often and how to read it.
type Source struct {
	ID        string   `yaml:"id"`
	Kind      string   `yaml:"kind"` // KindFeed or KindHTML
	URL       string   `yaml:"url"`
	Fallbacks []string `yaml:"fallbacks"` // tried in order when URL fails (e.g. http <-> https)
	Lang      string   `yaml:"lang"`
	Publisher string   `yaml:"publisher"`
	// Interval between polls; 0 means DefaultInterval.
	Interval time.Duration `yaml:"interval"`
	// Zone is the IANA zone of times the publisher writes without an offset.
	Zone string `yaml:"zone"`
	// FetchArticle fetches the item page when the feed item is partial
	// (no content, or content equal to the summary). Always on for KindHTML.
	FetchArticle bool `yaml:"fetch_article"`
	// ExternalIDPattern is a regexp whose first group, matched on the item
	// URL, is the publisher's own id (RawItem.ExternalID).
	ExternalIDPattern string `yaml:"external_id_pattern"`
	// Disabled sources are loaded (and validated) but not polled.
	Disabled bool `yaml:"disabled"`
	// Hosts lists extra hosts the crawler may fetch for this source (article
	// pages on another host). Hosts of URL, Fallbacks and Archive are implied.
	Hosts     []string   `yaml:"hosts"`
	Selectors *Selectors `yaml:"selectors"`
	Archive   *Archive   `yaml:"archive"`

	idRE *regexp.Regexp
	loc  *time.Location
}

// Selectors are the CSS selectors (goquery) of a listing page and of an
// article page. Empty selectors are skipped.
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
	Persons string   `yaml:"persons"`     // persons only
	ID      string   `yaml:"external_id"` // element whose text holds the canonical id/link
}

// Archive describes the paged listing used by backfill.
type Archive struct {
	// URL has a {n} placeholder for the page number, e.g.
	// http://kremlin.ru/events/president/news/page/{n}
	URL       string `yaml:"url"`
	FirstPage int    `yaml:"first_page"` // default 1
	MaxPages  int    `yaml:"max_pages"`  // safety bound, default 1000
}

// ExternalID returns the publisher's id found in itemURL, or "".
func (s *Source) ExternalID(itemURL string) string {
	re := s.idRE
	if re == nil && s.ExternalIDPattern != "" {
		re, _ = regexp.Compile(s.ExternalIDPattern)
	}
	if re == nil {
		return ""
	}
	if m := re.FindStringSubmatch(itemURL); len(m) > 1 {
		return m[1]
	}
	return ""
}

// Location returns the source's zone, UTC when unset.
func (s *Source) Location() *time.Location {
	if s.loc != nil {
		return s.loc
	}
	if s.Zone != "" {
		if loc, err := time.LoadLocation(s.Zone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// URLs returns URL followed by the fallbacks.
func (s *Source) URLs() []string {
	return append([]string{s.URL}, s.Fallbacks...)
}

// AllowedHosts returns every host this source may fetch from.
func (s *Source) AllowedHosts() []string {
	var hosts []string
	add := func(raw string) {
		if u, err := url.Parse(strings.ReplaceAll(raw, "{n}", "1")); err == nil && u.Hostname() != "" {
			hosts = append(hosts, strings.ToLower(u.Hostname()))
		}
	}
	for _, u := range s.URLs() {
		add(u)
	}
	if s.Archive != nil {
		add(s.Archive.URL)
	}
	for _, h := range s.Hosts {
		hosts = append(hosts, strings.ToLower(h))
	}
	return hosts
}

// PageURL returns the archive URL of page n.
func (a *Archive) PageURL(n int) string {
	return strings.ReplaceAll(a.URL, "{n}", fmt.Sprint(n))
}

type file struct {
	Sources []Source `yaml:"sources"`
}

// Load reads and validates the YAML file at path.
func Load(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	srcs, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return srcs, nil
}

// Parse decodes and validates a YAML source list. Unknown keys are errors.
func Parse(data []byte) ([]Source, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(f.Sources) == 0 {
		return nil, fmt.Errorf("%w: no sources", ErrInvalid)
	}
	seen := map[string]bool{}
	for i := range f.Sources {
		s := &f.Sources[i]
		if err := s.validate(); err != nil {
			name := s.ID
			if name == "" {
				name = fmt.Sprintf("#%d", i+1)
			}
			return nil, fmt.Errorf("%w: source %s: %v", ErrInvalid, name, err)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("%w: duplicate source id %q", ErrInvalid, s.ID)
		}
		seen[s.ID] = true
	}
	return f.Sources, nil
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (s *Source) validate() error {
	if !idRE.MatchString(s.ID) {
		return fmt.Errorf("id %q must match %s", s.ID, idRE)
	}
	switch s.Kind {
	case KindFeed:
	case KindHTML:
		if s.Selectors == nil || s.Selectors.Item == "" || s.Selectors.Link == "" {
			return errors.New("kind html needs selectors.item and selectors.link")
		}
		s.FetchArticle = true
	case "":
		return errors.New("kind is required (feed or html)")
	default:
		return fmt.Errorf("kind %q: want feed or html", s.Kind)
	}
	for _, u := range s.URLs() {
		if err := checkURL(u); err != nil {
			return err
		}
	}
	if s.Publisher == "" {
		return errors.New("publisher is required")
	}
	switch {
	case s.Interval == 0:
		s.Interval = DefaultInterval
	case s.Interval < MinInterval:
		return fmt.Errorf("interval %s is below the minimum %s", s.Interval, MinInterval)
	}
	if s.Zone != "" {
		loc, err := time.LoadLocation(s.Zone)
		if err != nil {
			return fmt.Errorf("zone %q: %v", s.Zone, err)
		}
		s.loc = loc
	}
	if s.ExternalIDPattern != "" {
		re, err := regexp.Compile(s.ExternalIDPattern)
		if err != nil {
			return fmt.Errorf("external_id_pattern: %v", err)
		}
		if re.NumSubexp() < 1 {
			return errors.New("external_id_pattern needs a capturing group")
		}
		s.idRE = re
	}
	if a := s.Archive; a != nil {
		if !strings.Contains(a.URL, "{n}") {
			return fmt.Errorf("archive.url %q needs a {n} page placeholder", a.URL)
		}
		if err := checkURL(a.PageURL(1)); err != nil {
			return fmt.Errorf("archive: %v", err)
		}
		if a.FirstPage == 0 {
			a.FirstPage = 1
		}
		if a.MaxPages == 0 {
			a.MaxPages = 1000
		}
		if s.Selectors == nil || s.Selectors.Item == "" || s.Selectors.Link == "" {
			return errors.New("archive needs selectors.item and selectors.link")
		}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("url %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("url %q: scheme must be http or https", raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("url %q: no host", raw)
	}
	return nil
}
