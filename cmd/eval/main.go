// Command eval scores leader-call extraction against testdata/eval labels,
// either from processor events (-events) or by running the extractor (-direct),
// and converts the labelled statements to raw items (-make-raw).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/readout/readout/internal/eval"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/normalize"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		if errors.Is(err, errBelowThreshold) {
			os.Exit(1)
		}
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
	// A label whose text is not at hand (a web hold-out page that could not
	// be found again) is not scored: nothing was asked of the extractor.
	have := make(map[string]bool, len(sts))
	for _, s := range sts {
		have[s.ID] = true
	}
	var unscored []string
	for id := range ls {
		if !have[id] {
			unscored = append(unscored, id)
			delete(ls, id)
		}
	}
	if len(unscored) > 0 {
		slices.Sort(unscored)
		fmt.Printf("not scored: %d labelled statements without a text (%s)\n", len(unscored), strings.Join(unscored, " "))
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
		// Events match their sources by canonical_url (an archived White
		// House URL is its whitehouse.gov URL): give the statements the same form.
		for i := range sts {
			if c, err := normalize.CanonicalURL(sts[i].URL); err == nil {
				sts[i].URL = c
			}
		}
		if preds, err = eval.FromEvents(f, sts); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: give -events FILE or -direct", eval.ErrBadInput)
	}
	rep := eval.Score(ls, preds)
	rep.Write(os.Stdout, *misses)
	if *minF1 == "" {
		return nil
	}
	var failed []string
	for _, kv := range strings.Split(*minF1, ",") {
		f, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		var v float64
		if !ok {
			return fmt.Errorf("%w: -min-f1 %q", eval.ErrBadInput, kv)
		}
		if _, err := fmt.Sscan(val, &v); err != nil {
			return fmt.Errorf("%w: -min-f1 %q", eval.ErrBadInput, kv)
		}
		s, ok := rep.Fields[f]
		if !ok {
			return fmt.Errorf("%w: -min-f1: unknown field %q", eval.ErrBadInput, f)
		}
		if s.F1() < v {
			failed = append(failed, fmt.Sprintf("%s F1 %.3f < %.3f", f, s.F1(), v))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w: %s", errBelowThreshold, strings.Join(failed, "; "))
	}
	fmt.Printf("thresholds met: %s\n", *minF1)
	return nil
}

// errBelowThreshold: a field's F1 is below its -min-f1 threshold (exit status 1).
var errBelowThreshold = errors.New("below threshold")
