package model

import "embed"

// Schemas holds the JSON Schemas of the topic contract: raw.v1.json,
// statement.v1.json, leader-call.v1.json and dead-letter.v1.json.
//
//go:embed schema/*.json
var Schemas embed.FS
