package gazgen

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Input files in the data directory.
const (
	FileOfficeholders = "officeholders-2000-2022.csv"
	FileWorldLeaders  = "world-leaders-2021-2022.csv"
	FileFactbook      = "factbook-holders.csv"
	FileOverrides     = "overrides.yaml"
)

// Generate builds the data from the tables in dir and returns it as written
// to pkg/gazetteer/leaders.json. The Factbook table is optional.
func Generate(dir string) ([]byte, Report, error) {
	read := func(name string, optional bool) (*bytes.Reader, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if optional && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(b), nil
	}
	var in Inputs
	var err error
	oh, err := read(FileOfficeholders, false)
	if err != nil {
		return nil, Report{}, err
	}
	wl, err := read(FileWorldLeaders, false)
	if err != nil {
		return nil, Report{}, err
	}
	fb, err := read(FileFactbook, true)
	if err != nil {
		return nil, Report{}, err
	}
	ov, err := read(FileOverrides, false)
	if err != nil {
		return nil, Report{}, err
	}
	in.Officeholders, in.WorldLeaders, in.Overrides = oh, wl, ov
	if fb != nil {
		in.Factbook = fb
	}
	f, rep, err := Build(in)
	if err != nil {
		return nil, rep, err
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, f); err != nil {
		return nil, rep, err
	}
	return buf.Bytes(), rep, nil
}
