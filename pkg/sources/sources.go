package sources

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/readout/readout/pkg/publishers"
)

// Source kinds.
const (
	KindFeed = "feed" // RSS, Atom or JSON Feed
	KindHTML = "html" // an HTML listing page scraped with CSS selectors
	// KindTelegram is a public Telegram channel's web preview,
	// https://t.me/s/<channel>: every post of the page is an item.
	KindTelegram = "telegram"
)

// Defaults and bounds applied by Parse.
const (
	DefaultInterval = 60 * time.Second
	MinInterval     = 5 * time.Second
	// DefaultCatchUpPages: ten pages of a Kremlin feed are 200 items, about
	// three weeks of them.
	DefaultCatchUpPages = 10
)

// ErrInvalid is wrapped by every validation error of Parse.
var ErrInvalid = errors.New("sources: invalid config")

// Source is one configured source: where to poll, how often and how to read it.
type Source struct {
	ID        string   `yaml:"id"`
	Kind      string   `yaml:"kind"` // KindFeed, KindHTML or KindTelegram
	URL       string   `yaml:"url"`
	Fallbacks []string `yaml:"fallbacks"` // tried in order when URL fails (e.g. http <-> https)
	Lang      string   `yaml:"lang"`
	Publisher string   `yaml:"publisher"`
	// Interval between polls; 0 means DefaultInterval.
	Interval time.Duration `yaml:"interval"`
	// Zone is the IANA zone of times the publisher writes without an
	// offset; default the publisher's in the registry, else UTC.
	Zone string `yaml:"zone"`
	// FetchArticle fetches the item page when the feed item is partial
	// (no content, or content equal to the summary). Always on for KindHTML.
	FetchArticle bool `yaml:"fetch_article"`
	// ExternalIDPattern is a regexp whose first group, matched on the item
	// URL, is the publisher's own id (RawItem.ExternalID); default the
	// registry's id_pattern of the publisher (not for Telegram).
	ExternalIDPattern string `yaml:"external_id_pattern"`
	// Disabled sources are loaded (and validated) but not polled.
	Disabled bool `yaml:"disabled"`
	// Hosts lists extra hosts the crawler may fetch for this source (article
	// pages on another host): "host" (ports 80 and 443) or "host:port".
	// Hosts and ports of URL, Fallbacks and Archive are implied.
	Hosts     []string   `yaml:"hosts"`
	Selectors *Selectors `yaml:"selectors"`
	Archive   *Archive   `yaml:"archive"`
	// Refresh re-fetches the newest seen entries of an HTML listing now and
	// then: a listing shows no content, so edits are found only on the pages.
	Refresh Refresh `yaml:"refresh"`
	// CatchUpPages bounds the older pages of a feed (rel="next"), or of a
	// Telegram channel (?before=), read when none of the first page's items
	// was seen before: after downtime, more items than the first page holds
	// may have been published. 0 means DefaultCatchUpPages, negative none (a
	// possible gap is still reported); kinds feed and telegram only.
	CatchUpPages int `yaml:"catch_up_pages"`

	idRE *regexp.Regexp
	loc  *time.Location
}

// Selectors are the CSS selectors (goquery) of a listing page and of an
// article page: a publisher's, from the registry, unless a source has its own.
type Selectors = publishers.Selectors

// Archive kinds.
const (
	ArchiveHTML = "html" // numbered listing pages read with the selectors
	// ArchiveFeed is the source's own pages followed back: a feed's
	// rel="next" links (RFC 5005), a Telegram channel's older pages
	// (?before=<id>, the preview's "more" link).
	ArchiveFeed = "feed"
)

// Archive describes the paged archive used by backfill.
type Archive struct {
	// Kind is ArchiveHTML (default) or ArchiveFeed (the only kind, and the
	// default, of a Telegram source).
	Kind string `yaml:"kind"`
	// URL: for ArchiveHTML, the listing with a {n} placeholder for the page
	// number, e.g. http://kremlin.ru/events/president/news/page/{n}; for
	// ArchiveFeed, the first page, default the source URL (its fallbacks
	// are tried for it too).
	URL       string `yaml:"url"`
	FirstPage int    `yaml:"first_page"` // ArchiveHTML: default 1
	MaxPages  int    `yaml:"max_pages"`  // safety bound, default 1000
}

// Refresh defaults (HTML listings).
const (
	DefaultRefreshEvery  = 30 // polls
	DefaultRefreshNewest = 5  // entries
)

// Refresh configures the re-fetching of seen HTML listing entries.
type Refresh struct {
	// Every is the number of polls between refreshes (the first poll after a
	// start refreshes too); 0 means DefaultRefreshEvery, negative never.
	Every int `yaml:"every"`
	// Newest is how many of the newest listed entries are re-fetched; 0
	// means DefaultRefreshNewest.
	Newest int `yaml:"newest"`
}

// Enabled reports whether refreshes happen.
func (r Refresh) Enabled() bool { return r.Every > 0 && r.Newest > 0 }

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

// AllowedHosts returns every destination this source may fetch from and no
// other source may, as outbound.NewHosts reads them: "host" (ports 80 and
// 443) or "host:port" (a URL's explicit port, that port only).
func (s *Source) AllowedHosts() []string {
	var hosts []string
	add := func(raw string) {
		if u, err := url.Parse(strings.ReplaceAll(raw, "{n}", "1")); err == nil && u.Hostname() != "" {
			hosts = append(hosts, strings.ToLower(u.Host))
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

// PageURL returns the archive URL of page n (ArchiveHTML).
func (a *Archive) PageURL(n int) string {
	return strings.ReplaceAll(a.URL, "{n}", fmt.Sprint(n))
}

// Config is a whole sources file: the HTTP settings every source shares and
// the sources.
type Config struct {
	Fetch   Fetch    `yaml:"fetch"`
	Sources []Source `yaml:"sources"`
}

// Load reads and validates the YAML file at path and returns its sources.
func Load(path string) ([]Source, error) {
	cfg, err := LoadConfig(path)
	return cfg.Sources, err
}

// LoadConfig reads and validates the YAML file at path.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("sources: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes and validates a YAML sources file and returns its sources.
func Parse(data []byte) ([]Source, error) {
	cfg, err := ParseConfig(data)
	return cfg.Sources, err
}

// ParseConfig decodes and validates a YAML sources file. Unknown keys are
// errors.
func ParseConfig(data []byte) (Config, error) {
	var f Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrInvalid, decodeError(data, err))
	}
	if err := f.Fetch.validate(); err != nil {
		return Config{}, fmt.Errorf("%w: fetch: %v", ErrInvalid, err)
	}
	if len(f.Sources) == 0 {
		return Config{}, fmt.Errorf("%w: no sources: the file needs a sources: list of at least one source (configs/sources.yaml shows them)", ErrInvalid)
	}
	seen := map[string]bool{}
	for i := range f.Sources {
		s := &f.Sources[i]
		if err := s.validate(); err != nil {
			name := s.ID
			if name == "" {
				name = fmt.Sprintf("#%d", i+1)
			}
			return Config{}, fmt.Errorf("%w: source %s: %v", ErrInvalid, name, err)
		}
		if seen[s.ID] {
			return Config{}, fmt.Errorf("%w: duplicate source id %q", ErrInvalid, s.ID)
		}
		seen[s.ID] = true
	}
	return f, nil
}

// fromRegistry fills in what the source leaves unsaid from its publisher's
// entry in the publisher registry (package publishers): the zone, and for
// feeds and listings the id pattern and the page selectors. A source's own
// value wins; a Telegram channel has ids and pages of its own.
func (s *Source) fromRegistry() {
	p, ok := publishers.Default().Lookup(s.Publisher)
	if !ok {
		return
	}
	if s.Zone == "" {
		s.Zone = p.Zone
	}
	if s.Kind == KindTelegram {
		return
	}
	if s.ExternalIDPattern == "" {
		s.ExternalIDPattern = p.IDPattern
	}
	if s.Selectors == nil && p.Selectors != nil {
		sel := *p.Selectors
		sel.Strip = slices.Clone(sel.Strip)
		s.Selectors = &sel
	}
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (s *Source) validate() error {
	if !idRE.MatchString(s.ID) {
		return fmt.Errorf("id %q must match %s", s.ID, idRE)
	}
	s.fromRegistry()
	switch s.Kind {
	case KindFeed:
	case KindHTML:
		if s.Selectors == nil || s.Selectors.Item == "" || s.Selectors.Link == "" {
			return errors.New("kind html needs selectors.item and selectors.link")
		}
		s.FetchArticle = true
	case KindTelegram:
		if err := s.validateTelegram(); err != nil {
			return err
		}
	case "":
		return errors.New("kind is required (feed, html or telegram)")
	default:
		return fmt.Errorf("kind %q: want feed, html or telegram", s.Kind)
	}
	for _, u := range s.URLs() {
		if err := checkURL(u); err != nil {
			return err
		}
	}
	for _, h := range s.Hosts {
		if strings.ContainsAny(h, "/?#@") || strings.TrimSpace(h) == "" {
			return fmt.Errorf("hosts entry %q: want a host or host:port, not a URL", h)
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
	if err := s.validateArchive(); err != nil {
		return fmt.Errorf("archive: %v", err)
	}
	pages := s.Kind == KindFeed || s.Kind == KindTelegram
	switch {
	case !pages && s.CatchUpPages != 0:
		return errors.New("catch_up_pages applies to kinds feed and telegram only (it follows a feed's rel=next pages, a channel's ?before= pages)")
	case pages && s.CatchUpPages == 0:
		s.CatchUpPages = DefaultCatchUpPages
	}
	return s.validateRefresh()
}

func (s *Source) validateRefresh() error {
	r := &s.Refresh
	if s.Kind != KindHTML {
		if *r != (Refresh{}) {
			return errors.New("refresh applies to kind html only (a feed shows its content)")
		}
		return nil
	}
	if r.Every == 0 {
		r.Every = DefaultRefreshEvery
	}
	switch {
	case r.Newest == 0:
		r.Newest = DefaultRefreshNewest
	case r.Newest < 0:
		return fmt.Errorf("refresh.newest %d is negative", r.Newest)
	}
	return nil
}

func (s *Source) validateArchive() error {
	a := s.Archive
	if a == nil {
		return nil
	}
	if a.MaxPages == 0 {
		a.MaxPages = 1000
	}
	if a.MaxPages < 0 {
		return fmt.Errorf("max_pages %d is negative", a.MaxPages)
	}
	if s.Kind == KindTelegram && a.Kind == "" {
		a.Kind = ArchiveFeed
	}
	switch a.Kind {
	case ArchiveFeed:
		switch {
		case s.Kind == KindTelegram:
			if a.URL == "" {
				return nil // the source URL and its fallbacks
			}
			return checkTelegramURL(a.URL)
		case s.Kind != KindFeed:
			return errors.New("kind feed needs a feed or telegram source")
		}
		if a.URL == "" {
			return nil // the source URL and its fallbacks
		}
		if strings.Contains(a.URL, "{n}") {
			return fmt.Errorf("url %q: a feed archive follows rel=next links, it has no {n}", a.URL)
		}
		return checkURL(a.URL)
	case "", ArchiveHTML:
		if s.Kind == KindTelegram {
			return errors.New("kind html: a telegram source pages back with ?before=, use kind feed")
		}
		a.Kind = ArchiveHTML
	default:
		return fmt.Errorf("kind %q: want html or feed", a.Kind)
	}
	if !strings.Contains(a.URL, "{n}") {
		return fmt.Errorf("url %q needs a {n} page placeholder", a.URL)
	}
	if err := checkURL(a.PageURL(1)); err != nil {
		return err
	}
	if a.FirstPage == 0 {
		a.FirstPage = 1
	}
	if s.Selectors == nil || s.Selectors.Item == "" || s.Selectors.Link == "" {
		return errors.New("kind html needs selectors.item and selectors.link")
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

// telegramPathRE is the path of a channel's preview: /s/<channel>, the
// channel's public username (letters, digits, underscores).
var telegramPathRE = regexp.MustCompile(`^/s/[A-Za-z0-9_]{3,64}/?$`)

// validateTelegram checks a telegram source: its URLs are channel previews
// (https://t.me/s/<channel>), and what applies to listings and articles
// does not apply.
func (s *Source) validateTelegram() error {
	for _, u := range s.URLs() {
		if err := checkTelegramURL(u); err != nil {
			return err
		}
	}
	switch {
	case s.FetchArticle:
		return errors.New("fetch_article does not apply to kind telegram (the preview shows every post's text)")
	case s.Selectors != nil:
		return errors.New("selectors do not apply to kind telegram (its page structure is built in)")
	}
	return nil
}

func checkTelegramURL(raw string) error {
	if err := checkURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if !telegramPathRE.MatchString(u.Path) || u.RawQuery != "" {
		return fmt.Errorf("url %q: kind telegram needs a channel preview, https://t.me/s/<channel>", raw)
	}
	return nil
}

// TelegramChannel returns the channel name of a telegram source's URL
// (https://t.me/s/<channel>), "" when it has none.
func (s *Source) TelegramChannel() string {
	u, err := url.Parse(s.URL)
	if err != nil || !telegramPathRE.MatchString(u.Path) {
		return ""
	}
	return strings.Trim(strings.TrimPrefix(u.Path, "/s/"), "/")
}
