package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/readout/readout/pkg/outbound"
)

const ruText = "Состоялся телефонный разговор Владимира Путина с Премьер-министром Государства Израиль Биньямином Нетаньяху."

func newTestFetcher(t *testing.T, srv *httptest.Server, opts Options) *Fetcher {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	if opts.AllowedHosts == nil {
		opts.AllowedHosts = []string{u.Host}
	}
	if opts.PerHostRate == 0 {
		opts.PerHostRate = -1
	}
	return NewFetcher(opts)
}

func TestConditionalRequest(t *testing.T) {
	var gotUA, gotINM, gotIMS string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotINM, gotIMS = r.UserAgent(), r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if gotINM == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Last-Modified", "Sun, 07 Jan 2018 07:40:14 GMT")
		fmt.Fprint(w, "<feed></feed>")
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{})
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil || resp.Status != 200 || string(resp.Body) != "<feed></feed>" || resp.ETag != `"abc"` ||
		resp.LastModified != "Sun, 07 Jan 2018 07:40:14 GMT" {
		t.Fatalf("first fetch = %+v, %v", resp, err)
	}
	if gotUA != DefaultUserAgent || gotINM != "" {
		t.Errorf("UA %q, If-None-Match %q", gotUA, gotINM)
	}
	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL, ETag: resp.ETag, LastModified: resp.LastModified})
	if err != nil || !resp.NotModified || resp.Status != 304 || len(resp.Body) != 0 {
		t.Fatalf("conditional fetch = %+v, %v", resp, err)
	}
	if gotIMS != "Sun, 07 Jan 2018 07:40:14 GMT" {
		t.Errorf("If-Modified-Since = %q", gotIMS)
	}
}

func TestStatusErrorsAndRetryAfter(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter string
		want       time.Duration
	}{
		{429, "120", 120 * time.Second},
		{503, "7", 7 * time.Second},
		{503, "", 0},
		{500, "30", 0}, // Retry-After only counts on 429/503
		{404, "", 0},
		{429, "soon", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.retryAfter), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			resp, err := newTestFetcher(t, srv, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) || !errors.Is(err, ErrStatus) || se.Status != tt.status || se.RetryAfter != tt.want {
				t.Fatalf("err = %#v", err)
			}
			if resp == nil || resp.Status != tt.status || resp.RetryAfter != tt.want {
				t.Errorf("resp = %+v", resp)
			}
		})
	}
}

func TestParseRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	if got := ParseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); got != 90*time.Second {
		t.Errorf("date form = %s", got)
	}
	if got := ParseRetryAfter("999999", now); got != DefaultRetryAfterCap {
		t.Errorf("cap = %s", got)
	}
	if got := ParseRetryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now); got != 0 {
		t.Errorf("past date = %s", got)
	}
}

func TestGzipCountsWireBytes(t *testing.T) {
	plain := bytes.Repeat([]byte("<p>Telephone conversation with Indian Prime Minister Narendra Modi</p>\n"), 200)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain)
	zw.Close()
	var gotAE string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAE = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	resp, err := newTestFetcher(t, srv, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if gotAE != "gzip" || !bytes.Equal(resp.Body, plain) || resp.Bytes != int64(zipped.Len()) {
		t.Errorf("Accept-Encoding %q, body ok %v, bytes %d want %d", gotAE, bytes.Equal(resp.Body, plain), resp.Bytes, zipped.Len())
	}
}

// A 50 MB body streamed by the server: the fetcher stops at the limit.
func TestBodyLimit(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<item>x</item>"), 4096)
		for written.Load() < 50<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return // the client hung up
			}
		}
	}))
	defer srv.Close()
	const limit = 1 << 20
	resp, err := newTestFetcher(t, srv, Options{MaxBodyBytes: limit}).Fetch(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if resp.Bytes > limit+64<<10 {
		t.Errorf("read %d bytes, limit %d", resp.Bytes, limit)
	}
	srv.CloseClientConnections()
	if written.Load() >= 50<<20 {
		t.Errorf("server wrote the whole 50 MB")
	}
}

func TestGzipBombLimit(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(bytes.Repeat([]byte{'a'}, 8<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	_, err := newTestFetcher(t, srv, Options{MaxBodyBytes: 1 << 20}).Fetch(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestRedirects(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "secret")
	}))
	defer other.Close()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop2", http.StatusFound)
		case "/loop2":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/away":
			// 127.0.0.2 is not in AllowedHosts even though it is this machine.
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/x", http.StatusMovedPermanently)
		case "/moved":
			http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
		case "/feed":
			fmt.Fprint(w, "ok")
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{MaxRedirects: 3})
	ctx := context.Background()

	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/loop"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("loop: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/away"}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("away: %v", err)
	}
	resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/moved"})
	if err != nil || string(resp.Body) != "ok" || resp.URL != srv.URL+"/feed" {
		t.Errorf("moved: %+v %v", resp, err)
	}
	if _, err := f.Fetch(ctx, Request{URL: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("direct fetch of an unlisted host: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: "file:///etc/passwd"}); !errors.Is(err, ErrUnsupportedScheme) {
		t.Errorf("file URL: %v", err)
	}
}

// hostPort is raw's "host:port".
func hostPort(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}

// The allowed destinations are host and port: a redirect to, or a request
// for, another port of an allowed host is refused and never sent.
func TestAnotherPortIsAnotherHost(t *testing.T) {
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		fmt.Fprint(w, "internal")
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/admin", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/feed"}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("redirect to another port: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: other.URL + "/admin"}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("another port: %v", err)
	}
	if stolen.Load() != 0 {
		t.Errorf("the other port got %d requests", stolen.Load())
	}
}

// A request's Hosts narrow the fetcher's: what another source may fetch is
// refused to this one, redirects included.
func TestRequestHosts(t *testing.T) {
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		fmt.Fprint(w, "theirs")
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
			return
		}
		fmt.Fprint(w, "mine")
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{AllowedHosts: []string{hostPort(srv.URL), hostPort(other.URL)}})
	mine := outbound.NewHosts(hostPort(srv.URL))
	ctx := context.Background()
	if resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/feed", Hosts: mine}); err != nil || string(resp.Body) != "mine" {
		t.Fatalf("own host: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/away", Hosts: mine}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("redirect to a host of another source: %v", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: other.URL + "/x", Hosts: mine}); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("a host of another source: %v", err)
	}
	if f.Allowed(other.URL+"/x", mine) || !f.Allowed(other.URL+"/x", nil) || !f.Allowed(srv.URL+"/y", mine) {
		t.Error("Allowed disagrees with Fetch")
	}
	if stolen.Load() != 0 {
		t.Errorf("the other source's host got %d requests", stolen.Load())
	}
	// Without Hosts the fetcher's own list applies.
	if resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/away"}); err != nil || string(resp.Body) != "theirs" {
		t.Errorf("fetcher-wide: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	_, err := newTestFetcher(t, srv, Options{Timeout: 50 * time.Millisecond}).Fetch(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestPerHostConcurrency(t *testing.T) {
	var cur, peak atomic.Int32
	gate := make(chan struct{})
	arrived := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		arrived <- struct{}{}
		<-gate
		cur.Add(-1)
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{PerHostConcurrency: 2})
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Fetch(context.Background(), Request{URL: srv.URL})
		}()
	}
	// Two requests reach the server; the others wait in the fetcher.
	<-arrived
	<-arrived
	select {
	case <-arrived:
		t.Fatal("a third concurrent request reached the server")
	default:
	}
	close(gate)
	wg.Wait()
	if peak.Load() != 2 {
		t.Errorf("peak concurrency %d, want 2", peak.Load())
	}
}

func TestPerHostRateReservesSlots(t *testing.T) {
	f := NewFetcher(Options{PerHostRate: 50, PerHostConcurrency: 4}) // one start per 20 ms
	l := f.limiter("example.org")
	before := time.Now()
	for range 3 {
		release, err := l.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	// Each acquire reserves the next start one period after the previous.
	if got := l.next.Sub(before); got < 3*l.every {
		t.Errorf("next start %s after the first, want ≥ %s", got, 3*l.every)
	}
	if l.every != 20*time.Millisecond {
		t.Errorf("period %s", l.every)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("acquire on a cancelled context: %v", err)
	}
}

const (
	t16LE = unicode.LittleEndian
	t16BE = unicode.BigEndian
)

// utf16 encodes s as UTF-16, with a byte-order mark when bom is set.
func utf16(order unicode.Endianness, bom bool, s string) []byte {
	policy := unicode.IgnoreBOM
	if bom {
		policy = unicode.UseBOM
	}
	b, err := unicode.UTF16(order, policy).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// A byte-order mark decides the charset, before any declaration, and is
// dropped with the declaration rewritten; UTF-16 is recognised without a
// mark too, from its XML declaration or from a header saying so over bytes
// that are UTF-16. (A mark used to hide the XML declaration: a UTF-8 feed
// declared windows-1251 behind a mark was decoded twice into mojibake, and
// UTF-16 kept its mark and its "utf-16" declaration, so no parser read it.)
func TestByteOrderMarks(t *testing.T) {
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ruText)
	doc := func(enc string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?><feed><title>` + ruText + `</title></feed>`
	}
	want := `<?xml version="1.0" encoding="UTF-8"?><feed><title>` + ruText + `</title></feed>`
	tests := []struct {
		name, contentType string
		body              []byte
		wantCharset, want string
	}{
		{"utf-8 mark, declared windows-1251", "application/atom+xml", append([]byte("\xef\xbb\xbf"), doc("windows-1251")...), "utf-8", want},
		{"utf-8 mark, header windows-1251", "text/xml; charset=windows-1251", append([]byte("\xef\xbb\xbf"), doc("utf-8")...), "utf-8",
			`<?xml version="1.0" encoding="utf-8"?><feed><title>` + ruText + `</title></feed>`},
		{"utf-8 mark twice", "", append([]byte("\xef\xbb\xbf\xef\xbb\xbf"), doc("UTF-8")...), "utf-8", want},
		{"utf-16le mark", "application/atom+xml", utf16(t16LE, true, doc("utf-16")), "utf-16le", want},
		{"utf-16be mark", "application/atom+xml; charset=windows-1251", utf16(t16BE, true, doc("utf-16")), "utf-16be", want},
		{"utf-16le declaration, no mark", "application/xml", utf16(t16LE, false, doc("utf-16")), "utf-16le", want},
		{"utf-16be declaration, no mark", "", utf16(t16BE, false, doc("UTF-16")), "utf-16be", want},
		{"utf-16le header, no mark", "application/atom+xml; charset=utf-16le", utf16(t16LE, false, "<feed><title>"+ruText+"</title></feed>"),
			"utf-16le", "<feed><title>" + ruText + "</title></feed>"},
		{"utf-16 header over windows-1251", "text/html; charset=utf-16", []byte("<p>" + cp1251 + "</p>"), "windows-1251", "<p>" + ruText + "</p>"},
		{"utf-16 header over utf-8", "text/html; charset=utf-16", []byte("<p>" + ruText + "</p>"), "utf-8", "<p>" + ruText + "</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, cs := ToUTF8(tt.body, tt.contentType)
			if cs != tt.wantCharset || string(out) != tt.want {
				t.Errorf("charset %q, out %q\nwant %q, %q", cs, out, tt.wantCharset, tt.want)
			}
			if again, cs2 := ToUTF8(out, tt.contentType); cs2 != "utf-8" || !bytes.Equal(again, out) {
				t.Errorf("second pass: %s %q", cs2, again)
			}
		})
	}
}

func TestCharsets(t *testing.T) {
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ruText)
	koi8, _ := charmap.KOI8R.NewEncoder().String(ruText)
	xml1251 := `<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>` + cp1251 + `</title></channel></rss>`
	tests := []struct {
		name, contentType, body, wantCharset, wantContains string
	}{
		{"utf-8 declared", "text/xml; charset=utf-8", ruText, "utf-8", ruText},
		{"windows-1251 declared in header", "text/html; charset=windows-1251", cp1251, "windows-1251", ruText},
		{"windows-1251 missing charset", "text/plain", cp1251, "windows-1251", ruText},
		{"windows-1251 wrongly declared utf-8", "text/html; charset=utf-8", cp1251, "windows-1251", ruText},
		{"koi8-r missing charset", "", koi8, "koi8-r", ruText},
		{"utf-8 wrongly declared windows-1251", "text/html; charset=windows-1251", ruText, "utf-8", ruText},
		{"xml declaration", "application/xml", xml1251, "windows-1251", `encoding="UTF-8"?><rss><channel><title>` + ruText},
		{"html meta", "text/html", `<html><head><meta charset="windows-1251"></head><body>` + cp1251, "windows-1251", ruText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			resp, err := newTestFetcher(t, srv, Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Charset != tt.wantCharset || !strings.Contains(string(resp.Body), tt.wantContains) {
				t.Errorf("charset %q, body %q", resp.Charset, resp.Body)
			}
		})
	}
}

// UTF-8 damaged in one place (a stray byte, a multi-byte sequence cut short)
// stays UTF-8: sniffing it as a single-byte Cyrillic charset would turn every
// letter into mojibake (Cyrillic UTF-8 lead bytes 0xD0/0xD1 look like KOI8-R).
func TestMostlyUTF8StaysUTF8(t *testing.T) {
	para := "<p>" + ruText + "</p>"
	feed := func(decl, damage string) []byte {
		return []byte(decl + `<feed xmlns="http://www.w3.org/2005/Atom"><title>Президент России</title><entry><title>` +
			para + damage + `</title><content type="html">` + strings.Repeat(para, 5) + `</content></entry></feed>`)
	}
	tests := []struct {
		name, contentType, decl, damage string
	}{
		{"stray byte, utf-8 declared", "application/atom+xml; charset=utf-8", "", "\xff"},
		{"stray byte, nothing declared", "application/atom+xml", "", "\xff"},
		{"cut sequence, xml declares utf-8", "application/xml", `<?xml version="1.0" encoding="utf-8"?>`, "\xd0"},
		{"stray bytes, windows-1251 declared", "text/xml; charset=windows-1251", "", "\xd1 \xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, cs := ToUTF8(feed(tt.decl, tt.damage), tt.contentType)
			if cs != "utf-8" || !utf8.Valid(out) {
				t.Fatalf("charset %q, valid %v", cs, utf8.Valid(out))
			}
			if got := strings.Count(string(out), ruText); got != 6 {
				t.Errorf("text kept %d times of 6: %.200q", got, out)
			}
			if !strings.Contains(string(out), "\uFFFD") {
				t.Error("the invalid byte was not replaced by U+FFFD")
			}
		})
	}
	// Real windows-1251 and KOI8-R text is still recognized as such.
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ruText)
	koi8, _ := charmap.KOI8R.NewEncoder().String(ruText)
	for want, b := range map[string]string{"windows-1251": cp1251, "koi8-r": koi8} {
		if out, cs := ToUTF8([]byte(b), "text/xml; charset=utf-8"); cs != want || string(out) != ruText {
			t.Errorf("%s declared utf-8: charset %q, text %q", want, cs, out)
		}
	}
}

func FuzzToUTF8(f *testing.F) {
	cp1251, _ := charmap.Windows1251.NewEncoder().String(ruText)
	f.Add([]byte(ruText), "text/html; charset=utf-8")
	f.Add([]byte(cp1251), "")
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1251"?><rss>`+cp1251+`</rss>`), "application/xml")
	f.Add([]byte(ruText+"\xff"), "application/atom+xml")
	f.Add(append([]byte("\xef\xbb\xbf"), `<?xml version="1.0" encoding="windows-1251"?><rss>`+ruText+`</rss>`...), "application/xml")
	f.Add(utf16(t16LE, true, `<?xml version="1.0" encoding="utf-16"?><feed>`+ruText+`</feed>`), "application/atom+xml")
	f.Add(utf16(t16BE, false, `<?xml version="1.0" encoding="utf-16"?><feed>`+ruText+`</feed>`), "")
	f.Add(utf16(t16LE, false, `<feed>`+ruText+`</feed>`), "application/atom+xml; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, cs := ToUTF8(body, contentType)
		if cs == "" || !utf8.Valid(out) {
			t.Fatalf("charset %q, valid UTF-8 %v", cs, utf8.Valid(out))
		}
		// Every input byte becomes at most one 3-byte rune; the declaration
		// rewrite may add a few bytes.
		if len(out) > 3*len(body)+8 {
			t.Fatalf("%d bytes in, %d out", len(body), len(out))
		}
		// A byte-order mark is dropped, so the declaration check below
		// sees the start of the document.
		if bytes.HasPrefix(out, utf8BOM) {
			t.Fatal("output starts with a byte-order mark")
		}
		// Valid UTF-8 without NULs (UTF-16 markup has them) stays UTF-8
		// and, but for a leading byte-order mark and the declaration, as is.
		if utf8.Valid(body) && !bytes.ContainsRune(body, 0) {
			if cs != "utf-8" {
				t.Fatalf("valid UTF-8 decoded as %s", cs)
			}
			plain, _ := trimUTF8BOMs(body)
			if !xmlDeclEncoding.Match(plain[:min(len(plain), 1024)]) && !bytes.Equal(out, plain) {
				t.Fatal("valid UTF-8 changed")
			}
		}
		if m := xmlDeclEncoding.FindSubmatch(out[:min(len(out), 1024)]); m != nil && !strings.EqualFold(string(m[1]), "utf-8") {
			t.Fatalf("output declares encoding %q", m[1])
		}
		// Converting again changes nothing.
		again, cs2 := ToUTF8(out, contentType)
		if cs2 != "utf-8" || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: second pass %s", cs2)
		}
	})
}

// A 429, or a 503 with Retry-After, pauses the whole host: later requests to
// any path or port of it fail at once with a *PauseError and reach no server,
// while other hosts are still fetched.
func TestRetryAfterPausesHost(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		pause      time.Duration // 0: no pause
	}{
		{"429 with Retry-After", 429, "120", 120 * time.Second},
		{"429 with a short Retry-After", 429, "3", 3 * time.Second},
		{"429 without Retry-After", 429, "", DefaultTooManyRequestsPause},
		{"503 with Retry-After", 503, "600", 600 * time.Second},
		{"503 without Retry-After", 503, "", 0},
		{"500 with Retry-After", 500, "60", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if r.URL.Path == "/busy" {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
					return
				}
				fmt.Fprint(w, "<feed></feed>")
			}))
			defer srv.Close()
			sibling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				fmt.Fprint(w, "<feed></feed>")
			}))
			defer sibling.Close()
			other := strings.Replace(sibling.URL, "127.0.0.1", "localhost", 1) + "/feed"
			f := newTestFetcher(t, srv, Options{AllowedHosts: []string{hostPort(srv.URL), hostPort(sibling.URL), hostPort(other)}})
			ctx := context.Background()
			if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/busy"}); !errors.Is(err, ErrStatus) {
				t.Fatalf("busy: %v", err)
			}
			for _, u := range []string{srv.URL + "/feed", sibling.URL + "/feed"} { // same host, another path, another port
				_, err := f.Fetch(ctx, Request{URL: u})
				var pe *PauseError
				if tt.pause == 0 {
					if err != nil {
						t.Errorf("%s: %v, want no pause", u, err)
					}
					continue
				}
				if !errors.As(err, &pe) || !errors.Is(err, ErrHostPaused) || pe.Host != "127.0.0.1" {
					t.Fatalf("%s: %v, want a pause", u, err)
				}
				if rem := pe.Remaining(time.Now()); rem <= tt.pause/2 || rem > tt.pause {
					t.Errorf("pause remaining %s, want about %s", rem, tt.pause)
				}
			}
			wantHits := int32(1)
			if tt.pause == 0 {
				wantHits = 3
			}
			if got := hits.Load(); got != wantHits {
				t.Errorf("%d requests reached the servers, want %d", got, wantHits)
			}
			if _, err := f.Fetch(ctx, Request{URL: other}); err != nil {
				t.Errorf("another host: %v", err)
			}
		})
	}
}

func TestPauseNeverShortened(t *testing.T) {
	l := NewFetcher(Options{PerHostRate: -1}).limiter("kremlin.ru")
	now := time.Now()
	l.pause(now.Add(time.Hour))
	l.pause(now.Add(time.Minute))
	var pe *PauseError
	if err := l.paused(now); !errors.As(err, &pe) || !pe.Until.Equal(now.Add(time.Hour)) {
		t.Fatalf("paused = %v", err)
	}
	if _, err := l.acquire(context.Background()); !errors.Is(err, ErrHostPaused) {
		t.Errorf("acquire while paused: %v", err)
	}
	if err := l.paused(now.Add(2 * time.Hour)); err != nil {
		t.Errorf("still paused after the pause: %v", err)
	}
}

// A server that sends its headers at once and then trickles the body byte by
// byte cannot hold a fetch longer than Timeout, which covers reading the body.
func TestSlowTrickleBodyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">`)
		w.(http.Flusher).Flush()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer srv.Close()
	resp, err := newTestFetcher(t, srv, Options{Timeout: 150 * time.Millisecond}).Fetch(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if resp == nil || resp.Status != 200 || resp.Bytes == 0 || resp.Body != nil {
		t.Errorf("resp = %+v: want the 200 with bytes counted and no body", resp)
	}
}

func TestThrottled(t *testing.T) {
	now := time.Now()
	tests := []struct {
		err  error
		wait time.Duration
		ok   bool
	}{
		{fmt.Errorf("fetch x: %w", &StatusError{Status: 429, RetryAfter: time.Minute}), time.Minute, true},
		{&StatusError{Status: 429}, DefaultTooManyRequestsPause, true},
		{&StatusError{Status: 503, RetryAfter: 7 * time.Second}, 7 * time.Second, true},
		{&StatusError{Status: 503}, 0, true},
		{fmt.Errorf("fetch x: %w", &PauseError{Host: "kremlin.ru", Until: now.Add(time.Hour)}), time.Hour, true},
		{&StatusError{Status: 500, RetryAfter: time.Minute}, 0, false},
		{&StatusError{Status: 403}, 0, false},
		{context.DeadlineExceeded, 0, false},
	}
	for _, tt := range tests {
		if wait, ok := Throttled(tt.err, now); wait != tt.wait || ok != tt.ok {
			t.Errorf("Throttled(%v) = %s %v, want %s %v", tt.err, wait, ok, tt.wait, tt.ok)
		}
	}
}

// A request already waiting for its rate slot when another request to the
// host is answered 429 with Retry-After is not sent: it fails with a
// *PauseError as soon as the pause starts (it used to be sent once its slot
// came, ignoring the wait the host asked for).
func TestRetryAfterStopsRequestsWaitingForRate(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	// One request an hour: the second one waits for its slot until the pause wakes it.
	f := newTestFetcher(t, srv, Options{PerHostRate: 1.0 / 3600})
	first := make(chan error, 1)
	go func() { _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/a"}); first <- err }()
	l := f.limiter("127.0.0.1")
	reserved := func(n int) bool { // n rate slots taken
		l.mu.Lock()
		defer l.mu.Unlock()
		return time.Until(l.next) > time.Duration(n-1)*l.every+l.every/2
	}
	for !reserved(1) || hits.Load() == 0 {
		runtime.Gosched()
	}
	second := make(chan error, 1)
	go func() { _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/b"}); second <- err }()
	for !reserved(2) {
		runtime.Gosched()
	}
	close(release)
	var se *StatusError
	if err := <-first; !errors.As(err, &se) || se.Status != http.StatusTooManyRequests || se.RetryAfter != 10*time.Minute {
		t.Fatalf("first request: %v", err)
	}
	var pe *PauseError
	if err := <-second; !errors.As(err, &pe) || time.Until(pe.Until) < 9*time.Minute {
		t.Fatalf("waiting request: %v, want a *PauseError until the Retry-After", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}

// A redirect hop goes through its host's limiter: no hop while the host is
// paused.
func TestRedirectHopRespectsPause(t *testing.T) {
	var f *Fetcher
	var targetHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			// Another source on the host was just told to wait.
			f.limiter("127.0.0.1").pause(time.Now().Add(time.Hour))
			http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
			return
		}
		targetHits.Add(1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f = newTestFetcher(t, srv, Options{})
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/moved"})
	if !errors.Is(err, ErrHostPaused) {
		t.Fatalf("Fetch = %v, want the hop refused by the pause", err)
	}
	if n := targetHits.Load(); n != 0 {
		t.Errorf("the redirect target was asked %d times while the host was paused", n)
	}
}

// Conditional headers follow a redirect to the URL they were answered for
// (a feed URL that always redirects to the same place still gets its 304),
// and are dropped on a redirect anywhere else.
func TestValidatorsFollowStableRedirect(t *testing.T) {
	var mu sync.Mutex
	target := "/feed/"
	var seen []string // If-None-Match by path
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+r.Header.Get("If-None-Match"))
		to := target
		mu.Unlock()
		if r.URL.Path == "/feed" {
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte("<feed/>"))
	}))
	defer srv.Close()
	f := newTestFetcher(t, srv, Options{})
	ctx := context.Background()
	resp, err := f.Fetch(ctx, Request{URL: srv.URL + "/feed"})
	if err != nil || resp.URL != srv.URL+"/feed/" || resp.RequestURL != srv.URL+"/feed" || resp.ETag != `"v1"` {
		t.Fatalf("first fetch: %v %+v", err, resp)
	}
	resp, err = f.Fetch(ctx, Request{URL: resp.RequestURL, ETag: resp.ETag, ValidatorsURL: resp.URL})
	if err != nil || !resp.NotModified {
		t.Fatalf("conditional fetch through the redirect: %v %+v", err, resp)
	}
	mu.Lock()
	target = "/feed/v2/"
	mu.Unlock()
	resp, err = f.Fetch(ctx, Request{URL: srv.URL + "/feed", ETag: `"v1"`, ValidatorsURL: srv.URL + "/feed/"})
	if err != nil || resp.NotModified || resp.URL != srv.URL+"/feed/v2/" {
		t.Fatalf("redirect to another target: %v %+v", err, resp)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"/feed ", "/feed/ ", `/feed "v1"`, `/feed/ "v1"`, `/feed "v1"`, "/feed/v2/ "}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("requests (path If-None-Match):\n got %q\nwant %q", seen, want)
	}
}

// TestRedirectHopsTimedEachOnItsOwn: every hop of a redirect chain waits for
// its turn at the host's rate, and that wait is not the server being slow:
// a chain whose paced hops take longer together than Timeout still arrives
// (each hop answers at once), and a loop is still a loop.
func TestRedirectHopsTimedEachOnItsOwn(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/c", http.StatusFound)
		case "/c":
			http.Redirect(w, r, "/feed", http.StatusFound)
		case "/feed":
			fmt.Fprint(w, "ok")
		default:
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			http.Redirect(w, r, fmt.Sprintf("/loop?n=%d", n+1), http.StatusFound)
		}
	}))
	defer srv.Close()
	// Four requests at 4 per second take at least 750 ms; each has 400 ms.
	f := newTestFetcher(t, srv, Options{MaxRedirects: 5, PerHostRate: 4, Timeout: 400 * time.Millisecond})
	res, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/a"})
	if err != nil {
		t.Fatalf("paced chain: %v", err)
	}
	if string(res.Body) != "ok" || !strings.HasSuffix(res.URL, "/feed") || res.RequestURL != srv.URL+"/a" {
		t.Fatalf("got %q from %s (asked %s)", res.Body, res.URL, res.RequestURL)
	}
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/loop"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("paced loop: %v, want ErrTooManyRedirects", err)
	}
}
