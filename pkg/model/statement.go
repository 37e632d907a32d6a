package model

import "time"

// Statement is a normalized official statement: the value of readout.statements.v1,
// key = ID. Versions of one statement share ID; Version grows with each edit.
type Statement struct {
	ID        string `json:"id"`       // stable: publisher + external id, or CanonicalURL
	ItemKey   string `json:"item_key"` // RawItem.Key of the item it came from
	Version   int    `json:"version"`  // 1 for the first content seen, +1 per edit
	Source    string `json:"source"`
	Publisher string `json:"publisher"`
	URL       string `json:"url"` // as published (the item's URL, else its GUID when that is one): cite this one
	// CanonicalURL is the canonical form of URL (normalize.CanonicalURL: https,
	// no "www.", archive hosts mapped to the host they archive), which ids and
	// matching use; it need not resolve. Without a URL, the item's GUID.
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Lang         string    `json:"lang"` // detected ("ru", "en", ...), falls back to declared
	DeclaredLang string    `json:"declared_lang,omitempty"`
	Title        string    `json:"title"`
	Text         string    `json:"text"`         // clean text, paragraphs separated by "\n\n"
	PublishedAt  time.Time `json:"published_at"` // UTC, corrected for known source quirks
	FetchedAt    time.Time `json:"fetched_at"`   // UTC
	ContentHash  string    `json:"content_hash"` // sha256 of normalized title + text
	// TranslationKey links the language versions of one item: the same value on
	// kremlin.ru and en.kremlin.ru (e.g. "kremlin.ru/d/56626"). Empty when unknown.
	TranslationKey string   `json:"translation_key,omitempty"`
	Tags           []string `json:"tags"`
	// PriorHashes are the content hashes of the versions before this one,
	// newest first, at most MaxPriorHashes: a redelivered older version (A, B,
	// then A again) is recognised as a redelivery, not a new edit.
	PriorHashes []string `json:"prior_hashes,omitempty"`
}

// MaxPriorHashes bounds Statement.PriorHashes.
const MaxPriorHashes = 4
