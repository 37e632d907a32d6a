package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// deadLetter counts, logs and parks what the crawler could not use, with
// the reason and (a bounded prefix of) the payload.
func (c *Crawler) deadLetter(ctx context.Context, log *zap.Logger, src sources.Source, reason, stage, key string, err error, payload []byte) {
	c.m.deadLetters.WithLabelValues(src.ID, reason).Inc()
	size := len(payload)
	if len(payload) > c.cfg.MaxDeadLetterBytes {
		payload = payload[:c.cfg.MaxDeadLetterBytes]
	}
	dl := model.DeadLetter{
		Reason:       reason,
		Error:        err.Error(),
		Stage:        stage,
		Source:       src.ID,
		Key:          key,
		Payload:      payload,
		PayloadBytes: size,
		At:           time.Now().UTC(),
	}
	log.Error("dead letter", zap.String("reason", reason), zap.String("stage", stage), zap.String("key", key), zap.Error(err))
	if c.cfg.DLQ == nil {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	if derr := c.cfg.DLQ.DeadLetter(dctx, dl); derr != nil {
		log.Error("dead letter sink", zap.Error(derr))
	}
}

// rejection is an entry of a source's document that cannot be used.
type rejection struct {
	key     string // stable while the source keeps the entry (SourceState.Rejected)
	reason  string
	stage   string
	dlKey   string // DeadLetter.Key
	err     error
	payload []byte
}

// rejectOnce dead-letters r unless it was dead-lettered already while the
// source kept the entry, and remembers it for the next poll. It reports
// whether a dead letter went out.
func (c *Crawler) rejectOnce(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, cy *cycle, r rejection) bool {
	cy.rejected[r.key] = r.reason
	if st.Rejected[r.key] == r.reason {
		return false
	}
	c.deadLetter(ctx, log, src, r.reason, r.stage, r.dlKey, r.err, r.payload)
	return true
}

// rejectable reports whether cy may remember another rejection. The state
// keeps them (SourceState.Rejected), so they are bounded like the seen keys:
// past MaxSeen the remaining bad entries of a document are logged and
// counted as skipped, not dead-lettered one by one.
func (c *Crawler) rejectable(log *zap.Logger, cy *cycle, left int) bool {
	if len(cy.rejected) < c.cfg.MaxSeen {
		return true
	}
	log.Warn("too many bad entries in one document: the rest are not dead-lettered one by one", zap.Int("skipped", left), zap.Int("max_seen", c.cfg.MaxSeen))
	return false
}

// rejectInvalid dead-letters the feed entries that cannot become items,
// each once while the feed keeps it, with what could be read of it.
func (c *Crawler) rejectInvalid(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, invalid []feeds.Invalid,
	cy *cycle, res *PollResult) {
	for i, inv := range invalid {
		if !c.rejectable(log, cy, len(invalid)-i) {
			res.Skipped += len(invalid) - i
			return
		}
		if c.rejectOnce(ctx, log, src, st, cy, rejection{key: "invalid:" + inv.Fingerprint, reason: "invalid_item", stage: "crawler.parse",
			dlKey: invalidKey(inv), err: fmt.Errorf("feed entry %d (%q): %s", inv.Index, inv.Item.Title, inv.Reason), payload: invalidPayload(inv)}) {
			res.Invalid++
		}
	}
}

// invalidKey names an invalid feed entry in its dead letter.
func invalidKey(inv feeds.Invalid) string {
	switch {
	case inv.Item.GUID != "":
		return inv.Item.GUID
	case inv.Item.URL != "":
		return inv.Item.URL
	}
	return fmt.Sprintf("entry %d", inv.Index)
}

// invalidPayload is what could be read of an invalid feed entry, as JSON.
func invalidPayload(inv feeds.Invalid) []byte {
	b, err := json.Marshal(inv.Item)
	if err != nil {
		return nil
	}
	return b
}
