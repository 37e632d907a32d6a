package processor

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// maxPreparedBytes bounds a prepared statement: it must fit a Kafka message
// on the prepared topic, and so must the versioned statement made from it
// (its version and prior hashes take a few hundred bytes more).
const maxPreparedBytes = model.MaxMessageBytes - 4<<10

// prepared is the result of step 1 for one raw message: a statement and the
// calls it reports, or a dead letter.
type prepared struct {
	in Input
	ps *model.PreparedStatement
	dl *model.DeadLetter
}

// prepare is step 1: decode, validate, normalize and read one raw message.
// It is stateless and safe to run in parallel.
func (p *Processor) prepare(in Input) (pr prepared) {
	pr.in = in
	defer func() {
		if r := recover(); r != nil {
			pr.ps, pr.dl = nil, p.panicked(in, r)
		}
	}()
	fail := func(reason string, err error) prepared {
		pr.dl = p.deadLetter(in, reason, err)
		return pr
	}
	if n := in.size(); n > p.cfg.MaxMessageBytes {
		return fail(ReasonTooLarge, fmt.Errorf("message of %d bytes exceeds %d", n, p.cfg.MaxMessageBytes))
	}
	if v, ok := in.Headers[model.HeaderSchema]; ok && v != model.SchemaRaw {
		return fail(ReasonUnknownSchema, fmt.Errorf("schema %q, want %q", v, model.SchemaRaw))
	}
	if !utf8.Valid(in.Value) {
		return fail(ReasonInvalidUTF8, errors.New("message is not valid UTF-8"))
	}
	var item model.RawItem
	if err := decodeRawItem(in.Value, &item); err != nil {
		if fe := asFieldError(in.Value, err); fe != nil {
			return fail(ReasonInvalidField, fe)
		}
		return fail(ReasonMalformedJSON, fmt.Errorf("not a JSON object (%v): each line or message must be one readout.raw.v1 JSON object", err))
	}
	if reason := item.Validate(); reason != "" {
		return fail(ReasonInvalidItem, errors.New(reason))
	}
	st, err := normalize.Statement(&item)
	if err != nil {
		return fail(normalizeReason(err), err)
	}
	if limit := p.cfg.Now().Add(calls.MaxFuture); st.PublishedAt.After(limit) {
		return fail(ReasonBadTime, fmt.Errorf("%w: published %s, more than %s ahead of the clock", normalize.ErrBadTime,
			st.PublishedAt.Format("2006-01-02T15:04:05Z07:00"), calls.MaxFuture))
	}
	ps := &model.PreparedStatement{Statement: st}
	for _, c := range p.cfg.Extractor.Extract(&st) {
		if len(c.Participants) > 0 {
			ps.Calls = append(ps.Calls, callReport(&ps.Statement, c))
		}
	}
	if n, ok := fits(ps, maxPreparedBytes); !ok {
		return fail(ReasonOutputTooLarge, fmt.Errorf("statement %s encodes to %d bytes, over the %d a Kafka message may carry", st.ID, n, maxPreparedBytes))
	}
	pr.ps = ps
	return pr
}

// Prepare is step 1 on its own: the prepared statement of one raw message
// (normalized, not yet versioned, with the calls it reports), or its dead
// letter. It does not touch the processor's state.
func (p *Processor) Prepare(in Input) (*model.PreparedStatement, *model.DeadLetter) {
	pr := p.prepare(in)
	return pr.ps, pr.dl
}

// normalizeReason is the dead-letter reason of a normalize error.
func normalizeReason(err error) string {
	switch {
	case errors.Is(err, normalize.ErrTooLarge):
		return ReasonTooLarge
	case errors.Is(err, normalize.ErrBadTime):
		return ReasonBadTime
	case errors.Is(err, normalize.ErrBadURL):
		return ReasonBadURL
	}
	return ReasonNormalize
}

// callReport is call c of statement st as a record of the call-reports topic.
func callReport(st *model.Statement, c extract.Call) model.CallReport {
	r := model.CallReport{
		Source: model.SourceRef{StatementID: st.ID, URL: st.URL, CanonicalURL: st.CanonicalURL, Publisher: st.Publisher, Lang: st.Lang,
			PublishedAt: st.PublishedAt, Title: st.Title, TranslationKey: st.TranslationKey, Zone: c.Zone,
			DateBasis: c.DateBasis},
		FetchedAt:    st.FetchedAt,
		Status:       c.Status,
		Participants: c.Participants,
		Unresolved:   c.Unresolved,
		Initiator:    c.Initiator,
		OccurredOn:   c.OccurredOn,
		OccurredAt:   c.OccurredAt.UTC(), // zero unless Precision is minute
		Precision:    c.Precision,
		Topics:       c.Topics,
		Confidence:   c.Confidence,
		Evidence:     c.Evidence,
	}
	if r.Topics == nil {
		r.Topics = []model.Topic{}
	}
	if r.Evidence == nil {
		r.Evidence = []model.Evidence{}
	}
	return r
}

// fits reports whether ps encodes to at most limit bytes of JSON, and the
// size when it had to encode it to know. JSON escapes a byte to at most six,
// so most statements are known to fit without encoding them.
func fits(ps *model.PreparedStatement, limit int) (int, bool) {
	st := &ps.Statement
	n := len(st.ID) + len(st.ItemKey) + len(st.Source) + len(st.Publisher) + len(st.URL) + len(st.CanonicalURL) + len(st.Title) + len(st.Text) +
		len(st.TranslationKey) + len(st.Lang) + len(st.DeclaredLang)
	items := len(st.Tags)
	for _, t := range st.Tags {
		n += len(t)
	}
	for i := range ps.Calls {
		k, m := reportSize(&ps.Calls[i])
		n, items = n+k, items+m
	}
	// Field names, quotes, numbers and times: at most 128 bytes per item and 2 KiB per record.
	if 6*n+128*items+2<<10 <= limit {
		return 0, true
	}
	b, err := json.Marshal(ps)
	if err != nil {
		return 0, false
	}
	return len(b), len(b) <= limit
}

// reportSize returns the bytes of the strings of r and how many items (the
// report, its participants, topics, triggers, evidence) they are in.
func reportSize(r *model.CallReport) (n, items int) {
	src := &r.Source
	n = len(src.StatementID) + len(src.URL) + len(src.CanonicalURL) + len(src.Publisher) + len(src.Lang) + len(src.Title) + len(src.TranslationKey) +
		len(r.Status) + len(r.Initiator) + len(r.OccurredOn) + len(r.Precision)
	items = 1 + len(r.Participants) + len(r.Unresolved) + len(r.Topics) + len(r.Evidence)
	for _, p := range r.Participants {
		n += len(p.WikidataID) + len(p.NameEN) + len(p.NameRU) + len(p.Role) + len(p.Country)
	}
	for _, u := range r.Unresolved {
		n += len(u)
	}
	for _, t := range r.Topics {
		n += len(t.ID) + len(t.Label) + len(t.IPTC)
		items += len(t.Triggers)
		for _, tr := range t.Triggers {
			n += len(tr)
		}
	}
	for _, e := range r.Evidence {
		n += len(e.StatementID) + len(e.Kind) + len(e.Text)
	}
	return n, items
}
