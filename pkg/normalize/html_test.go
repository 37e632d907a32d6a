package normalize_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/readout/readout/pkg/normalize"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain text", "no  markup here", "no markup here"},
		{"paragraphs", "<p>One\ntwo.</p><p>Three.</p>", "One two.\n\nThree."},
		{"br and div", "a<br>b<br/>c<div>d</div>e", "a\n\nb\n\nc\n\nd\n\ne"},
		{"headings lists blockquote", "<h1>T</h1><ul><li>x</li><li>y</li></ul><blockquote>q</blockquote>", "T\n\nx\n\ny\n\nq"},
		{"table rows and cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"},
		{"inline elements", "mid-19<sup>th</sup> <b>bold</b> <i>it</i>al<a href=x>link</a>.", "mid-19th bold itallink."},
		{"entities", "<p>Q&amp;A &laquo;да&raquo; &#8212; &nbsp;x &hellip;</p>", `Q&A "да" - x ...`},
		{"dropped elements", "<header>H</header><nav>N</nav><p>keep</p><script>var x='<p>no</p>';</script><style>p{}</style><form>F<input></form><noscript>ns</noscript><iframe>if</iframe><footer>F</footer>", "keep"},
		{"unclosed inner tags in dropped element", "<nav><p>one<p>two<div>three</nav><p>body</p>", "body"},
		{"nested same dropped tag", "<aside>a<aside>b</aside>c</aside>d", "d"},
		{"hidden by attributes", `<p>x</p><div hidden>h</div><div aria-hidden="true">a</div><div style="display: none">s</div><p>y</p>`, "x\n\ny"},
		{"share widget", `<p>Text.</p><div class="b-share js-share"><a href="#">Facebook</a></div>`, "Text."},
		{"addthis widget", `<p>Text.</p><div class="addthis_inline_share_toolbox"><a>Share</a></div>`, "Text."},
		{"addtoany kit", `<p>Text.</p><div class="a2a_kit a2a_kit_size_32"><a class="a2a_button_x">X</a></div>`, "Text."},
		{"jetpack sharedaddy", `<p>Text.</p><div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3></div>`, "Text."},
		{"social links", `<p>Text.</p><ul class="social-links"><li><a>Facebook</a></li></ul>`, "Text."},
		{"wordpress buttons", `<p>Text.</p><div class="wp-block-buttons"><div class="wp-block-button"><a>Print</a></div></div>`, "Text."},
		{"tooltip by class", `<p>Встреча с <span class="person-tooltip">Путин Владимир</span>лидерами</p>`, "Встреча с лидерами"},
		{"kremlin person tooltip inside link", `<p>Владимир Путин и <a href="/catalog/persons/543/events">Биньямин Нетаньяху<span class="person__info"><span>Нетаньяху Биньямин</span> Премьер-министр Израиля</span></a> обменялись тёплыми поздравлениями.</p>`,
			"Владимир Путин и Биньямин Нетаньяху обменялись тёплыми поздравлениями."},
		{"tooltip span never closed ends with link", `<p><a href="/catalog/persons/1">Масуд Пезешкиан<span>Пезешкиан Масуд Президент</a> в свою очередь поблагодарил</p>`,
			"Масуд Пезешкиан в свою очередь поблагодарил"},
		{"span as link text kept", `<p><a href="/x"><span>Read more</span></a> here</p>`, "Read more here"},
		{"span after text in other link kept", `<p><a href="/news/1">Read <span>more</span></a> here</p>`, "Read more here"},
		{"kremlin tag block", `<div class="read__internal_content"><p>Body.</p></div><div class="read__bottommeta hidden-copy"><div class="read__tags masha-ignore"><div class="read__tagscol"><h3>География</h3><ul><li>Израиль</li></ul></div></div></div>`, "Body."},
		{"unclosed head", "<html><head><title>T</title><meta charset=utf-8><body><p>body text</p>", "body text"},
		{"comments and doctype", "<!DOCTYPE html><!-- c --><p>x</p>", "x"},
		{"full page", "<html><head><title>T</title><meta charset=utf-8></head><body><p>only body</p></body></html>", "only body"},
		{"malformed", "<p>a <b>b</p> c</i> <<>> d & e", "a b\n\nc <<>> d & e"},
		{"invalid utf8 in html", "<p>ok\xff</p>", "ok\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalize.HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// The Kremlin feed's HTML content converts to the same words as the text the
// statements-dev dataset extracted from the same entries, and every entry
// converts to valid UTF-8 without markup or entities left.
func TestHTMLToTextKremlinFeed(t *testing.T) {
	dev := map[string]devStatement{}
	for _, s := range devStatements(t) {
		dev[s.URL] = s
	}
	matched := 0
	for _, e := range kremlinFeed(t) {
		got := normalize.HTMLToText(e.Content)
		if got == "" || !utf8.ValidString(got) {
			t.Fatalf("%s: empty or invalid text", e.ID)
		}
		for _, bad := range []string{"<p", "</", "&lt;", "&amp;", "c-summary", "static.kremlin.ru"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: %q left in text", e.ID, bad)
			}
		}
		if lead := normalize.HTMLToText(e.Summary); !strings.HasPrefix(got, lead) {
			t.Errorf("%s: text does not start with the lead %q", e.ID, lead)
		}
		if d, ok := dev[e.ID]; ok {
			matched++
			if want := squash(normalize.Text(d.Text)); squash(got) != want {
				t.Errorf("%s: HTMLToText differs from dataset text\n got %q\nwant %q", e.ID, squash(got), want)
			}
		}
	}
	if matched < 3 {
		t.Errorf("only %d feed entries found in statements-dev, want >= 3", matched)
	}
}

func TestHTMLToTextParagraphs(t *testing.T) {
	e := kremlinFeed(t)[1] // Telephone conversation with Indian Prime Minister Narendra Modi
	got := normalize.HTMLToText(e.Content)
	want := "Vladimir Putin had a telephone conversation with Prime Minister of India Narendra Modi at the Indian side's initiative.\n\n" +
		"Mr Putin and Mr Modi exchanged New Year greetings.\n\n" +
		"Development of bilateral relations and current international issues were discussed. The two leaders confirmed their commitment to further developing the privileged strategic partnership between Russia and India, and agreed to continue top-level contacts."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestHTMLToTextHuge(t *testing.T) {
	deep := strings.Repeat("<div><span>", 50_000) + "deep" + strings.Repeat("</span></div>", 50_000)
	if got := normalize.HTMLToText(deep); got != "deep" {
		t.Errorf("deep nesting: got %q", got[:min(len(got), 50)])
	}
	big := strings.Repeat("<p>Телефонный разговор с Президентом Франции.</p>", 50_000)
	got := normalize.HTMLToText(big)
	if n := strings.Count(got, "\n\n"); n != 50_000-1 {
		t.Errorf("big page: %d paragraph breaks, want %d", n, 50_000-1)
	}
	unclosed := "<script>" + strings.Repeat("x", 1<<20)
	if got := normalize.HTMLToText(unclosed); got != "" {
		t.Errorf("unclosed script: got %d bytes", len(got))
	}
}
