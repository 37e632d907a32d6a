// Package synth makes large streams of raw items from real captured ones, for
// benchmarks and load tests: each copy gets a new item id, URL and date, and
// keeps the real title and text.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/readout/readout/pkg/model"
)

// LoadJSONL reads raw items (readout.raw.v1 values) from a JSONL file.
func LoadJSONL(path string) ([]model.RawItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []model.RawItem
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var it model.RawItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", path, err)
		}
		out = append(out, it)
	}
	return out, sc.Err()
}

var trailingID = regexp.MustCompile(`(\d+)/?$`)

// Generate returns n items cycling through base. Copy k of an item is moved
// k×7 days later (whole weeks, so weekday words stay right) and gets a
// distinct URL and guid; Kremlin-style numeric ids are shifted so the ru/en
// copies of one item stay linked.
func Generate(base []model.RawItem, n int) []model.RawItem {
	out := make([]model.RawItem, 0, n)
	for i := 0; i < n; i++ {
		b := base[i%len(base)]
		round := i / len(base)
		it := b
		it.Tags = append([]string(nil), b.Tags...)
		if round > 0 {
			shift := time.Duration(round) * 7 * 24 * time.Hour
			if t, err := time.Parse(time.RFC3339, b.PublishedAt); err == nil {
				it.PublishedAt = t.Add(shift).Format(time.RFC3339)
			}
			if m := trailingID.FindStringSubmatchIndex(b.URL); m != nil {
				var id int
				fmt.Sscanf(b.URL[m[2]:m[3]], "%d", &id)
				it.URL = b.URL[:m[2]] + fmt.Sprint(id+round*1_000_000) + b.URL[m[3]:]
			} else {
				it.URL = strings.TrimRight(b.URL, "/") + fmt.Sprintf("/copy-%d", round)
			}
			it.GUID = it.URL
			it.ExternalID = ""
		}
		it.ContentHash = ""
		out = append(out, it)
	}
	return out
}
