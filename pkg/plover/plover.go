package plover

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/readout/readout/pkg/model"
)

// Topic is the Kafka topic of PLOVER records (cleanup.policy=delete), key = event id.
const Topic = "readout.plover.v1"

// PLOVER category and mode for a leader call.
const (
	EventTypeConsult = "CONSULT"
	ModePhone        = "phone"
)

// Actor roles.
const (
	RoleSource      = "source"      // the side that initiated the call
	RoleTarget      = "target"      // the side that was called
	RoleParticipant = "participant" // initiator unknown
)

// Errors returned by FromLeaderCall.
var (
	ErrNilEvent       = errors.New("plover: nil event")
	ErrNotHeld        = errors.New("plover: event is not a held call")
	ErrNoID           = errors.New("plover: event has no id")
	ErrNoDate         = errors.New("plover: event has no date")
	ErrNoParticipants = errors.New("plover: event needs at least two participants")
)

// Record is one PLOVER event record.
type Record struct {
	ID              string    `json:"id"`
	Version         int       `json:"version"`
	EventType       string    `json:"event_type"`
	Mode            string    `json:"mode"`
	Context         []string  `json:"context"`
	TopicsIPTC      []string  `json:"topics_iptc,omitempty"`
	EventDate       string    `json:"event_date"`
	DatePrecision   string    `json:"date_precision"`
	Actors          []Actor   `json:"actors"`
	EventText       string    `json:"event_text"`
	SourceURLs      []string  `json:"source_urls"`
	Publishers      []string  `json:"publishers"`
	FirstReportedAt time.Time `json:"first_reported_at"`
	Confidence      float64   `json:"confidence"`
	Language        string    `json:"language"`
}

// Actor is one side of the call.
type Actor struct {
	Name       string `json:"name"`
	WikidataID string `json:"wikidata_id"`
	Country    string `json:"country,omitempty"`
	Title      string `json:"title,omitempty"`
	Role       string `json:"role"`
}

// Codable reports whether ev is an event PLOVER records: a held call with
// at least two resolved participants. Announced calls, and calls whose
// counterpart is not resolved, have no PLOVER record.
func Codable(ev *model.LeaderCall) bool {
	return ev != nil && ev.Status == model.StatusHeld && len(ev.Participants) >= 2
}

// FromLeaderCall maps a held call to a PLOVER record.
func FromLeaderCall(ev *model.LeaderCall) (*Record, error) {
	switch {
	case ev == nil:
		return nil, ErrNilEvent
	case ev.Status != model.StatusHeld:
		return nil, fmt.Errorf("%w: %s is %q", ErrNotHeld, ev.ID, ev.Status)
	case strings.TrimSpace(ev.ID) == "":
		return nil, ErrNoID
	case len(ev.Participants) < 2:
		return nil, fmt.Errorf("%w: %s has %d", ErrNoParticipants, ev.ID, len(ev.Participants))
	}
	if _, err := time.Parse(time.DateOnly, ev.OccurredOn); err != nil {
		return nil, fmt.Errorf("%w: %s: %q", ErrNoDate, ev.ID, ev.OccurredOn)
	}
	r := &Record{
		ID:              ev.ID,
		Version:         ev.Version,
		EventType:       EventTypeConsult,
		Mode:            ModePhone,
		Context:         []string{},
		EventDate:       ev.OccurredOn,
		DatePrecision:   ev.Precision,
		FirstReportedAt: ev.FirstReportedAt.UTC(),
		Confidence:      ev.Confidence,
		Language:        "en",
		SourceURLs:      []string{},
		Publishers:      []string{},
	}
	if r.DatePrecision == "" {
		r.DatePrecision = model.PrecisionDay
	}
	names := make([]string, 0, len(ev.Participants))
	for _, p := range ev.Participants {
		a := Actor{Name: p.NameEN, WikidataID: p.WikidataID, Country: p.Country, Title: p.Role, Role: RoleParticipant}
		if a.Name == "" {
			a.Name = p.NameRU
		}
		if ev.Initiator != "" {
			a.Role = RoleTarget
			if p.WikidataID == ev.Initiator {
				a.Role = RoleSource
			}
		}
		r.Actors = append(r.Actors, a)
		names = append(names, a.Name)
	}
	// The initiator, when known, comes first, as PLOVER's source actor does.
	sort.SliceStable(r.Actors, func(i, j int) bool { return r.Actors[i].Role == RoleSource && r.Actors[j].Role != RoleSource })
	for _, t := range ev.Topics {
		r.Context = append(r.Context, t.ID)
		if t.IPTC != "" {
			r.TopicsIPTC = append(r.TopicsIPTC, t.IPTC)
		}
	}
	seen := map[string]bool{}
	for _, s := range ev.Sources {
		if s.URL != "" && !seen[s.URL] {
			seen[s.URL] = true
			r.SourceURLs = append(r.SourceURLs, s.URL)
		}
		if s.Publisher != "" && !seen["pub:"+s.Publisher] {
			seen["pub:"+s.Publisher] = true
			r.Publishers = append(r.Publishers, s.Publisher)
		}
	}
	sort.Strings(r.Publishers)
	r.EventText = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] +
		" held a telephone conversation on " + ev.OccurredOn + "."
	return r, nil
}
