// Package webhook delivers leader-call events and their updates to HTTP
// subscribers: JSON POSTs signed with HMAC-SHA256 over a timestamp and the
// body (so a captured request cannot be replayed), retried with exponential
// backoff and jitter, and dead-lettered when attempts run out. Delivery
// state (what is owed, what was acknowledged) is kept in a Store, so a
// restart resumes pending deliveries. Delivery is at least once: every
// request carries an idempotency key (X-Readout-Delivery) for receivers to
// deduplicate on.
package webhook
