package ninjs

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/readout/readout/pkg/model"
)

// Topic is the compacted Kafka topic of ninjs items, key = event id.
const Topic = "readout.ninjs.v1"

// URIPrefix starts the uri of every ninjs item Readout emits; the event id follows, escaped.
const URIPrefix = "urn:readout:leader-call:"

// RoleCanonicalURL is the altIds role of an association's canonical URL
// (model.SourceRef.CanonicalURL, for matching); its uri is the URL as published.
const RoleCanonicalURL = "readout-canonical-url"

// Concept URIs used in subjects, people and places.
const (
	mediaTopicURI  = "http://cv.iptc.org/newscodes/mediatopic/"
	wikidataURI    = "http://www.wikidata.org/entity/"
	diplomacyQCode = "medtop:20000639"
	diplomacyName  = "diplomacy"
)

// Errors returned by FromLeaderCall and Validate.
var (
	ErrNilEvent       = errors.New("ninjs: nil event")
	ErrNoID           = errors.New("ninjs: event has no id")
	ErrNoParticipants = errors.New("ninjs: event has no participants")
	ErrInvalid        = errors.New("ninjs: document does not conform to the ninjs 3.1 schema")
)

// Item is the subset of a ninjs 3.1 news item that Readout emits.
// Field names follow the schema (camelCase since ninjs 2.0).
type Item struct {
	URI            string        `json:"uri"`
	Type           string        `json:"type"`
	Profile        string        `json:"profile,omitempty"`
	Version        string        `json:"version"`
	FirstCreated   string        `json:"firstCreated,omitempty"`
	VersionCreated string        `json:"versionCreated"`
	ContentCreated string        `json:"contentCreated,omitempty"`
	PubStatus      string        `json:"pubStatus"`
	Language       string        `json:"language"`
	Headlines      []Text        `json:"headlines"`
	Descriptions   []Text        `json:"descriptions,omitempty"`
	Bodies         []Text        `json:"bodies"`
	Subjects       []Concept     `json:"subjects"`
	People         []Concept     `json:"people"`
	Places         []Concept     `json:"places,omitempty"`
	Events         []Event       `json:"events,omitempty"`
	InfoSources    []Concept     `json:"infoSources,omitempty"`
	AltIDs         []AltID       `json:"altIds"`
	Associations   []Association `json:"associations,omitempty"`
}

// Text is a headline, description or body.
type Text struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Value       string `json:"value"`
}

// Concept is a subject, person, place or info source.
type Concept struct {
	Name       string `json:"name,omitempty"`
	Rel        string `json:"rel,omitempty"`
	Role       string `json:"role,omitempty"` // infoSources only
	URI        string `json:"uri,omitempty"`
	Literal    string `json:"literal,omitempty"`
	Confidence *int   `json:"confidence,omitempty"` // subjects only
}

// Event names the real-world event the item reports.
type Event struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Rel  string `json:"rel,omitempty"`
}

// AltID is an alternative identifier of the item.
type AltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

// Association is a source statement, embedded as a minimal ninjs item.
type Association struct {
	Name           string    `json:"name"`
	Rel            string    `json:"rel"`
	URI            string    `json:"uri"`
	Type           string    `json:"type"`
	Language       string    `json:"language,omitempty"`
	VersionCreated string    `json:"versionCreated,omitempty"`
	Headlines      []Text    `json:"headlines,omitempty"`
	InfoSources    []Concept `json:"infoSources,omitempty"`
	AltIDs         []AltID   `json:"altIds,omitempty"`
}

// FromLeaderCall renders ev as a ninjs 3.1 item and validates the result
// against the schema, so a nil error means a schema-valid document.
func FromLeaderCall(ev *model.LeaderCall) ([]byte, error) {
	item, err := NewItem(ev)
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(item)
	if err != nil {
		return nil, fmt.Errorf("ninjs: marshal %s: %w", ev.ID, err)
	}
	if err := Validate(doc); err != nil {
		return nil, fmt.Errorf("ninjs: event %s: %w", ev.ID, err)
	}
	return doc, nil
}

// NewItem maps ev to an Item without validating it.
func NewItem(ev *model.LeaderCall) (*Item, error) {
	switch {
	case ev == nil:
		return nil, ErrNilEvent
	case strings.TrimSpace(ev.ID) == "":
		return nil, ErrNoID
	case len(ev.Participants) == 0:
		return nil, ErrNoParticipants
	}
	first := ev.FirstReportedAt
	updated := ev.UpdatedAt
	if updated.IsZero() {
		updated = first
	}
	if updated.IsZero() {
		updated = ev.OccurredAt
	}
	version := ev.Version
	if version < 1 {
		version = 1
	}
	item := &Item{
		URI:            URIPrefix + url.PathEscape(ev.ID),
		Type:           "text",
		Profile:        "readout-leader-call",
		Version:        strconv.Itoa(version),
		FirstCreated:   formatTime(first),
		VersionCreated: formatTime(updated),
		PubStatus:      "usable",
		Language:       "en",
		Headlines:      []Text{{Value: Headline(ev)}},
		Bodies:         []Text{{Role: "main", ContentType: "text/plain", Value: Body(ev)}},
		Subjects:       subjects(ev),
		People:         people(ev),
		Places:         places(ev),
		Events:         []Event{{ID: ev.ID, Name: Headline(ev), Rel: "reports"}},
		InfoSources:    infoSources(ev),
		AltIDs:         []AltID{{Role: "readout-event-id", Value: ev.ID}},
		Associations:   associations(ev),
	}
	if item.VersionCreated == "" {
		item.VersionCreated = formatTime(time.Unix(0, 0))
	}
	if ev.Precision == model.PrecisionMinute && !ev.OccurredAt.IsZero() {
		item.ContentCreated = formatTime(ev.OccurredAt)
	}
	return item, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Headline is a one-line English title of the event.
func Headline(ev *model.LeaderCall) string {
	names := participantNames(ev)
	if ev.Status == model.StatusAnnounced {
		return "Telephone conversation announced: " + joinAnd(names)
	}
	return "Telephone conversation: " + joinAnd(names)
}

// Body is a short English text built from the event's facts.
func Body(ev *model.LeaderCall) string {
	var b strings.Builder
	described := make([]string, 0, len(ev.Participants))
	for _, p := range ev.Participants {
		d := name(p)
		if p.Role != "" {
			d += " (" + p.Role + ")"
		}
		described = append(described, d)
	}
	when := ev.OccurredOn
	if t, err := time.Parse(time.DateOnly, ev.OccurredOn); err == nil {
		when = t.Format("2 January 2006")
	}
	if ev.Status == model.StatusAnnounced {
		fmt.Fprintf(&b, "A telephone conversation between %s was announced", joinAnd(described))
	} else {
		fmt.Fprintf(&b, "%s held a telephone conversation", joinAnd(described))
	}
	if when != "" {
		b.WriteString(" on " + when)
	}
	b.WriteString(".")
	if ev.Initiator != "" {
		for _, p := range ev.Participants {
			if p.WikidataID == ev.Initiator {
				fmt.Fprintf(&b, " The call took place at the initiative of %s.", name(p))
			}
		}
	}
	if len(ev.Topics) > 0 {
		labels := make([]string, 0, len(ev.Topics))
		for _, t := range ev.Topics {
			labels = append(labels, t.Label)
		}
		fmt.Fprintf(&b, " Topics discussed: %s.", strings.Join(labels, ", "))
	}
	if pubs := publishers(ev); len(pubs) > 0 {
		fmt.Fprintf(&b, " Reported by %s.", joinAnd(pubs))
	}
	return b.String()
}

func name(p model.Participant) string {
	switch {
	case p.NameEN != "":
		return p.NameEN
	case p.NameRU != "":
		return p.NameRU
	}
	return p.WikidataID
}

func participantNames(ev *model.LeaderCall) []string {
	out := make([]string, 0, len(ev.Participants))
	for _, p := range ev.Participants {
		out = append(out, name(p))
	}
	return out
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	case 2:
		return s[0] + " and " + s[1]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func publishers(ev *model.LeaderCall) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ev.Sources {
		if s.Publisher != "" && !seen[s.Publisher] {
			seen[s.Publisher] = true
			out = append(out, s.Publisher)
		}
	}
	sort.Strings(out)
	return out
}

// qcodeURI turns "medtop:20000639" into the IPTC concept URI.
func qcodeURI(q string) string {
	if code, ok := strings.CutPrefix(q, "medtop:"); ok {
		return mediaTopicURI + code
	}
	return ""
}

func subjects(ev *model.LeaderCall) []Concept {
	out := []Concept{{Name: diplomacyName, Rel: "about", URI: qcodeURI(diplomacyQCode), Literal: diplomacyQCode}}
	seen := map[string]bool{diplomacyQCode: true}
	for _, t := range ev.Topics {
		c := Concept{Name: t.Label, Rel: "about", Literal: "readout:" + t.ID}
		if t.IPTC != "" {
			if seen[t.IPTC] {
				continue
			}
			seen[t.IPTC] = true
			c.URI = qcodeURI(t.IPTC)
			if c.URI == "" {
				c.Literal = t.IPTC
			}
		}
		out = append(out, c)
	}
	return out
}

func people(ev *model.LeaderCall) []Concept {
	out := make([]Concept, 0, len(ev.Participants))
	for _, p := range ev.Participants {
		c := Concept{Name: name(p), Rel: "participant", Literal: p.WikidataID}
		if ev.Initiator != "" && p.WikidataID == ev.Initiator {
			c.Rel = "initiator"
		}
		if p.WikidataID != "" {
			c.URI = wikidataURI + p.WikidataID
		}
		out = append(out, c)
	}
	return out
}

func places(ev *model.LeaderCall) []Concept {
	var out []Concept
	seen := map[string]bool{}
	for _, p := range ev.Participants {
		code := strings.ToUpper(p.Country)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		c := Concept{Rel: "participant-country", Literal: code}
		if k, ok := countries[code]; ok {
			c.Name = k.Name
			c.URI = wikidataURI + k.Wikidata
		}
		out = append(out, c)
	}
	return out
}

func infoSources(ev *model.LeaderCall) []Concept {
	var out []Concept
	for _, pub := range publishers(ev) {
		c := Concept{Name: pub, Role: "source", Literal: pub}
		if u, err := url.Parse("https://" + pub + "/"); err == nil && u.Host == pub {
			c.URI = u.String()
		}
		out = append(out, c)
	}
	return out
}

func associations(ev *model.LeaderCall) []Association {
	out := make([]Association, 0, len(ev.Sources))
	add := func(s model.SourceRef, rel string) {
		if s.URL == "" {
			return
		}
		a := Association{
			Name:           s.Title,
			Rel:            rel,
			URI:            s.URL,
			Type:           "text",
			Language:       s.Lang,
			VersionCreated: formatTime(s.PublishedAt),
		}
		if a.Name == "" {
			a.Name = s.URL
		}
		if s.Title != "" {
			a.Headlines = []Text{{Value: s.Title}}
		}
		if s.Publisher != "" {
			a.InfoSources = []Concept{{Name: s.Publisher, Role: "publisher"}}
		}
		if s.CanonicalURL != "" {
			a.AltIDs = []AltID{{Role: RoleCanonicalURL, Value: s.CanonicalURL}}
		}
		out = append(out, a)
	}
	for _, s := range ev.Sources {
		add(s, "source")
	}
	for _, s := range ev.AnnouncedBy {
		add(s, "announcement")
	}
	return out
}
