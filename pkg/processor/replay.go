package processor

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// ReplayStats counts what a replay did.
type ReplayStats struct {
	Lines       int
	Statements  int
	Duplicates  int
	DeadLetters int
	Events      int // event versions written
	Elapsed     time.Duration
}

// ItemsPerSecond is the replay throughput.
func (s ReplayStats) ItemsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Lines) / s.Elapsed.Seconds()
}

// ReplayOptions say where replay output goes. Events is required.
type ReplayOptions struct {
	Events     io.Writer // leader-call event versions, JSONL
	Statements io.Writer // optional: statements, JSONL
	DLQ        io.Writer // optional: dead letters, JSONL (they are always logged and counted)
	// Progress, if set, is called every ProgressEvery lines.
	Progress      func(ReplayStats)
	ProgressEvery int
}

// Replay reads raw items as JSONL (the readout.raw.v1 value format) from r
// and writes the resulting events, with the same steps as kafkarun.Runner
// and no Kafka: its state is sharded into Config.Partitions as the Kafka
// topics partition it, so a replay gives the events a deployment with that
// many partitions gives. A bad line becomes a dead letter; replay goes on.
func (p *Processor) Replay(ctx context.Context, r io.Reader, o ReplayOptions) (ReplayStats, error) {
	rp := p.newReplayer(o)
	if err := rp.run(ctx, bufio.NewReaderSize(r, 1<<20)); err != nil {
		return rp.st, err
	}
	for _, w := range []*bufio.Writer{rp.ew, rp.sw, rp.dw} {
		if w != nil {
			if err := w.Flush(); err != nil {
				return rp.st, err
			}
		}
	}
	rp.st.Elapsed = time.Since(rp.start)
	return rp.st, nil
}

// replayChunk is the number of lines prepared together.
const replayChunk = 512

// replayTopic is the Input.Topic of a replayed line; its Offset is the
// line's number, from 1.
const replayTopic = "replay"

// replayer is one run of Replay. A batch is prepared (in parallel) while
// the one before it is committed and written (in order), so that neither
// waits for the other; two batches alternate in bufs.
type replayer struct {
	p              *Processor
	o              ReplayOptions
	start          time.Time
	st             ReplayStats
	enc, senc, dec *json.Encoder
	ew, sw, dw     *bufio.Writer
	bufs           [2][]Input
	batch          []Input
	pending        chan []prepared // the batch being prepared
	written        int             // lines of the batches written
}

func (p *Processor) newReplayer(o ReplayOptions) *replayer {
	rp := &replayer{p: p, o: o, start: time.Now()}
	rp.ew = bufio.NewWriterSize(o.Events, 1<<16)
	rp.enc = json.NewEncoder(rp.ew)
	rp.enc.SetEscapeHTML(false)
	if o.Statements != nil {
		rp.sw = bufio.NewWriterSize(o.Statements, 1<<16)
		rp.senc = json.NewEncoder(rp.sw)
		rp.senc.SetEscapeHTML(false)
	}
	if o.DLQ != nil {
		rp.dw = bufio.NewWriter(o.DLQ)
		rp.dec = json.NewEncoder(rp.dw)
	}
	if rp.o.ProgressEvery <= 0 {
		rp.o.ProgressEvery = 10000
	}
	rp.bufs = [2][]Input{make([]Input, 0, replayChunk), make([]Input, 0, replayChunk)}
	rp.batch = rp.bufs[0]
	return rp
}

// run reads the lines of br in batches and writes what they give.
func (rp *replayer) run(ctx context.Context, br *bufio.Reader) error {
	for {
		if err := ctx.Err(); err != nil {
			// The batches read in full are written, as when each was
			// written once read.
			if ferr := rp.finish(); ferr != nil {
				return ferr
			}
			return err
		}
		line, size, err := readLine(br, rp.p.cfg.MaxMessageBytes)
		if len(line) > 0 {
			rp.st.Lines++
			rp.batch = append(rp.batch, Input{Value: line, Size: size, Topic: replayTopic, Offset: int64(rp.st.Lines)})
			if len(rp.batch) == replayChunk {
				if err := rp.handOver(); err != nil {
					return err
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := rp.finish(); ferr != nil {
				return ferr
			}
			return fmt.Errorf("processor: read input: %w", err)
		}
	}
	// The last batch, perhaps empty, as the others.
	if err := rp.handOver(); err != nil {
		return err
	}
	return rp.finish()
}

// handOver starts preparing the batch read and writes the one before.
func (rp *replayer) handOver() error {
	ch := make(chan []prepared, 1)
	go func(batch []Input) { ch <- rp.p.prepareAll(batch) }(rp.batch)
	prev := rp.pending
	rp.pending = ch
	rp.bufs[0], rp.bufs[1] = rp.bufs[1], rp.bufs[0]
	rp.batch = rp.bufs[0][:0] // the batch prev prepared: free once that is received
	if prev == nil {
		return nil
	}
	if err := rp.writeBatch(<-prev); err != nil {
		<-rp.pending // the batch just handed over is not written
		rp.pending = nil
		return err
	}
	return nil
}

// finish writes the batch being prepared, if any.
func (rp *replayer) finish() error {
	if rp.pending == nil {
		return nil
	}
	preps := <-rp.pending
	rp.pending = nil
	return rp.writeBatch(preps)
}

// writeBatch writes a prepared batch; after an error, st.Lines counts the
// lines up to its end, as when each batch was written once read.
func (rp *replayer) writeBatch(preps []prepared) error {
	err := rp.write(preps)
	if err != nil {
		rp.st.Lines = rp.written + len(preps)
	}
	return err
}

// write commits a prepared batch and writes its outputs in order.
func (rp *replayer) write(preps []prepared) error {
	outs := make([]Output, len(preps))
	for i := range preps {
		outs[i] = rp.p.commit(preps[i]) // all first, as HandleBatch does
	}
	for _, out := range outs {
		if err := rp.output(out); err != nil {
			return err
		}
	}
	rp.written += len(preps)
	if rp.o.Progress != nil && rp.written/rp.o.ProgressEvery != (rp.written-replayChunk)/rp.o.ProgressEvery {
		rp.st.Elapsed = time.Since(rp.start)
		s := rp.st
		s.Lines = rp.written
		rp.o.Progress(s)
	}
	return nil
}

// output writes one message's outputs and counts them.
func (rp *replayer) output(out Output) error {
	switch {
	case out.DeadLetter != nil:
		rp.st.DeadLetters++
		if rp.dec != nil {
			if err := rp.dec.Encode(out.DeadLetter); err != nil {
				return err
			}
		}
	case out.Statement == nil:
		rp.st.Duplicates++
	default:
		rp.st.Statements++
		if rp.senc != nil {
			if err := rp.senc.Encode(out.Statement); err != nil {
				return err
			}
		}
	}
	for _, ev := range out.Events {
		if err := rp.enc.Encode(ev); err != nil {
			return fmt.Errorf("processor: write event: %w", err)
		}
		rp.st.Events++
	}
	rp.p.countEvents(out.Events)
	return nil
}

// readLine returns the next non-empty line without its newline, and its
// size. A line longer than limit is returned cut at limit+1 bytes (so it is
// seen as too large), and the rest of it is skipped.
func readLine(br *bufio.Reader, limit int) ([]byte, int, error) {
	for {
		var buf []byte
		size := 0
		for {
			chunk, err := br.ReadSlice('\n')
			size += len(chunk)
			if len(buf)+len(chunk) <= limit+1 {
				buf = append(buf, chunk...)
			} else if len(buf) <= limit {
				buf = append(buf, chunk[:limit+1-len(buf)]...)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			for len(buf) > 0 && (buf[len(buf)-1] == '\n' || buf[len(buf)-1] == '\r') {
				buf = buf[:len(buf)-1]
			}
			if len(buf) == 0 && err == nil {
				break // empty line: read the next one
			}
			if len(buf) <= limit {
				return buf, len(buf), err
			}
			// Cut: the size is that of the whole line, without its newline.
			return buf, size - (len(chunk) - len(bytes.TrimRight(chunk, "\r\n"))), err
		}
	}
}
