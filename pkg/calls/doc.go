// Package calls merges the calls reported by individual statements into
// leader-call events: one call, one event, however many statements and
// languages reported it. A Tracker holds the events of one partition of the
// call reports (Keyer.PartitionKey routes every report of a call between two
// leaders to one partition); its state is rebuilt from the compacted
// readout.leader-calls.v1 topic, so a restarted or rescaled processor gives
// the same answers.
package calls
