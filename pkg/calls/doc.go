// Package calls merges the calls reported by individual statements into
// leader-call events: one call, one event, however many statements and
// languages reported it. Its state is rebuilt from the compacted
// readout.leader-calls.v1 topic, so a restarted processor gives the same answers.
package calls
