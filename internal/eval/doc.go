// Package eval scores leader-call extraction against the labelled development
// set in testdata/eval: call detection, participants, dates, topics and
// deduplication, with every miss listed.
package eval
