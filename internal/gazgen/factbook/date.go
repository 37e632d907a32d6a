package factbook

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const monthNames = `(January|February|March|April|May|June|July|August|September|October|November|December|` +
	`Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`

// dateRe matches a date in the Factbook's forms, with the precision given:
// "15 June 2024", "June 15, 2024", "June 2024", "2024".
var dateRe = regexp.MustCompile(`(?i)\b(\d{1,2})\s+` + monthNames + `,?\s+(\d{4})\b` +
	`|\b` + monthNames + `\s+(\d{1,2}),\s*(\d{4})\b` +
	`|\b` + monthNames + `,?\s+(\d{4})\b` +
	`|\b(1[89]\d\d|20\d\d)\b`)

// sinceKeyword matches the words after which a parenthesis gives the start
// of the term ("since", "sworn in", "for the period", ...).
var sinceKeyword = regexp.MustCompile(`(?i)\b(?:since|from|appointed|reappointed|inaugurated|sworn in|` +
	`assumed office|assumes office|took office|in office|period|effective)\b`)

var monthNumber = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

// findDate returns the first date in s as YYYY-MM-DD, YYYY-MM or YYYY (the
// precision s gives) and the offset of its match.
func findDate(s string) (date string, at int, ok bool) {
	for _, m := range dateRe.FindAllStringSubmatchIndex(s, -1) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		var d string
		switch {
		case g(1) != "":
			d = ymd(g(3), g(2), g(1))
		case g(4) != "":
			d = ymd(g(6), g(4), g(5))
		case g(7) != "":
			d = ymd(g(8), g(7), "")
		default:
			d = g(9)
		}
		if d != "" {
			return d, m[0], true
		}
	}
	return "", 0, false
}

// ymd formats a year, month name and optional day; empty when invalid.
func ymd(year, month, day string) string {
	mo := monthNumber[strings.ToLower(month)[:3]]
	if mo == 0 {
		return ""
	}
	if day == "" {
		return fmt.Sprintf("%s-%02d", year, mo)
	}
	d, err := strconv.Atoi(day)
	if err != nil || d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%s-%02d-%02d", year, mo, d)
}

// sinceDate returns the start date a parenthesis gives: a date it starts
// with ("(13 January 2020)") or the first date after a keyword such as
// "since" ("(chairman since 16 March 2024; ...)"). Dates of birth and the
// like give none.
func sinceDate(inner string) (string, bool) {
	inner = strings.TrimLeft(strings.TrimSpace(inner), "( ")
	if d, at, ok := findDate(inner); ok && at == 0 {
		return d, true
	}
	loc := sinceKeyword.FindStringIndex(inner)
	if loc == nil {
		return "", false
	}
	if d, _, ok := findDate(inner[loc[1]:]); ok {
		return d, true
	}
	return "", false
}
