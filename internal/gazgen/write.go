package gazgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/readout/readout/pkg/gazetteer"
)

// WriteJSON writes the data as JSON with one entry per line, so that a
// change to one person is a one-line diff.
func WriteJSON(w io.Writer, f *gazetteer.File) error {
	bw := bufio.NewWriter(w)
	section := func(name string, n int, item func(int) any, last bool) error {
		bw.WriteString("\"" + name + "\": [\n")
		for i := 0; i < n; i++ {
			b, err := marshal(item(i))
			if err != nil {
				return err
			}
			bw.Write(b)
			if i < n-1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("]")
		if !last {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		return nil
	}
	bw.WriteString("{\n")
	if err := section("offices", len(f.Offices), func(i int) any { return f.Offices[i] }, false); err != nil {
		return err
	}
	if err := section("countries", len(f.Countries), func(i int) any { return f.Countries[i] }, false); err != nil {
		return err
	}
	if err := section("people", len(f.People), func(i int) any { return f.People[i] }, true); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
