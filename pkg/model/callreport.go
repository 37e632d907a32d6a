package model

import "time"

// CallReport is one call as one statement reports it: the value of the
// processor's internal topic readout.call-reports.v1, keyed by the call's
// merge key (calls.PartitionKey: the countries of its parties), so every
// report of a call between two leaders reaches the same partition and the
// processor instance that merges them.
type CallReport struct {
	// Source is the reporting statement (its OccurredOn/OccurredAt are left
	// empty: the merge fills them in from the fields below).
	Source SourceRef `json:"source"`
	// FetchedAt is when the statement was fetched, for latency metrics.
	FetchedAt    time.Time     `json:"fetched_at"`
	Status       string        `json:"status"` // StatusHeld or StatusAnnounced
	Participants []Participant `json:"participants"`
	// Unresolved are counterparts the text names as leaders that the gazetteer did not resolve.
	Unresolved []string `json:"unresolved,omitempty"`
	Initiator  string   `json:"initiator,omitempty"`
	// OccurredOn is the call's date in the publisher's zone; OccurredAt the
	// time (UTC) the statement states, only with Precision minute (reports of
	// earlier versions carry one at day precision too: it is ignored).
	OccurredOn string     `json:"occurred_on"`
	OccurredAt time.Time  `json:"occurred_at,omitzero"`
	Precision  string     `json:"precision"`
	Topics     []Topic    `json:"topics"`
	Confidence float64    `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
}

// PreparedStatement is a raw item normalized and read: the value of the
// processor's internal topic readout.prepared.v1, keyed by statement id, so
// that every version of a statement (from any source or feed) reaches the
// partition and processor instance that numbers its versions.
type PreparedStatement struct {
	// Statement has Version 0: versions are numbered after deduplication.
	Statement Statement `json:"statement"`
	// Calls are the calls the statement reports, in the extractor's order.
	Calls []CallReport `json:"calls"`
}
