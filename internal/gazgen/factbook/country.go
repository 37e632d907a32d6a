package factbook

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Offices as Row.Office names them.
const (
	OfficeChiefOfState     = "chief_of_state"
	OfficeHeadOfGovernment = "head_of_government"
)

// officeKeys maps the Factbook's "Executive branch" keys to offices.
var officeKeys = []struct{ key, office string }{
	{"chief of state", OfficeChiefOfState},
	{"head of government", OfficeHeadOfGovernment},
}

// Country is what one Factbook country file says about its executive.
type Country struct {
	// Name is "Government" -> "Country name" -> "conventional short form"
	// ("Slovakia"), or the long form where the short form is "none"
	// ("Central African Republic"); empty when the file has neither.
	Name string
	// LongName is the conventional long form ("Slovak Republic"); empty
	// when "none".
	LongName string
	// ChiefOfState and HeadOfGovernment are the raw texts of "Government"
	// -> "Executive branch" -> "chief of state" / "head of government".
	ChiefOfState, HeadOfGovernment string
}

// Text returns the raw text of an office (OfficeChiefOfState or
// OfficeHeadOfGovernment).
func (c Country) Text(office string) string {
	switch office {
	case OfficeChiefOfState:
		return c.ChiefOfState
	case OfficeHeadOfGovernment:
		return c.HeadOfGovernment
	}
	return ""
}

// textField is a Factbook leaf: {"text": "..."}; a bare string is accepted too.
type textField struct{ Text string }

func (t *textField) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		t.Text = s
		return nil
	}
	var obj struct {
		Text json.RawMessage `json:"text"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil // another shape (a nested section): no text
	}
	if len(obj.Text) > 0 {
		_ = json.Unmarshal(obj.Text, &t.Text) // a non-string "text" leaves it empty
	}
	return nil
}

// ParseCountry reads one Factbook country file (such as europe/lo.json).
// Missing or oddly shaped sections give empty fields; only malformed JSON
// is an error.
func ParseCountry(data []byte) (Country, error) {
	var f struct {
		Government json.RawMessage `json:"Government"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return Country{}, fmt.Errorf("factbook: parse country file: %w", err)
	}
	var gov map[string]json.RawMessage
	_ = json.Unmarshal(f.Government, &gov) // not an object: no government section
	names, exec := leaves(gov["Country name"]), leaves(gov["Executive branch"])
	c := Country{
		Name:     nonNone(names["conventional short form"]),
		LongName: nonNone(names["conventional long form"]),
	}
	if c.Name == "" {
		c.Name = c.LongName
	}
	for _, k := range officeKeys {
		switch k.office {
		case OfficeChiefOfState:
			c.ChiefOfState = exec[k.key]
		case OfficeHeadOfGovernment:
			c.HeadOfGovernment = exec[k.key]
		}
	}
	return c, nil
}

// leaves decodes a section's {"key": {"text": "..."}} leaves; anything
// else gives no entries.
func leaves(raw json.RawMessage) map[string]string {
	var m map[string]textField
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.Text
	}
	return out
}

// nonNone trims a country-name form, returning "" for "none".
func nonNone(s string) string {
	s = cleanText(s)
	if strings.EqualFold(s, "none") {
		return ""
	}
	return s
}
