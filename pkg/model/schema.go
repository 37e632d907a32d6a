package model

import "embed"

// Schemas holds the JSON Schemas of the topic contract: raw.v1.json,
// statement.v1.json, leader-call.v1.json and dead-letter.v1.json, and of the
// processor's internal topics, prepared.v1.json and call-report.v1.json.
// They refer to each other by file name.
//
//go:embed schema/*.json
var Schemas embed.FS
