// Package webhook delivers leader-call events and their updates to HTTP
// subscribers: JSON POSTs signed as Standard Webhooks specifies
// (HMAC-SHA256 over the delivery id, a timestamp and the body, so a
// captured request can be replayed neither later nor under another id),
// retried with exponential backoff and jitter, and dead-lettered when
// attempts run out. Deliveries follow no redirect and reach no loopback,
// link-local or private address unless the subscriber allows it (package
// outbound). Delivery state (what is owed, what was acknowledged) is kept
// in a Store, so a restart resumes pending deliveries. Delivery is at least
// once: every attempt of a version carries the same webhook-id for
// receivers to deduplicate on.
package webhook
