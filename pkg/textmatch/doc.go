// Package textmatch folds and tokenizes English and Russian text and finds
// multi-word phrases in it, where a word may be a stem ("путин*" matches
// "Путиным"). It is the matching engine behind the gazetteer and the extractor.
package textmatch
