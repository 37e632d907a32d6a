// Command eval scores leader-call extraction against testdata/eval labels,
// either from processor events (-events) or by running the extractor (-direct),
// and converts the labelled statements to raw items (-make-raw).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/extract/eval"
	"github.com/readout/readout/pkg/gazetteer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(2)
	}
}

func run() error {
	statements := flag.String("statements", "testdata/eval/statements-dev.jsonl", "statement files, comma-separated")
	labels := flag.String("labels", "testdata/eval/labels.jsonl", "label files, comma-separated")
	events := flag.String("events", "", "events JSONL written by `processor replay` (model.LeaderCall per line)")
	direct := flag.Bool("direct", false, "run the extractor on the statements instead of reading events")
	makeRaw := flag.String("make-raw", "", "write the statements as raw items (model.RawItem JSON lines) to this file and exit")
	minF1 := flag.String("min-f1", "", "thresholds, e.g. call=0.97,participants=0.97,topics=0.9; exit 1 below them")
	misses := flag.Bool("misses", true, "list every miss")
	flag.Parse()

	sts, err := eval.ReadStatements(strings.Split(*statements, ",")...)
	if err != nil {
		return err
	}
	if *makeRaw != "" {
		f, err := os.Create(*makeRaw)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		for _, s := range sts {
			if err := enc.Encode(s.ToRaw()); err != nil {
				f.Close()
				return err
			}
		}
		return f.Close()
	}
	ls, err := eval.ReadLabels(strings.Split(*labels, ",")...)
	if err != nil {
		return err
	}
	var preds map[string]eval.Prediction
	switch {
	case *direct:
		g, err := gazetteer.Default()
		if err != nil {
			return err
		}
		preds, err = eval.Direct(extract.New(g), sts)
		if err != nil {
			return err
		}
	case *events != "":
		f, err := os.Open(*events)
		if err != nil {
			return err
		}
		defer f.Close()
		if preds, err = eval.FromEvents(f, sts); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: give -events FILE or -direct", eval.ErrBadInput)
	}
	rep := eval.Score(ls, preds)
	rep.Write(os.Stdout, *misses)
	if *minF1 != "" {
		for _, kv := range strings.Split(*minF1, ",") {
			var f string
			var v float64
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("%w: -min-f1 %q", eval.ErrBadInput, kv)
			}
			f = k
			if _, err := fmt.Sscan(val, &v); err != nil {
				return fmt.Errorf("%w: -min-f1 %q", eval.ErrBadInput, kv)
			}
			s, ok := rep.Fields[f]
			if !ok {
				return fmt.Errorf("%w: -min-f1: unknown field %q", eval.ErrBadInput, f)
			}
			if s.F1() < v {
				fmt.Printf("FAIL %s F1 %.3f < %.3f\n", f, s.F1(), v)
				defer os.Exit(1)
			}
		}
	}
	return nil
}
