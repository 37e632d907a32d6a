// Package model defines the messages that flow through Readout, once each:
// the raw item (readout.raw.v1), the normalized statement (readout.statements.v1),
// the leader-call event (readout.leader-calls.v1) and the dead letter (readout.dlq.v1),
// and the processor's internal records: the prepared statement
// (readout.prepared.v1) and the call report (readout.call-reports.v1).
// The JSON Schemas beside this file (schema/*.json) document the same contract.
package model
