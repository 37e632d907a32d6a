package calls

import (
	"cmp"
	"container/heap"
	"slices"
	"time"
)

// dayIndex files events by merge key and the UTC day a span of theirs
// starts on, so that the events of a key whose spans overlap a given span
// are found by looking at a few days, however many calls the key has had
// (two leaders who speak every week for years). A span longer than maxLen
// is kept in a per-key list that every query of the key looks at.
type dayIndex struct {
	maxLen time.Duration
	days   map[dayKey][]*entry
	long   map[string][]*entry
	count  map[string]int // entries filed per key
}

type dayKey struct {
	key string
	day int32
}

func newDayIndex(maxLen time.Duration) dayIndex {
	return dayIndex{maxLen: maxLen, days: map[dayKey][]*entry{}, long: map[string][]*entry{}, count: map[string]int{}}
}

// dayOf is the number of the UTC day t is in, counted from 1970-01-01.
func dayOf(t time.Time) int32 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return int32(d)
}

// add files e under each key with span s; an empty span is not filed (it overlaps nothing).
func (x *dayIndex) add(keys []string, s span, e *entry) {
	if s.empty() {
		return
	}
	for _, k := range keys {
		x.count[k]++
		if s.to.Sub(s.from) > x.maxLen {
			x.long[k] = append(x.long[k], e)
			continue
		}
		dk := dayKey{k, dayOf(s.from)}
		x.days[dk] = append(x.days[dk], e)
	}
}

// remove takes e out from under each key it was filed under with span s.
func (x *dayIndex) remove(keys []string, s span, e *entry) {
	if s.empty() {
		return
	}
	for _, k := range keys {
		if n := x.count[k] - 1; n > 0 {
			x.count[k] = n
		} else {
			delete(x.count, k)
		}
		if s.to.Sub(s.from) > x.maxLen {
			dropFrom(x.long, k, e)
			continue
		}
		dk := dayKey{k, dayOf(s.from)}
		es := slices.DeleteFunc(x.days[dk], func(o *entry) bool { return o == e })
		if len(es) == 0 {
			delete(x.days, dk)
		} else {
			x.days[dk] = es
		}
	}
}

// each calls fn for every event filed under key whose span may overlap q:
// it starts less than maxLen before q does and before q ends, or is long.
// The caller checks the overlap itself.
func (x *dayIndex) each(key string, q span, fn func(*entry)) {
	if q.empty() || x.count[key] == 0 {
		return
	}
	for d, last := dayOf(q.from.Add(-x.maxLen)), dayOf(q.to.Add(-time.Nanosecond)); d <= last; d++ {
		for _, e := range x.days[dayKey{key, d}] {
			fn(e)
		}
	}
	for _, e := range x.long[key] {
		fn(e)
	}
}

// evictedHeap orders evicted events by the end of their span, then id: the
// first is the one the index forgets first.
type evictedHeap []*entry

func (h evictedHeap) Len() int { return len(h) }
func (h evictedHeap) Less(i, j int) bool {
	return cmp.Or(h[i].span.to.Compare(h[j].span.to), cmp.Compare(h[i].ev.ID, h[j].ev.ID)) < 0
}
func (h evictedHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapAt, h[j].heapAt = i, j
}

// Push and Pop are for container/heap: use add, fix, remove and first.
func (h *evictedHeap) Push(x any) {
	e := x.(*entry)
	e.heapAt = len(*h)
	*h = append(*h, e)
}

func (h *evictedHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.heapAt = -1
	return e
}

func (h *evictedHeap) add(e *entry)    { heap.Push(h, e) }
func (h *evictedHeap) fix(e *entry)    { heap.Fix(h, e.heapAt) }
func (h *evictedHeap) remove(e *entry) { heap.Remove(h, e.heapAt) }
func (h *evictedHeap) first() *entry   { return (*h)[0] }
