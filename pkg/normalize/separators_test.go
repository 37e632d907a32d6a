package normalize_test

import (
	"slices"
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/normalize"
)

// Titles and tags are one line: U+2028 and U+2029 become spaces there.
// Noncharacters (U+FFFF, U+FDD0, U+1FFFE, ...) are removed everywhere, as
// U+FFFE always was; in bodies U+2029 ends a paragraph and U+2028 is a space.
func TestSeparatorsAndNoncharacters(t *testing.T) {
	tests := []struct{ name, title, body, contentType, wantTitle, wantText string }{
		{"plain", "Leaders\u2029call\u2028today\uffff", "One.\u2029Two\u2028three\uffff\ufdd0.", "text/plain",
			"Leaders call today", "One.\n\nTwo three."},
		{"entities", "Leaders&#x2029;call&#xFFFF;", "<p>One&#x2028;two&#xFFFF;&#x1FFFE;</p>", "text/html",
			"Leaders call", "One two"},
		{"html title", "<b>Leaders</b>\u2029call\U0010ffff", "<p>One\ufdef</p>\u2029<p>Two</p>", "text/html",
			"Leaders call", "One\n\nTwo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := normalize.Statement(&model.RawItem{Source: "s", URL: "https://example.org/1", Title: tt.title,
				Body: tt.body, ContentType: tt.contentType, PublishedAt: "2025-01-02T03:04:05Z", FetchedAt: time.Now(),
				Tags: []string{"a\u2029b", "c\uffff"}})
			if err != nil {
				t.Fatal(err)
			}
			if st.Title != tt.wantTitle || st.Text != tt.wantText {
				t.Errorf("title %q, text %q; want %q, %q", st.Title, st.Text, tt.wantTitle, tt.wantText)
			}
			if want := []string{"a b", "c"}; !slices.Equal(st.Tags, want) {
				t.Errorf("tags %q, want %q", st.Tags, want)
			}
		})
	}
	// The hash of a title is that of the one line the statement keeps.
	if normalize.ContentHash("Leaders\u2029call", "x") != normalize.ContentHash("Leaders call", "x") {
		t.Error("ContentHash tells U+2029 from a space in a title")
	}
}
