package ninjs

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema/*.json
var schemaFS embed.FS

// Schema locations: the $id of the ninjs schema and the URL of the GeoJSON
// schema it references (served from the embedded stand-in, never fetched).
const (
	schemaURL  = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
	geoJSONURL = "https://geojson.org/schema/GeoJSON.json"
)

// compiled is the ninjs 3.1 schema, compiled once; it is immutable after that.
var compiled = sync.OnceValues(compileSchema)

func compileSchema() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for file, loc := range map[string]string{
		"schema/ninjs-schema_3.1.json": schemaURL,
		"schema/geojson-stub.json":     geoJSONURL,
	} {
		raw, err := schemaFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("ninjs: read %s: %w", file, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("ninjs: parse %s: %w", file, err)
		}
		if err := c.AddResource(loc, doc); err != nil {
			return nil, fmt.Errorf("ninjs: add %s: %w", file, err)
		}
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("ninjs: compile schema: %w", err)
	}
	return sch, nil
}

// Validate checks doc against the IPTC ninjs 3.1 JSON Schema (formats asserted).
// A violation is reported as ErrInvalid, wrapped with the validator's detail.
func Validate(doc []byte) error {
	sch, err := compiled()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("%w: not JSON: %v", ErrInvalid, err)
	}
	if err := sch.Validate(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}
