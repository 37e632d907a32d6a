package normalize

import "strings"

// Kremlin page trailers as they appear in flattened page text: the material
// status block ("Статус материала … Ссылка на материал: kremlin.ru/d/N
// Текстовая версия") and, before it, the tag blocks ("География … Темы …
// Лица …") and "Смотрите также" links. English pages use the same layout.
var kremlinTrailers = []struct{ start, confirm1, confirm2 string }{
	{"Статус материала", "Ссылка на материал", "Текстовая версия"},
	{"Publication status", "Direct link", "Text version"},
}

var kremlinTagHeadings = []string{
	"География", "Темы", "Лица", "Смотрите также",
	"Geography", "Topics", "Persons", "See also",
}

// stripKremlinTrailer drops the status trailer and the tag blocks before it
// from cleaned text. Text without the trailer is returned unchanged.
func stripKremlinTrailer(t string) string {
	cut := -1
	for _, tr := range kremlinTrailers {
		if !strings.Contains(t, tr.start) { // Contains is much faster than LastIndex on a miss
			continue
		}
		i := strings.LastIndex(t, tr.start)
		rest := t[i:]
		if strings.Contains(rest, tr.confirm1) || strings.Contains(rest, tr.confirm2) {
			cut = i
			break
		}
	}
	if cut < 0 {
		return t
	}
	t = strings.TrimSpace(t[:cut])
	// The tag blocks are the tail after the last sentence end.
	end := strings.LastIndexAny(t, ".!?\"")
	tail := t[end+1:]
	first := -1
	for _, h := range kremlinTagHeadings {
		for off := 0; off < len(tail); {
			j := strings.Index(tail[off:], h)
			if j < 0 {
				break
			}
			j += off
			before := j == 0 || tail[j-1] == ' ' || tail[j-1] == '\n'
			after := j+len(h) == len(tail) || tail[j+len(h)] == ' ' || tail[j+len(h)] == '\n'
			if before && after {
				if first < 0 || j < first {
					first = j
				}
				break
			}
			off = j + len(h)
		}
	}
	if first >= 0 {
		t = strings.TrimSpace(t[:end+1+first])
	}
	return t
}
