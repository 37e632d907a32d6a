// Package factbook extracts heads of state and government from the CIA World
// Factbook as published in JSON, with its git history, by the public GitHub
// repository factbook/factbook.json (the World Factbook is in the public
// domain; the repository dedicates its data to the public domain as well).
//
// Each country file of that repository (for example europe/lo.json) has
// "Government" -> "Executive branch" -> "chief of state" and
// "head of government" texts such as
//
//	President Peter PELLEGRINI (since 15 June 2024)
//	Prime Minister Robert FICO (since 25 October 2023); Deputy Prime Ministers Robert KALINAK, ...
//	King CHARLES III (since 8 September 2022); represented by Governor General Mary SIMON (since 26 July 2021)
//
// ParseHolders reads one such text into the people it names (title, name in
// normal case, "since" date, acting and deputy flags). Walk runs the git CLI
// over the repository's history and turns every version of every country file
// into one Row per (country, office, person, since date) with the first and
// last commit that named the person. WriteCSV writes the rows as a CSV table.
//
// The parser is a heuristic for the Factbook's house style (surnames in
// capitals, "(since D Month YYYY)", "; note - ..." remarks); texts that do
// not follow it (prose, vacancies) yield no holder or fewer holders.
package factbook
