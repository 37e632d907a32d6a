// Package ninjs renders a leader-call event as an IPTC ninjs 3.1 news item
// (https://iptc.org/standards/ninjs/) and validates documents against the
// official ninjs 3.1 JSON Schema, which the package carries in schema/.
package ninjs
