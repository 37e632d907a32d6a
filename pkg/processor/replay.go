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
// and writes the resulting events, with the same steps as the Kafka Runner
// and no Kafka: its state is sharded into Config.Partitions as the Kafka
// topics partition it, so a replay gives the events a deployment with that
// many partitions gives. A bad line becomes a dead letter; replay goes on.
func (p *Processor) Replay(ctx context.Context, r io.Reader, o ReplayOptions) (ReplayStats, error) {
	start := time.Now()
	var st ReplayStats
	br := bufio.NewReaderSize(r, 1<<20)
	ew := bufio.NewWriterSize(o.Events, 1<<16)
	enc := json.NewEncoder(ew)
	enc.SetEscapeHTML(false)
	var senc, denc *json.Encoder
	var sw, dw *bufio.Writer
	if o.Statements != nil {
		sw = bufio.NewWriterSize(o.Statements, 1<<16)
		senc = json.NewEncoder(sw)
		senc.SetEscapeHTML(false)
	}
	if o.DLQ != nil {
		dw = bufio.NewWriter(o.DLQ)
		denc = json.NewEncoder(dw)
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 10000
	}
	const chunk = 512
	// A batch is prepared (in parallel) while the one before it is
	// committed and written (in order, here), so that neither waits for the
	// other. Two batches alternate in bufs.
	bufs := [2][]Input{make([]Input, 0, chunk), make([]Input, 0, chunk)}
	batch := bufs[0]
	var pending chan []prepared // the batch being prepared
	written := 0                // lines of the batches written
	write := func(preps []prepared) error {
		outs := make([]Output, len(preps))
		for i := range preps {
			outs[i] = p.commit(preps[i]) // all first, as HandleBatch does
		}
		for _, out := range outs {
			switch {
			case out.DeadLetter != nil:
				st.DeadLetters++
				if denc != nil {
					if err := denc.Encode(out.DeadLetter); err != nil {
						return err
					}
				}
			case out.Statement == nil:
				st.Duplicates++
			default:
				st.Statements++
				if senc != nil {
					if err := senc.Encode(out.Statement); err != nil {
						return err
					}
				}
			}
			for _, ev := range out.Events {
				if err := enc.Encode(ev); err != nil {
					return fmt.Errorf("processor: write event: %w", err)
				}
				st.Events++
			}
			p.countEvents(out.Events)
		}
		written += len(preps)
		if o.Progress != nil && written/o.ProgressEvery != (written-chunk)/o.ProgressEvery {
			st.Elapsed = time.Since(start)
			s := st
			s.Lines = written
			o.Progress(s)
		}
		return nil
	}
	// writeBatch writes a prepared batch; after an error, st.Lines counts
	// the lines up to its end, as when each batch was written once read.
	writeBatch := func(preps []prepared) error {
		err := write(preps)
		if err != nil {
			st.Lines = written + len(preps)
		}
		return err
	}
	// handOver starts preparing the batch read and writes the one before.
	handOver := func() error {
		ch := make(chan []prepared, 1)
		go func(batch []Input) { ch <- p.prepareAll(batch) }(batch)
		prev := pending
		pending = ch
		bufs[0], bufs[1] = bufs[1], bufs[0]
		batch = bufs[0][:0] // the batch prev prepared: free once that is received
		if prev == nil {
			return nil
		}
		if err := writeBatch(<-prev); err != nil {
			<-pending // the batch just handed over is not written
			pending = nil
			return err
		}
		return nil
	}
	// finish writes the batch being prepared, if any.
	finish := func() error {
		if pending == nil {
			return nil
		}
		preps := <-pending
		pending = nil
		return writeBatch(preps)
	}
	for {
		if err := ctx.Err(); err != nil {
			// The batches read in full are written, as when each was
			// written once read.
			if ferr := finish(); ferr != nil {
				return st, ferr
			}
			return st, err
		}
		line, size, err := readLine(br, p.cfg.MaxMessageBytes)
		if len(line) > 0 {
			st.Lines++
			batch = append(batch, Input{Value: line, Size: size, Topic: "replay", Offset: int64(st.Lines)})
			if len(batch) == chunk {
				if err := handOver(); err != nil {
					return st, err
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := finish(); ferr != nil {
				return st, ferr
			}
			return st, fmt.Errorf("processor: read input: %w", err)
		}
	}
	// The last batch, perhaps empty, as the others.
	if err := handOver(); err != nil {
		return st, err
	}
	if err := finish(); err != nil {
		return st, err
	}
	for _, w := range []*bufio.Writer{ew, sw, dw} {
		if w != nil {
			if err := w.Flush(); err != nil {
				return st, err
			}
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
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
