package model

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// RawItem is one fetched version of one item of a source, as published: the value
// of readout.raw.v1. Nothing here is normalized; PublishedAt keeps the source's offset.
type RawItem struct {
	Source      string    `json:"source"`                // configured source id, e.g. "kremlin-en-news"
	Publisher   string    `json:"publisher"`             // e.g. "kremlin.ru", "whitehouse.gov"
	URL         string    `json:"url"`                   // item URL as published
	GUID        string    `json:"guid"`                  // feed guid/id; may equal URL
	ExternalID  string    `json:"external_id,omitempty"` // publisher's own id (Kremlin numeric id, shared by ru/en)
	Lang        string    `json:"lang"`                  // declared by the source config or feed; may be empty
	Title       string    `json:"title"`
	PublishedAt string    `json:"published_at"`           // RFC 3339 with the source's offset, as published
	UpdatedAt   string    `json:"updated_at,omitempty"`   // RFC 3339, as published
	FetchedAt   time.Time `json:"fetched_at"`             // when the crawler fetched it (UTC)
	ContentType string    `json:"content_type"`           // "text/html" or "text/plain"
	Body        string    `json:"body"`                   // HTML or text as fetched
	Summary     string    `json:"summary,omitempty"`      // feed summary/lead, if distinct from body
	Tags        []string  `json:"tags"`                   // categories/topics/persons the source attached
	Persons     []string  `json:"persons,omitempty"`      // persons the page lists (Kremlin "Persons")
	Topics      []string  `json:"topics,omitempty"`       // topics the page lists (Kremlin "Topics"); also in Tags
	ContentHash string    `json:"content_hash,omitempty"` // sha256 of title+body as fetched (see Hash)
}

// Key is the stable item key: source id and guid, or the URL when there is no guid.
func (r *RawItem) Key() string {
	id := r.GUID
	if id == "" {
		id = r.URL
	}
	return r.Source + "|" + id
}

// Hash returns the content hash of the item as fetched: it changes when the
// publisher edits the title, body or publication time.
func (r *RawItem) Hash() string {
	h := sha256.New()
	for _, s := range []string{r.Title, "\x00", r.PublishedAt, "\x00", r.Body} {
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate reports the first reason the item cannot be processed, or "".
func (r *RawItem) Validate() string {
	switch {
	case strings.TrimSpace(r.Source) == "":
		return "missing source"
	case strings.TrimSpace(r.URL) == "" && strings.TrimSpace(r.GUID) == "":
		return "missing url and guid"
	case strings.TrimSpace(r.Title) == "" && strings.TrimSpace(r.Body) == "":
		return "empty title and body"
	}
	return ""
}
