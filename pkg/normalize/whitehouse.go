package normalize

import (
	"strings"
	"time"
)

// White House page chrome as scrapers flatten it into the text: the section
// label, the title and "The White House" with the date glued together
// ("Briefings & StatementsPresidential Message on …The White HouseJuly 28,
// 2026"), often repeated, then the label and the date line on their own.

var whiteHouseSections = []string{
	"Briefings & Statements", "Office of the First Lady", "Presidential Actions", "Fact Sheets",
	"Remarks", "Releases", "Articles", "Presidential Messages", "Nominations & Appointments",
	"Executive Orders", "Proclamations", "Memoranda", "Briefing Room", "Statements and Releases",
	"Speeches and Remarks", "Press Briefings", "Research", "Presidential Memoranda",
}

// stripWhiteHouseChrome drops the leading chrome paragraphs from cleaned text.
func stripWhiteHouseChrome(t string) string {
	for t != "" {
		p, rest, _ := strings.Cut(t, "\n\n")
		if !isWhiteHouseChrome(p) {
			break
		}
		t = rest
	}
	return t
}

func isWhiteHouseChrome(p string) bool {
	if len(p) <= 40 {
		for _, s := range whiteHouseSections {
			if strings.EqualFold(p, s) {
				return true
			}
		}
	}
	// "…The White HouseAugust 4, 2026": the paragraph ends with the site name and a date.
	const site = "The White House"
	if len(p) > 700 {
		return false
	}
	i := strings.LastIndex(p, site)
	if i < 0 {
		return false
	}
	_, err := time.Parse("January 2, 2006", strings.TrimPrefix(p[i+len(site):], " "))
	return err == nil
}
