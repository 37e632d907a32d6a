// Package calls merges the calls reported by individual statements into
// leader-call events: one call, one event, however many statements and
// languages reported it. A Tracker holds the events of one partition of the
// call reports (Keyer.PartitionKey routes every report of a call between two
// leaders to one partition); its state is rebuilt from the compacted
// readout.leader-calls.v1 topic, which holds each event whole, with the
// merge keys of its reports, so a restarted or rescaled processor gives the
// same answers. Events whose calls are past the retention are evicted into
// an index, bounded in size, where later reports still find them whole.
package calls
