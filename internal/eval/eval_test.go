package eval

import "testing"

// TestScoreAnnounced checks the announced field: an announcement found, one
// missed, one invented, and a held call's report announcing the next call
// (not counted against it).
func TestScoreAnnounced(t *testing.T) {
	labels := map[string]Label{
		"a": {ID: "a", Status: "announced"},
		"b": {ID: "b", Status: "announced"},
		"c": {ID: "c"},
		"d": {ID: "d", IsCall: true, Status: "held", Participants: []string{"Q1", "Q2"}, Date: "2024-01-02"},
	}
	preds := map[string]Prediction{
		"a": {Announced: true},
		"c": {Announced: true},
		"d": {IsCall: true, Announced: true, Participants: []string{"Q1", "Q2"}, Date: "2024-01-02"},
	}
	r := Score(labels, preds)
	a := r.Fields["announced"]
	if a.TP != 1 || a.FN != 1 || a.FP != 1 {
		t.Fatalf("announced TP/FP/FN = %d/%d/%d, want 1/1/1; misses %v", a.TP, a.FP, a.FN, r.Misses)
	}
	if c := r.Fields["call"]; c.TP != 1 || c.FP != 0 || c.FN != 0 {
		t.Fatalf("call TP/FP/FN = %d/%d/%d, want 1/0/0", c.TP, c.FP, c.FN)
	}
}

// TestNameLabels: a party without an id matches a "name:" label by surname,
// in either script, and a full Spanish-style name by its father's surname;
// another surname does not match; a party with an id, by its full name.
func TestNameLabels(t *testing.T) {
	for _, tt := range []struct {
		pred, label string
		match       bool
	}{
		{"name:Eduard Heger", "name:Eduard Heger", true},
		{"name:Эдуард Хегер", "name:Eduard Heger", true},
		{"name:Gustavo Francisco Petro Urrego", "name:Gustavo Petro", true},
		{"name:Daniel Noboa Azin", "name:Daniel Noboa", true},
		{"name:Daniel Noboa Azin", "name:Daniel Azin", true},
		{"name:Bernardo Arévalo de León", "name:Bernardo Arévalo", true},
		{"name:Ivan Duque Marquez Zapata", "name:Gustavo Petro", false},
		{"name:Santiago Peña Palacios", "name:Daniel Noboa", false},
		{"name:Ivan Duque", "name:Gustavo Petro", false},
		{"Q123", "name:Gustavo Petro", false},
		// An id matches a "name:" label written before the data had it, by the
		// person's full English name only.
		{"Q57311", "name:Juan Manuel Santos", true},
		{"Q57311", "name:Santos", false},
		{"Q1", "name:Juan Manuel Santos", false},
	} {
		names := map[string]string{"Q57311": "Juan Manuel Santos", "Q1": "Someone Else"}
		got := nameAsLabelled(tt.pred, []string{tt.label}, names) == tt.label
		if got != tt.match {
			t.Errorf("%s against %s: match %v, want %v", tt.pred, tt.label, got, tt.match)
		}
	}
}
