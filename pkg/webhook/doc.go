// Package webhook delivers leader-call events and their updates to HTTP
// subscribers: signed JSON POSTs (HMAC-SHA256), retried with exponential
// backoff and jitter, dead-lettered when attempts run out, with delivery
// state kept in a Store so that a restart resumes pending deliveries and
// never re-sends a version a subscriber already acknowledged.
package webhook
