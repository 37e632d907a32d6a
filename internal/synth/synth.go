// Package synth makes large streams of raw items from real captured ones, for
// benchmarks and load tests: each copy gets a new item id, URL and date, and
// keeps the real title and text. Stream adds what production adds: Kafka
// redeliveries, edits, the other language's copy of Kremlin items, bad input.
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
// k×7 days earlier (whole weeks, so weekday words stay right, and into the
// past, where the processor accepts them) and gets a distinct URL and guid;
// Kremlin-style numeric ids are shifted so the ru/en copies of one item stay
// linked.
func Generate(base []model.RawItem, n int) []model.RawItem {
	out := make([]model.RawItem, 0, n)
	for i := 0; i < n; i++ {
		b := base[i%len(base)]
		round := i / len(base)
		it := b
		it.Tags = append([]string(nil), b.Tags...)
		if round > 0 {
			shift := -time.Duration(round) * 7 * 24 * time.Hour
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

// Mix says how often Stream adds each kind of line, per 1000 items.
type Mix struct {
	Redeliveries int // an earlier item again, byte for byte (Kafka at-least-once)
	Edits        int // an earlier item with an edited body: a new version
	Translations int // a Kremlin item again from the other language's site: the same material id
	BadLines     int // malformed JSON, invalid UTF-8, an item without a body
}

// DefaultMix is a stream somewhat worse than production's.
var DefaultMix = Mix{Redeliveries: 50, Edits: 10, Translations: 30, BadLines: 5}

// Stream returns n JSONL lines (readout.raw.v1 values): the items of
// Generate, with redeliveries, edits, translations and bad lines mixed in
// at the rates of mix, at deterministic positions.
func Stream(base []model.RawItem, n int, mix Mix) ([][]byte, error) {
	items := Generate(base, n)
	out := make([][]byte, 0, n)
	var prev [][]byte // encoded items, for redeliveries
	bad := [][]byte{
		[]byte(`{"source": "kremlin-en", "title": "Telephone conversation`),
		[]byte("{\"source\": \"x\", \"url\": \"https://example.org/\xff\", \"title\": \"t\", \"body\": \"b\"}"),
		[]byte(`{"source": "whitehouse", "url": "https://whitehouse.gov/briefing-room/x", "title": "", "body": ""}`),
		[]byte(`[1, 2, 3]`),
	}
	for i := 0; len(out) < n; i++ {
		it := items[i%len(items)]
		b, err := json.Marshal(it)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
		prev = append(prev, b)
		k := i % 1000
		switch {
		case k < mix.BadLines:
			out = append(out, bad[i%len(bad)])
		case k < mix.BadLines+mix.Redeliveries && len(prev) > 10:
			out = append(out, prev[len(prev)-1-i%10])
		case k < mix.BadLines+mix.Redeliveries+mix.Edits:
			ed := it
			ed.Body += "\n\n(Updated.)"
			if b, err = json.Marshal(ed); err != nil {
				return nil, err
			}
			out = append(out, b)
		case k < mix.BadLines+mix.Redeliveries+mix.Edits+mix.Translations:
			if tr, ok := otherLanguage(it); ok {
				if b, err = json.Marshal(tr); err != nil {
					return nil, err
				}
				out = append(out, b)
			}
		}
	}
	return out[:n], nil
}

// otherLanguage is a Kremlin item as the other language's site carries it
// (same material id, other host); ok is false for other publishers.
func otherLanguage(it model.RawItem) (model.RawItem, bool) {
	switch {
	case strings.Contains(it.URL, "//en.kremlin.ru/"):
		it.URL = strings.Replace(it.URL, "//en.kremlin.ru/", "//kremlin.ru/", 1)
		it.Source, it.Lang = "kremlin-ru", "ru"
	case strings.Contains(it.URL, "//kremlin.ru/"):
		it.URL = strings.Replace(it.URL, "//kremlin.ru/", "//en.kremlin.ru/", 1)
		it.Source, it.Lang = "kremlin-en", "en"
	default:
		return it, false
	}
	it.GUID = it.URL
	return it, true
}
