package calls

import (
	"cmp"
	"slices"
	"strings"

	"github.com/readout/readout/pkg/model"
)

// merge folds report r (its source ref) into ev and says whether anything
// changed. The result depends on the set of reports, not on the order they
// came in: sources, topics, triggers and evidence are kept sorted; the date
// comes from the best-dated source; confidence is the highest; the first
// report is the earliest published.
//
// An event keeps at most maxSources sources, the earliest published: a
// report that would be a later one adds nothing, and one that is earlier
// pushes the latest out, which merge returns as dropped.
func merge(ev *model.LeaderCall, ref model.SourceRef, r *model.CallReport, keys *Keyer) (changed bool, dropped *model.SourceRef) {
	i := slices.IndexFunc(ev.Sources, func(s model.SourceRef) bool { return s.StatementID == ref.StatementID })
	switch {
	case i < 0:
		k, _ := slices.BinarySearchFunc(ev.Sources, ref, compareSources)
		if k >= maxSources {
			return false, nil
		}
		ev.Sources = slices.Insert(ev.Sources, k, ref)
		if len(ev.Sources) > maxSources {
			d := ev.Sources[maxSources]
			dropped, ev.Sources = &d, ev.Sources[:maxSources]
		}
		changed = true
	case ev.Sources[i] != ref:
		ev.Sources[i] = ref
		sortSources(ev.Sources)
		changed = true
	}
	if mergeParties(ev, r, keys) {
		changed = true
	}
	if ev.Initiator == "" && r.Initiator != "" && slices.ContainsFunc(ev.Participants, func(p model.Participant) bool { return p.WikidataID == r.Initiator }) {
		ev.Initiator, changed = r.Initiator, true
	}
	// The date of the best-dated source, and its time when it states one.
	if best := ev.Sources[bestSource(ev.Sources)]; best.StatementID == ref.StatementID {
		prec := model.PrecisionDay
		if !best.OccurredAt.IsZero() {
			prec = model.PrecisionMinute
		}
		if ev.OccurredOn != best.OccurredOn || ev.Precision != prec || !ev.OccurredAt.Equal(best.OccurredAt) {
			ev.OccurredOn, ev.Precision, ev.OccurredAt, changed = best.OccurredOn, prec, best.OccurredAt, true
		}
	}
	if ev.FirstReportedAt.IsZero() || ref.PublishedAt.Before(ev.FirstReportedAt) {
		ev.FirstReportedAt, changed = ref.PublishedAt, true
	}
	if mergeTopics(ev, r.Topics) {
		changed = true
	}
	if r.Confidence > ev.Confidence {
		ev.Confidence, changed = r.Confidence, true
	}
	if mergeEvidence(ev, r.Evidence, ref.StatementID) {
		changed = true
	}
	return changed, dropped
}

// mergeParties adds the report's resolved participants and unresolved
// counterparts, and drops an unresolved counterpart once a resolved
// participant of its place is known ("?FI:president" once the Russian copy
// resolved the President of Finland). The event lists its resolved
// participants by key, then one unresolved participant per remaining
// mention.
func mergeParties(ev *model.LeaderCall, r *model.CallReport, keys *Keyer) bool {
	if len(r.Unresolved) == 0 && len(ev.Unresolved) == 0 && ev.AllResolved && knowsAll(ev.Participants, r.Participants) {
		return false // the common case: nothing new, nothing to settle
	}
	old := slices.Clone(ev.Participants)
	oldAll := ev.AllResolved
	changed := false
	resolvedParts := make([]model.Participant, 0, len(ev.Participants)+len(r.Participants))
	for _, p := range ev.Participants {
		if !p.Unresolved {
			resolvedParts = append(resolvedParts, p)
		}
	}
	for _, p := range r.Participants {
		if !p.Unresolved && !slices.ContainsFunc(resolvedParts, func(x model.Participant) bool { return x.Key() == p.Key() }) {
			resolvedParts = append(resolvedParts, p)
		}
	}
	for _, u := range r.Unresolved {
		if !slices.Contains(ev.Unresolved, u) {
			ev.Unresolved = append(ev.Unresolved, strings.Clone(u)) // see ownedText
			changed = true
		}
	}
	if len(ev.Unresolved) > 0 {
		resolved := map[string]bool{}
		for _, p := range resolvedParts {
			resolved[keys.participantPlace(p)] = true
		}
		kept := ev.Unresolved[:0]
		for _, u := range ev.Unresolved {
			if place, _ := keys.office(u); place != "" && resolved[place] {
				changed = true
				continue
			}
			kept = append(kept, u)
		}
		slices.Sort(kept)
		ev.Unresolved = slices.Compact(kept)
		if len(ev.Unresolved) == 0 {
			ev.Unresolved = nil
		}
	}
	ev.Participants = settleParties(resolvedParts, ev.Unresolved, old, r.Participants)
	ev.AllResolved = len(ev.Unresolved) == 0
	return changed || oldAll != ev.AllResolved || !slices.Equal(old, ev.Participants)
}

// knowsAll reports whether every participant of ps is in have.
func knowsAll(have, ps []model.Participant) bool {
	for _, p := range ps {
		if !slices.ContainsFunc(have, func(x model.Participant) bool { return x.Key() == p.Key() }) {
			return false
		}
	}
	return true
}

// settleParties orders the resolved participants by key and adds one
// unresolved participant per mention, as a report or the event described
// it (a bare mention where neither did, as events of earlier versions).
func settleParties(resolved []model.Participant, unresolved []string, from ...[]model.Participant) []model.Participant {
	slices.SortFunc(resolved, func(a, b model.Participant) int { return cmp.Compare(a.Key(), b.Key()) })
	out := resolved
	for _, u := range unresolved {
		p := model.Participant{Mention: u, Unresolved: true}
	find:
		for _, ps := range from {
			for _, x := range ps {
				if x.Unresolved && x.Mention == u {
					p = x
					break find
				}
			}
		}
		p.Mention, p.NameEN, p.NameRU, p.Role = strings.Clone(p.Mention), strings.Clone(p.NameEN), strings.Clone(p.NameRU), strings.Clone(p.Role) // see ownedText
		out = append(out, p)
	}
	return out
}

func mergeTopics(ev *model.LeaderCall, topics []model.Topic) bool {
	changed := false
	for _, tp := range topics {
		j := slices.IndexFunc(ev.Topics, func(x model.Topic) bool { return x.ID == tp.ID })
		if j < 0 {
			ev.Topics = append(ev.Topics, model.Topic{ID: tp.ID, Label: tp.Label, IPTC: tp.IPTC, Triggers: []string{}})
			j = len(ev.Topics) - 1
			changed = true
		}
		for _, tr := range tp.Triggers {
			if k, found := slices.BinarySearch(ev.Topics[j].Triggers, tr); !found {
				ev.Topics[j].Triggers = slices.Insert(ev.Topics[j].Triggers, k, strings.Clone(tr)) // see ownedText
				changed = true
			}
		}
	}
	if changed {
		slices.SortFunc(ev.Topics, func(a, b model.Topic) int { return cmp.Compare(a.ID, b.ID) })
	}
	return changed
}

// mergeEvidence adds evidence in sorted order, keeping the first maxEvidence.
func mergeEvidence(ev *model.LeaderCall, evidence []model.Evidence, statementID string) bool {
	changed := false
	for _, e := range evidence {
		if e.StatementID == "" {
			e.StatementID = statementID
		}
		k, found := slices.BinarySearchFunc(ev.Evidence, e, compareEvidence)
		if found || k >= maxEvidence {
			continue
		}
		e.Text = strings.Clone(e.Text) // see ownedText
		ev.Evidence = slices.Insert(ev.Evidence, k, e)
		if len(ev.Evidence) > maxEvidence {
			ev.Evidence = ev.Evidence[:maxEvidence]
		}
		changed = true
	}
	return changed
}

func compareEvidence(a, b model.Evidence) int {
	return cmp.Or(cmp.Compare(a.StatementID, b.StatementID), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Text, b.Text))
}

// ownedText: an event outlives the reports merged into it, and the texts
// of a report (evidence, mentions, trigger words) are cut from its
// statement's text. An event that kept them would keep whole statements in
// memory, also once evicted; merge keeps copies.

// sortSources orders sources by publication, then statement id.
func sortSources(s []model.SourceRef) { slices.SortFunc(s, compareSources) }

func compareSources(a, b model.SourceRef) int {
	return cmp.Or(a.PublishedAt.Compare(b.PublishedAt), cmp.Compare(a.StatementID, b.StatementID))
}

// cloneEvent returns a deep copy of ev: the tracker keeps mutating its own.
func cloneEvent(ev *model.LeaderCall) model.LeaderCall {
	cp := *ev
	cp.Participants = slices.Clone(ev.Participants)
	cp.Unresolved = slices.Clone(ev.Unresolved)
	cp.MergeKeys = slices.Clone(ev.MergeKeys)
	cp.Topics = make([]model.Topic, len(ev.Topics))
	for i, t := range ev.Topics {
		t.Triggers = slices.Clone(t.Triggers)
		cp.Topics[i] = t
	}
	cp.Sources = slices.Clone(ev.Sources)
	cp.AnnouncedBy = slices.Clone(ev.AnnouncedBy)
	cp.Evidence = slices.Clone(ev.Evidence)
	return cp
}

// Snapshot returns a deep copy of an event returned by Add, safe to keep
// and encode while the tracker goes on.
func Snapshot(ev *model.LeaderCall) *model.LeaderCall {
	cp := cloneEvent(ev)
	return &cp
}
