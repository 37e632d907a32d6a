// Package feeds turns fetched RSS, Atom or JSON Feed bytes into raw items,
// as published: no normalization, times keep the publisher's offset.
package feeds
