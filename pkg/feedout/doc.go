// Package feedout serves leader-call events to readers over HTTP: the latest
// events as an Atom 1.0 feed and as JSON Lines of an output format (PLOVER),
// and every event and update as a Server-Sent Events stream that resumes
// from Last-Event-ID. The stream's clients read one bounded replay buffer at
// their own pace; a gap (an expired Last-Event-ID, a client further behind
// than the buffer) is announced with a reset event, never passed over in
// silence.
package feedout
