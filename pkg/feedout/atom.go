package feedout

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/ninjs"
)

// AtomContentType is the media type of the feed.
const AtomContentType = "application/atom+xml; charset=utf-8"

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

// AtomHandler serves the latest events as an Atom 1.0 feed, newest update
// first. It answers conditional requests (If-None-Match) with 304.
func (h *Hub) AtomHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.answered(w, r, "") {
			return
		}
		events := h.Latest(h.opts.FeedSize)
		feed := h.buildFeed(events, selfURL(h.opts.SelfURL, r))
		out, err := xml.MarshalIndent(feed, "", "  ")
		if err != nil {
			http.Error(w, "feed: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", AtomContentType)
		if r.Method == http.MethodHead {
			return
		}
		w.Write([]byte(xml.Header))
		w.Write(out)
	})
}

// answered handles what the snapshot handlers (Atom, JSON Lines) share: only GET
// and HEAD, an ETag that changes with every published event version (tag
// distinguishes the representations), and 304 for a matching If-None-Match.
// It reports whether the response is complete.
func (h *Hub) answered(w http.ResponseWriter, r *http.Request, tag string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return true
	}
	h.mu.Lock()
	etag := `"` + tag + strconv.FormatUint(h.seq, 10) + `"`
	h.mu.Unlock()
	w.Header().Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && match == etag {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// selfURL is the configured public URL of the feed, else the request path:
// a relative reference, never built from the client's Host header.
func selfURL(configured string, r *http.Request) string {
	if configured != "" {
		return configured
	}
	return (&url.URL{Path: r.URL.Path}).String()
}

func atomTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func (h *Hub) buildFeed(events []model.LeaderCall, self string) atomFeed {
	feed := atomFeed{
		ID:     h.opts.FeedID,
		Title:  h.opts.FeedTitle,
		Author: atomPerson{Name: "Readout"},
		Links:  []atomLink{{Rel: "self", Href: self, Type: "application/atom+xml"}},
		Gen:    "Readout",
	}
	var newest time.Time
	for i := range events {
		ev := &events[i]
		updated := entryUpdated(ev)
		if updated.After(newest) {
			newest = updated
		}
		e := atomEntry{
			ID:      ninjs.URIPrefix + url.PathEscape(ev.ID),
			Title:   ninjs.Headline(ev),
			Updated: atomTime(updated),
			Summary: atomText{Type: "text", Body: ninjs.Body(ev)},
		}
		if !ev.FirstReportedAt.IsZero() {
			e.Published = atomTime(ev.FirstReportedAt)
		}
		for _, s := range ev.Sources {
			if s.URL == "" { // a statement known by a GUID that is no URL
				continue
			}
			rel := "related"
			if len(e.Links) == 0 {
				rel = "alternate"
			}
			// The URL as published: the canonical one need not resolve.
			e.Links = append(e.Links, atomLink{Rel: rel, Href: s.URL, Type: "text/html", HrefLang: s.Lang, Title: s.Publisher})
		}
		for _, t := range ev.Topics {
			e.Categories = append(e.Categories, atomCategory{Term: t.ID, Scheme: "urn:readout:topic", Label: t.Label})
		}
		e.Categories = append(e.Categories, atomCategory{Term: ev.Status, Scheme: "urn:readout:status"})
		feed.Entries = append(feed.Entries, e)
	}
	if newest.IsZero() {
		newest = time.Unix(0, 0)
	}
	feed.Updated = atomTime(newest)
	return feed
}

// entryUpdated is the event's last update, falling back to its first report.
func entryUpdated(ev *model.LeaderCall) time.Time {
	for _, t := range []time.Time{ev.UpdatedAt, ev.FirstReportedAt, ev.OccurredAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Unix(0, 0)
}
