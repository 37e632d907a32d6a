package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
)

// Records is a keyed log that keeps every key's latest record, such as a
// compacted Kafka topic (pkg/crawler/kafkasink).
type Records interface {
	// Read calls fn with every record, in the order written within a key.
	Read(ctx context.Context, fn func(key string, value []byte)) error
	// Write writes one record and returns when it is durable.
	Write(ctx context.Context, key string, value []byte) error
}

// RecordStore keeps source states in Records: a crawler restarted anywhere
// resumes where it stopped.
//
// Each writer keeps its own record of a source: the live crawler under the
// source id, another writer (Writer "backfill") under "<source id>#<writer>".
// Load merges every record of a source (union of the seen keys, see
// SourceState.merge), so `crawler backfill` and a running crawler never
// overwrite each other's record, and each one's next start knows what both
// sent. A save writes only its own record; no read is needed before it.
type RecordStore struct {
	Records Records
	// Writer names this store's records; "" for the live crawler.
	Writer string
}

// stateKeySep separates the source id from the writer in a record key;
// source ids cannot contain it (sources.Source ids are [a-z0-9._-]).
const stateKeySep = "#"

func (s *RecordStore) key(sourceID string) string {
	if s.Writer == "" {
		return sourceID
	}
	return sourceID + stateKeySep + s.Writer
}

// Load reads the latest record of every writer and returns, per source,
// their merge.
func (s *RecordStore) Load(ctx context.Context) (map[string]SourceState, error) {
	latest := map[string]SourceState{} // by record key
	err := s.Records.Read(ctx, func(key string, value []byte) {
		var st SourceState
		if err := json.Unmarshal(value, &st); err != nil || st.SourceID == "" {
			return // a foreign or damaged record: the next save replaces it
		}
		if old, ok := latest[key]; !ok || !st.UpdatedAt.Before(old.UpdatedAt) {
			latest[key] = st
		}
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: load state: %w", err)
	}
	// Records merge in key order, whatever order the topic returned them in.
	keys := make([]string, 0, len(latest))
	for k := range latest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]SourceState{}
	for _, k := range keys {
		st := latest[k].clone()
		if cur, ok := out[st.SourceID]; ok {
			cur.merge(st)
			st = cur
		}
		out[st.SourceID] = st
	}
	return out, nil
}

// Save writes st as this writer's record and returns when it is durable.
func (s *RecordStore) Save(ctx context.Context, st SourceState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.Records.Write(ctx, s.key(st.SourceID), b)
}
