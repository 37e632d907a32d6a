// Command gazgen builds the gazetteer's embedded data, pkg/gazetteer/leaders.json,
// from the tables in data/leaders (see data/leaders/README.md):
//
//	go run ./cmd/gazgen            write pkg/gazetteer/leaders.json
//	go run ./cmd/gazgen -check     exit 1 if the committed file is not what the tables give
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/readout/readout/internal/gazgen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		if errors.Is(err, errStale) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

var errStale = errors.New("the committed data is not what the tables give: run go run ./cmd/gazgen")

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gazgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "data/leaders", "the directory of the input tables and overrides.yaml")
	out := fs.String("out", "pkg/gazetteer/leaders.json", "the file to write")
	check := fs.Bool("check", false, "compare with -out instead of writing it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	got, rep, err := gazgen.Generate(*data)
	if err != nil {
		return err
	}
	if *check {
		have, err := os.ReadFile(*out)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, got) {
			return fmt.Errorf("%w (%s)", errStale, *out)
		}
		fmt.Fprintf(stdout, "%s is up to date\n", *out)
		return nil
	}
	if err := os.WriteFile(*out, got, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d people (%d with a Wikidata id; %d leaders, %d foreign ministers only), %d terms, %d countries and organisations\n",
		filepath.Clean(*out), rep.People, rep.WithID, rep.Leaders, rep.Ministers, rep.Terms, rep.Countries)
	fmt.Fprintf(stdout, "factbook: %d terms added, %d of them matched to a Wikidata id, %d other names of holders; overlapping terms cut %d, dropped %d\n",
		rep.FactbookTerms, rep.FactbookMatched, rep.FactbookNames, rep.Trimmed, rep.Dropped)
	reasons := make([]string, 0, len(rep.SkippedRows))
	for r := range rep.SkippedRows {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(stdout, "  skipped %4d rows: %s\n", rep.SkippedRows[r], r)
	}
	return nil
}
