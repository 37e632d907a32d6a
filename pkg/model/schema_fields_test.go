package model_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/readout/readout/pkg/model"
)

// TestSchemasDocumentEveryField: every field a message type writes is a
// property of its schema, so a field added to a type without its contract
// (as date_basis nearly was) fails here. Validation alone does not catch
// it: the schemas allow properties they do not name.
func TestSchemasDocumentEveryField(t *testing.T) {
	for _, c := range []struct {
		file string
		path []string // to the object whose "properties" document the type
		typ  any
	}{
		{"leader-call.v1.json", nil, model.LeaderCall{}},
		{"leader-call.v1.json", []string{"$defs", "source"}, model.SourceRef{}},
		{"leader-call.v1.json", []string{"properties", "participants", "items"}, model.Participant{}},
		{"leader-call.v1.json", []string{"properties", "topics", "items"}, model.Topic{}},
		{"leader-call.v1.json", []string{"properties", "evidence", "items"}, model.Evidence{}},
		{"call-report.v1.json", nil, model.CallReport{}},
		{"statement.v1.json", []string{"$defs", "statement"}, model.Statement{}},
		{"raw.v1.json", nil, model.RawItem{}},
		{"dead-letter.v1.json", nil, model.DeadLetter{}},
		{"prepared.v1.json", nil, model.PreparedStatement{}},
	} {
		b, err := model.Schemas.ReadFile("schema/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		var node map[string]any
		if err := json.Unmarshal(b, &node); err != nil {
			t.Fatal(err)
		}
		for _, p := range c.path {
			next, ok := node[p].(map[string]any)
			if !ok {
				t.Fatalf("%s: no %s", c.file, strings.Join(c.path, "/"))
			}
			node = next
		}
		props, _ := node["properties"].(map[string]any)
		typ := reflect.TypeOf(c.typ)
		var missing []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if _, ok := props[name]; !ok {
				missing = append(missing, name)
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			t.Errorf("%s %s: %s writes %v, which the schema does not document", c.file, strings.Join(c.path, "/"), typ.Name(), missing)
		}
	}
}
