// Package plover renders leader-call events as PLOVER event records (JSON),
// for political event-data tools; Format is its Readout output.
//
// PLOVER (Political Language Ontology for Verifiable Event Records, Open Event
// Data Alliance) codes an event as category–mode–context. The mapping:
//
//	LeaderCall field        PLOVER record field
//	----------------------  ------------------------------------------------
//	ID                      id (stable: the event's own id; same id for all versions)
//	Version                 version
//	Status held             event_type "CONSULT", mode "phone"
//	Status announced        not emitted (Format skips it): PLOVER codes events that took place
//	OccurredOn              event_date (YYYY-MM-DD, publisher's zone)
//	Precision               date_precision ("day" or "minute")
//	Participants            actors[]: name, wikidata_id, country (ISO 3166-1 alpha-2), role
//	Initiator               actors[].role "source" for the initiator, "target" for the others;
//	                        without a stated initiator every actor has role "participant"
//	Topics                  context[] (Readout topic ids), topics_iptc[] (IPTC codes)
//	Sources                 source_urls[], publishers[], first_reported_at
//	(headline)              event_text: one English sentence
//	Confidence              confidence
//
// CONSULT is PLOVER's category for meetings and talks, and "phone" its mode
// for consultations held by telephone or video link.
package plover
