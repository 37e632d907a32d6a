// Package gazetteer knows heads of state and government and leaders of
// international organisations: Wikidata ids, English and Russian names and
// inflected forms, offices with their terms. The data file is embedded.
package gazetteer
