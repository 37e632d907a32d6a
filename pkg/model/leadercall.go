package model

import "time"

// Call status.
const (
	StatusHeld      = "held"      // the call took place
	StatusAnnounced = "announced" // a call was announced for a future time
)

// How much of a call's time its reports give (LeaderCall.Precision).
const (
	PrecisionDay    = "day"    // the date only: OccurredAt is zero (occurred_at absent)
	PrecisionMinute = "minute" // a stated time: OccurredAt holds it
)

// Where a report's date comes from (SourceRef.DateBasis).
const (
	DateStated    = "stated"    // the text gives it ("today", "on Friday", "30 April")
	DatePublished = "published" // the text gives none: the day the statement (or its dateline) was published
)

// LeaderCall is one telephone call between leaders, however many statements
// reported it: the value of readout.leader-calls.v1 (compacted), key = ID.
// Each update carries a higher Version and the full current state.
type LeaderCall struct {
	ID           string        `json:"id"`
	Version      int           `json:"version"`
	Status       string        `json:"status"` // StatusHeld or StatusAnnounced
	Participants []Participant `json:"participants"`
	Initiator    string        `json:"initiator,omitempty"` // Wikidata id of the side that initiated, when stated
	// OccurredOn is the call's date (YYYY-MM-DD) in the zone of the publisher
	// of the best-dated source: the most precise, then the earliest published
	// (each source's own date is in Sources[i].OccurredOn).
	OccurredOn string `json:"occurred_on"`
	// OccurredAt is the call's time (UTC) as the same source states it, set
	// only with Precision minute; with Precision day it is zero and
	// occurred_at is absent (events of earlier versions carry a time there
	// that no report gave: ignore occurred_at unless precision is minute).
	OccurredAt      time.Time   `json:"occurred_at,omitzero"`
	Precision       string      `json:"precision"`
	FirstReportedAt time.Time   `json:"first_reported_at"`
	Topics          []Topic     `json:"topics"`
	Sources         []SourceRef `json:"sources"`
	Confidence      float64     `json:"confidence"`
	Evidence        []Evidence  `json:"evidence"`
	AnnouncedBy     []SourceRef `json:"announced_by,omitempty"`  // announcements linked to this held call
	HeldEventID     string      `json:"held_event_id,omitempty"` // on an announced call: the held call it led to
	// Unresolved names counterparts the text names that the gazetteer could not resolve to a person.
	Unresolved []string `json:"unresolved,omitempty"`
	// AllResolved is true when the gazetteer resolved every participant to a
	// person; false when some party is known only as the text names it.
	AllResolved bool `json:"all_resolved"`
	// MergeKeys are the parties of every report merged into the event as
	// the merge names them (calls.Keyer.MergeKey: Wikidata ids, "?FI:president"
	// for a counterpart a report left unresolved), sorted. They are how a later
	// report of the call finds the event, also after the processor rebuilt its
	// state from this topic; consumers can ignore them.
	MergeKeys []string  `json:"merge_keys,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Participant is one party to a call: a leader the gazetteer resolved to a
// person (Resolved), or a party the text names that it could not resolve,
// kept with the name as written and its role and country where known.
type Participant struct {
	WikidataID string `json:"wikidata_id"` // e.g. "Q7747" (Vladimir Putin); "" when unresolved or not known to Wikidata
	NameEN     string `json:"name_en"`     // English name; for an unresolved party written in Latin script, the name as written
	NameRU     string `json:"name_ru"`     // Russian name; for an unresolved party written in Cyrillic, the name as written; "" when unknown
	Role       string `json:"role"`        // e.g. "President of Russia"; for an unresolved party, what the text says ("Prime Minister of Slovakia")
	Country    string `json:"country"`     // ISO 3166-1 alpha-2, or "" for international organisations and unknown places
	// Unresolved marks a party named in the text that the gazetteer does
	// not know (absent, false, for a resolved person).
	Unresolved bool `json:"unresolved,omitempty"`
	// Mention is how the text names an unresolved party ("Prime Minister of
	// the Slovak Republic Eduard Heger").
	Mention string `json:"mention,omitempty"`
}

// Key identifies the participant within an event: its Wikidata id, else
// "?" and its mention or name.
func (p Participant) Key() string {
	if p.WikidataID != "" {
		return p.WikidataID
	}
	if p.Mention != "" {
		return "?" + p.Mention
	}
	return "?" + p.Country + ":" + p.Role + ":" + p.NameEN + p.NameRU
}

// Topic is a subject of the call from Readout's taxonomy.
type Topic struct {
	ID       string   `json:"id"`             // taxonomy id, e.g. "syria"
	Label    string   `json:"label"`          // English label
	IPTC     string   `json:"iptc,omitempty"` // IPTC Media Topic code, e.g. "medtop:20000621"
	Triggers []string `json:"triggers"`       // the words in the text that assigned it
}

// SourceRef names one statement that reported a call, and when it says the
// call took place.
type SourceRef struct {
	StatementID string `json:"statement_id"`
	// URL is the statement's URL as published (Statement.URL): cite this one.
	URL string `json:"url"`
	// CanonicalURL is its canonical form (Statement.CanonicalURL), for matching.
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Publisher    string    `json:"publisher"`
	Lang         string    `json:"lang"`
	PublishedAt  time.Time `json:"published_at"`
	Title        string    `json:"title"`
	// TranslationKey is the statement's (Statement.TranslationKey), linking its language versions.
	TranslationKey string `json:"translation_key,omitempty"`
	// OccurredOn is the call's date as this statement gives it, in its publisher's zone
	// (for a site the registry does not list: its country domain's, else UTC).
	OccurredOn string `json:"occurred_on,omitempty"`
	// Zone is that zone (IANA): the day OccurredOn names starts and ends in it.
	Zone string `json:"zone,omitempty"`
	// OccurredAt is the call's time (UTC) when this statement states it to the minute.
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	// DateBasis says where OccurredOn came from: DateStated or DatePublished
	// ("" on sources written before it was recorded).
	DateBasis string `json:"date_basis,omitempty"`
}

// Evidence is a matched phrase that supports the event, for audit.
type Evidence struct {
	StatementID string `json:"statement_id"`
	Kind        string `json:"kind"` // "call", "participant", "initiator", "date", "topic", "announcement"
	Text        string `json:"text"`
}
