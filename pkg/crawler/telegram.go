package crawler

import (
	"errors"
	"fmt"
	"time"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// document is one page of a source that shows its items' content and pages
// back by itself: a feed, or a Telegram channel's preview.
type document struct {
	feeds.Result // items newest first, and the entries that cannot be items
	// older is the URL of the next older page: a feed's rel="next", a
	// channel's ?before=<id> page; "" at the end.
	older string
	// last is a feed's rel="last" page ("" for a channel).
	last string
}

// parseDocument parses a page of a feed or telegram source served from
// pageURL (after redirects). A telegram page served off /s/ fails with
// scrape.ErrNoPublicPreview: t.me redirected away from the preview.
func parseDocument(src sources.Source, pageURL string, body []byte, fetchedAt time.Time) (document, error) {
	if src.Kind == sources.KindTelegram {
		page, err := scrape.ParseTelegram(src, pageURL, body, fetchedAt)
		if err != nil {
			return document{}, err
		}
		return document{Result: feeds.Result{Items: page.Items, Invalid: page.Invalid}, older: page.Older}, nil
	}
	parsed, err := feeds.ParseAll(src, body, fetchedAt)
	if err != nil {
		return document{Result: parsed}, err
	}
	links := feeds.Paging(body, pageURL)
	return document{Result: parsed, older: links.Next, last: links.Last}, nil
}

// parseReason is the dead-letter reason of a parseDocument error.
func parseReason(src sources.Source, err error) string {
	if src.Kind == sources.KindTelegram {
		return scrape.TelegramReason(err)
	}
	return feeds.Reason(err)
}

// documentError gives a parseDocument error its context: the page, and
// for a channel without a public preview the URL asked for.
func documentError(src sources.Source, requested, served string, err error) error {
	if errors.Is(err, scrape.ErrNoPublicPreview) {
		return fmt.Errorf("source %s: %s: %w", src.ID, requested, err)
	}
	return fmt.Errorf("parse %s: %w", served, err)
}
