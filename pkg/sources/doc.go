// Package sources loads the crawler's source list from YAML: one entry per
// feed or HTML listing, validated, so that adding a source needs no code.
package sources
