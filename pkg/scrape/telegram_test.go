package scrape

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/sources"
)

func telegramSource(t testing.TB, url string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte("sources:\n  - {id: tg-mfa-example, kind: telegram, url: '" + url + "', lang: en, publisher: mfa.example}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

var fetchedAt = time.Date(2026, 9, 20, 17, 0, 0, 0, time.UTC)

func TestTelegramPage(t *testing.T) {
	src := telegramSource(t, "https://t.me/s/mfa_example")
	page, err := ParseTelegram(src, "https://t.me/s/mfa_example", read(t, "telegram-mfa_example-page.html"), fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	var guids []string
	for _, it := range page.Items {
		guids = append(guids, it.GUID)
	}
	// Newest first; 1002 is a service post, 1009 a photo without caption.
	want := []string{"mfa_example/1010", "mfa_example/1008", "mfa_example/1007", "mfa_example/1006", "mfa_example/1003", "mfa_example/1001"}
	if !slices.Equal(guids, want) {
		t.Fatalf("guids = %v, want %v", guids, want)
	}
	if page.Service != 1 || page.NoText != 1 || len(page.Invalid) != 0 {
		t.Errorf("service %d, no text %d, invalid %d", page.Service, page.NoText, len(page.Invalid))
	}
	if page.Older != "https://t.me/s/mfa_example?before=1001" {
		t.Errorf("older = %q", page.Older)
	}
	byID := map[string]int{}
	for i, it := range page.Items {
		byID[strings.TrimPrefix(it.GUID, "mfa_example/")] = i
		if it.Source != "tg-mfa-example" || it.Publisher != "mfa.example" || it.Lang != "en" || it.ContentType != "text/plain" ||
			it.URL != "https://t.me/"+it.GUID || it.ExternalID != it.GUID || it.ContentHash != it.Hash() || it.Validate() != "" ||
			!it.FetchedAt.Equal(fetchedAt) || it.Tags == nil {
			t.Errorf("item %s = %+v", it.GUID, it)
		}
	}

	first := page.Items[byID["1001"]]
	if first.PublishedAt != "2026-09-20T06:12:41+00:00" {
		t.Errorf("1001 published %q", first.PublishedAt)
	}
	wantText := "📞 Telephone conversation of the Foreign Minister with the Foreign Minister of Examplestan\n\n" +
		"The ministers discussed the preparation of the upcoming visit and bilateral cooperation.\n" +
		"The conversation took place at the initiative of the Examplestani side."
	if first.Body != wantText {
		t.Errorf("1001 body = %q", first.Body)
	}
	if first.Title != "📞 Telephone conversation of the Foreign Minister with the Foreign Minister of Examplestan" || len(first.Tags) != 0 {
		t.Errorf("1001 title %q, tags %v", first.Title, first.Tags)
	}

	album := page.Items[byID["1003"]]
	if album.Body != "Министр иностранных дел провёл переговоры с Министром иностранных дел Экзампланда.\n\nСтороны обменялись мнениями по региональной повестке." ||
		album.Title != "Министр иностранных дел провёл переговоры с Министром иностранных дел Экзампланда." {
		t.Errorf("album = %q / %q", album.Title, album.Body)
	}

	fwd := page.Items[byID["1006"]]
	if !slices.Equal(fwd.Tags, []string{TagForwarded, TagForwardedFrom + "Embassy of Example in Examplestan"}) ||
		fwd.Body != "The Ambassador presented copies of credentials." {
		t.Errorf("forwarded = %v %q", fwd.Tags, fwd.Body)
	}

	reply := page.Items[byID["1007"]]
	if !slices.Equal(reply.Tags, []string{TagReply, TagReplyTo + "mfa_example/1001"}) ||
		reply.Body != "Readout of the conversation: mfa.example/en/news/4712" {
		t.Errorf("reply = %v %q (the quoted post is not its text)", reply.Tags, reply.Body)
	}

	edited := page.Items[byID["1008"]]
	if !slices.Equal(edited.Tags, []string{TagEdited}) {
		t.Errorf("edited tags = %v", edited.Tags)
	}

	long := page.Items[byID["1010"]]
	if long.Title != "Briefing by the Official Spokesperson on current foreign policy issues, including the outcomes of…" ||
		!strings.HasSuffix(long.Body, "\nFull text on the website.") || strings.Contains(long.Body, "Preview text") {
		t.Errorf("long = %q / %q", long.Title, long.Body)
	}
	if n := len([]rune(strings.TrimSuffix(long.Title, "…"))); n > TelegramTitleRunes {
		t.Errorf("title of %d runes", n)
	}
}

func TestTelegramOlderPages(t *testing.T) {
	src := telegramSource(t, "https://t.me/s/mfa_example")
	page, err := ParseTelegram(src, "https://t.me/s/mfa_example?before=1001", read(t, "telegram-mfa_example-page-before-1001.html"), fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if page.Older != "" || len(page.Items) != 3 || page.Items[0].GUID != "mfa_example/1000" || page.Service != 1 {
		t.Errorf("start of the channel: older %q, %d items, service %d", page.Older, len(page.Items), page.Service)
	}

	for _, tt := range []struct{ name, body, pageURL, want string }{
		{"more link", `<section class="tgme_channel_history"><div><a href="/s/mfa_example?before=77" class="tme_messages_more js-messages_more" data-before="77"></a></div></section>`,
			"https://t.me/s/mfa_example", "https://t.me/s/mfa_example?before=77"},
		{"data-before only", `<a class="tme_messages_more" data-before="77"></a>`, "https://t.me/s/mfa_example?before=120", "https://t.me/s/mfa_example?before=77"},
		{"rel prev", `<html><head><link rel="canonical" href="https://t.me/s/mfa_example"><link rel="prev" href="/s/mfa_example?before=77"></head></html>`,
			"https://t.me/s/mfa_example", "https://t.me/s/mfa_example?before=77"},
		{"after is forward", `<a href="/s/mfa_example?after=77" class="tme_messages_more" data-after="77"></a><link rel="next" href="/s/mfa_example?after=77">`,
			"https://t.me/s/mfa_example?before=50", ""},
		{"not http", `<a href="javascript:load()" class="tme_messages_more" data-before="77"></a>`, "https://t.me/s/mfa_example", "https://t.me/s/mfa_example?before=77"},
	} {
		if got := TelegramOlderPage(tt.pageURL, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: older = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTelegramPostDetails(t *testing.T) {
	src := telegramSource(t, "https://t.me/s/mfa_example")
	wrap := func(post, inner string) string {
		return `<section class="tgme_channel_history"><div class="tgme_widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="` +
			post + `"><div class="tgme_widget_message_bubble">` + inner + `</div></div></div></section>`
	}
	page, err := ParseTelegram(src, "https://t.me/s/mfa_example", []byte(
		wrap("mfa_example/5", `<div class="tgme_widget_message_text">Kyiv time<br>line two</div>`+
			`<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/mfa_example/5"><time datetime="2026-09-20T09:12:41+03:00">09:12</time></a></span>`)+
			wrap("mfa_example/6", `<div class="tgme_widget_message_text">No time shown</div><span class="tgme_widget_message_meta"><span class="tgme_widget_message_edited">edited</span></span>`)+
			wrap("mfa_example", `<div class="tgme_widget_message_text">no id</div>`)+
			wrap("mfa_example/7", `<div class="tgme_widget_message_forwarded_from">Forwarded from <span class="tgme_widget_message_forwarded_from_name">Hidden author</span></div><div class="tgme_widget_message_text">Quoted</div>`)),
		fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || len(page.Invalid) != 1 || page.Invalid[0].Index != 2 || page.Invalid[0].Fingerprint == "" {
		t.Fatalf("items %d, invalid %+v", len(page.Items), page.Invalid)
	}
	kyiv, untimed, hidden := page.Items[2], page.Items[1], page.Items[0]
	if kyiv.PublishedAt != "2026-09-20T09:12:41+03:00" || kyiv.Body != "Kyiv time\nline two" || kyiv.Title != "Kyiv time" {
		t.Errorf("offset kept as published: %+v", kyiv)
	}
	if untimed.PublishedAt != "" || !slices.Equal(untimed.Tags, []string{TagEdited}) || untimed.Validate() != "" {
		t.Errorf("untimed = %+v", untimed)
	}
	if !slices.Equal(hidden.Tags, []string{TagForwarded, TagForwardedFrom + "Hidden author"}) {
		t.Errorf("forwarded from a hidden author: %v", hidden.Tags)
	}

	// An edit changes the content hash: the crawler sends a new version.
	body := read(t, "telegram-mfa_example-page.html")
	before, _ := ParseTelegram(src, "https://t.me/s/mfa_example", body, fetchedAt)
	after, _ := ParseTelegram(src, "https://t.me/s/mfa_example", []byte(strings.Replace(string(body),
		"The Ministry calls on all parties to exercise restraint.", "The Ministry calls on all parties to exercise maximum restraint.", 1)), fetchedAt)
	for i := range before.Items {
		changed := before.Items[i].ContentHash != after.Items[i].ContentHash
		if changed != (before.Items[i].GUID == "mfa_example/1008") {
			t.Errorf("%s: hash changed %v", before.Items[i].GUID, changed)
		}
	}
}

func TestTelegramNoPublicPreview(t *testing.T) {
	src := telegramSource(t, "https://t.me/s/mfa_hidden")
	_, err := ParseTelegram(src, "https://t.me/mfa_hidden", read(t, "telegram-mfa_hidden-channel-page.html"), fetchedAt)
	if !errors.Is(err, ErrNoPublicPreview) || TelegramReason(err) != "no_public_preview" || !strings.Contains(err.Error(), "https://t.me/mfa_hidden") {
		t.Errorf("redirected away: err = %v, reason %q", err, TelegramReason(err))
	}
	// Served from /s/ but not a channel preview.
	_, err = ParseTelegram(src, "https://t.me/s/mfa_hidden", read(t, "telegram-mfa_hidden-channel-page.html"), fetchedAt)
	if !errors.Is(err, ErrNoItems) || TelegramReason(err) != "no_items" {
		t.Errorf("not a preview: err = %v", err)
	}
	// A preview without posts is empty, not an error.
	page, err := ParseTelegram(src, "https://t.me/s/mfa_hidden",
		[]byte(`<section class="tgme_channel_history js-message_history"><div class="tme_no_messages_found">No posts found</div></section>`), fetchedAt)
	if err != nil || len(page.Items) != 0 || page.Older != "" {
		t.Errorf("empty preview: %v %+v", err, page)
	}
}

func FuzzParseTelegram(f *testing.F) {
	for _, name := range []string{"telegram-mfa_example-page.html", "telegram-mfa_example-page-before-1001.html", "telegram-mfa_hidden-channel-page.html"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`<div class="tgme_widget_message" data-post="a/1"><div class="tgme_widget_message_text"><div class="tgme_widget_message_text"><br></div></div></div>`))
	src := telegramSource(f, "https://t.me/s/mfa_example")
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := ParseTelegram(src, "https://t.me/s/mfa_example", body, fetchedAt)
		if err != nil {
			return
		}
		for _, it := range page.Items {
			if it.Validate() != "" || it.ContentHash != it.Hash() || !strings.HasPrefix(it.URL, "https://t.me/") {
				t.Fatalf("item %+v", it)
			}
		}
	})
}
