// Package feedout serves leader-call events to readers over HTTP: the latest
// events as an Atom 1.0 feed and as PLOVER JSON Lines, and every event and
// update as a Server-Sent Events stream that resumes from Last-Event-ID.
package feedout
