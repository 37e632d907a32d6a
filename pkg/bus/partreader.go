package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// OffsetReset is a committed (or reached) offset that was not in its
// partition's log, and where reading resumed: the earliest offset, so that
// records are read again rather than skipped (at-least-once).
type OffsetReset struct {
	Topic     string
	Partition int
	Offset    int64 // the offset asked for
	First     int64 // the log's first offset, where reading resumes
	End       int64 // the log's end (the next offset to be written)
	// Reason is ResetPastEnd or ResetBeforeStart.
	Reason string
}

// Reasons of an OffsetReset.
const (
	// ResetPastEnd: the offset is past the end of the log; the topic was
	// deleted and created again, or the log was truncated.
	ResetPastEnd = "past_end"
	// ResetBeforeStart: the records from the offset on were deleted
	// (retention) before they were read.
	ResetBeforeStart = "before_start"
)

// Read errors a PartitionReader reports as persistent: errors (kafka-go
// retries them: the broker away, a partition without a leader) that went
// on for ReadErrorGrace, none more than readErrorGap after the last.
const (
	ReadErrorGrace = 30 * time.Second
	readErrorGap   = 10 * time.Second
)

// probeEvery is how often a reader that meets errors checks that its
// position is still in the log.
const probeEvery = 2 * time.Second

// Open returns a reader of the claimed partition from its committed
// offset. A committed offset outside the partition's log is reset to the
// log's first offset and reported to Group.OnOffsetReset: past the end, the
// topic was recreated (kafka-go would wait there forever); before the
// start, retention deleted records never read (kafka-go would skip them
// silently).
func (gen *Generation) Open(c Claim) (*PartitionReader, error) {
	p := &PartitionReader{claim: c, gen: gen, health: readHealth{now: time.Now}}
	ctx, cancel := context.WithTimeout(context.Background(), offsetsRetryFor)
	defer cancel()
	first, end, err := partitionOffsets(ctx, gen.group.c, gen.group.dialer, c.Topic, c.Partition)
	if err != nil {
		return nil, fmt.Errorf("bus: open %s/%d: %w", c.Topic, c.Partition, err)
	}
	offset := c.Offset
	if offset >= 0 && (offset > end || offset < first) {
		offset = p.reset(c.Offset, first, end)
	}
	p.r = kafka.NewReader(kafka.ReaderConfig{
		Brokers:          gen.group.c.Brokers,
		Topic:            c.Topic,
		Partition:        c.Partition,
		Dialer:           gen.group.dialer,
		MinBytes:         1,
		MaxBytes:         16 << 20,
		MaxWait:          250 * time.Millisecond,
		ReadBatchTimeout: 5 * time.Second,
		ReadBackoffMin:   50 * time.Millisecond,
		ReadBackoffMax:   time.Second,
		// kafka-go retries without end; after a few attempts each failed
		// one comes back from FetchMessage too, so errors are seen.
		MaxAttempts:           3,
		OffsetOutOfRangeError: true,
		ErrorLogger:           kafka.LoggerFunc(func(msg string, args ...any) { p.health.failed(fmt.Errorf(msg, args...)) }),
	})
	if err := p.r.SetOffset(offset); err != nil {
		p.r.Close()
		return nil, fmt.Errorf("bus: seek %s/%d to %d: %w", c.Topic, c.Partition, offset, err)
	}
	return p, nil
}

// PartitionReader reads one partition in order.
type PartitionReader struct {
	r      *kafka.Reader
	claim  Claim
	gen    *Generation
	health readHealth
}

// Fetch returns the next record, blocking until one arrives or ctx is
// done. Read errors do not end it: kafka-go retries them, and Failing
// tells when they persist. An offset found outside the log (the topic was
// recreated while it was read) is reset to the log's start and reported.
func (p *PartitionReader) Fetch(ctx context.Context) (Record, error) {
	for {
		fctx, cancel := ctx, context.CancelFunc(func() {})
		if d, ok := ctx.Deadline(); !ok || time.Until(d) > probeEvery {
			fctx, cancel = context.WithTimeout(ctx, probeEvery)
		}
		m, err := p.r.FetchMessage(fctx)
		cancel()
		switch {
		case err == nil:
			p.health.ok()
			return record(m), nil
		case ctx.Err() != nil:
			return Record{}, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			// Nothing arrived: if kafka-go has been meeting errors, is the
			// position still in the log?
			if p.health.erring() {
				if err := p.probe(ctx); err != nil {
					p.health.failed(err)
				}
			}
		case errors.Is(err, kafka.OffsetOutOfRange):
			if err := p.probe(ctx); err != nil {
				p.health.failed(err)
			}
		default:
			p.health.failed(err)
		}
	}
}

// probe resets the reader to the log's start when its position is outside
// the log. Before its first record a reader of a new group is at
// kafka.FirstOffset (-2), a marker kafka-go resolves, not a position.
func (p *PartitionReader) probe(ctx context.Context) error {
	if p.r.Offset() < 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, offsetsRetryFor)
	defer cancel()
	first, end, err := partitionOffsets(ctx, p.gen.group.c, p.gen.group.dialer, p.claim.Topic, p.claim.Partition)
	if err != nil {
		return err
	}
	if at := p.r.Offset(); at > end || at < first {
		return p.r.SetOffset(p.reset(at, first, end))
	}
	return nil
}

// reset reports that offset is outside [first, end] and returns where reading resumes.
func (p *PartitionReader) reset(offset, first, end int64) int64 {
	reason := ResetPastEnd
	if offset < first {
		reason = ResetBeforeStart
	}
	if fn := p.gen.group.OnOffsetReset; fn != nil {
		fn(OffsetReset{Topic: p.claim.Topic, Partition: p.claim.Partition, Offset: offset, First: first, End: end, Reason: reason})
	}
	return first
}

// Failing returns the read error the reader has been meeting for
// ReadErrorGrace or longer, or nil.
func (p *PartitionReader) Failing() error {
	d, err := p.health.persistent(ReadErrorGrace)
	if err == nil {
		return nil
	}
	return fmt.Errorf("bus: reading %s/%d has been failing for %s: %w", p.claim.Topic, p.claim.Partition, d.Round(time.Second), err)
}

// Close closes the reader.
func (p *PartitionReader) Close() error { return p.r.Close() }

// readHealth tracks a streak of read errors.
type readHealth struct {
	now   func() time.Time
	mu    sync.Mutex
	since time.Time // first error of the streak
	last  time.Time // latest error
	err   error
}

func (h *readHealth) failed(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if h.since.IsZero() || now.Sub(h.last) > readErrorGap {
		h.since = now
	}
	h.last, h.err = now, err
}

func (h *readHealth) ok() {
	h.mu.Lock()
	h.since, h.last, h.err = time.Time{}, time.Time{}, nil
	h.mu.Unlock()
}

// erring reports whether errors are being met now.
func (h *readHealth) erring() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.last.IsZero() && h.now().Sub(h.last) <= readErrorGap
}

// persistent returns the latest error of a streak going on for at least
// grace, and how long it has gone on.
func (h *readHealth) persistent(grace time.Duration) (time.Duration, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if h.last.IsZero() || now.Sub(h.last) > readErrorGap || now.Sub(h.since) < grace {
		return 0, nil
	}
	return now.Sub(h.since), h.err
}
