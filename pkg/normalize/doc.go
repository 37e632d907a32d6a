// Package normalize turns raw items as fetched into clean, comparable
// statements: text cleaning (HTML to text, Unicode, quotes, dashes, spaces),
// language detection, publication times in UTC with publisher quirks
// corrected, canonical URLs, content hashes and the Statement builder.
//
// Everything here is pure and safe for concurrent use: no I/O, no global
// mutable state. Time zones come from the embedded tz database (time/tzdata),
// so the package works in scratch images.
package normalize
