// Package extract finds telephone calls between leaders in normalized
// statements (Russian and English): who spoke with whom, whether the call was
// held or announced, when, who initiated it and what it was about.
package extract
