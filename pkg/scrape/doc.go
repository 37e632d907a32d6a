// Package scrape reads HTML pages with CSS selectors (goquery): a listing page
// gives item links and times, an article page gives title, time, lead, body,
// tags and persons. Selectors come from the source config; Kremlin's are built in.
package scrape
