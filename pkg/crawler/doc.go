// Package crawler polls the configured sources on a jittered schedule, turns
// new and edited items into raw items, publishes them to a Sink and advances
// each source's seen-state only after the Sink acknowledged them.
package crawler
