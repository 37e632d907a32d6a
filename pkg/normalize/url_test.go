package normalize_test

import (
	"errors"
	"testing"

	"github.com/readout/readout/pkg/normalize"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://en.kremlin.ru/events/president/news/56626", "https://en.kremlin.ru/events/president/news/56626"},
		{"http://WWW.Kremlin.RU/events/president/news/76857/", "https://kremlin.ru/events/president/news/76857"},
		{"https://www.en.kremlin.ru/events/president/news/56626#top", "https://en.kremlin.ru/events/president/news/56626"},
		{"https://m.kremlin.ru/d/56626", "https://kremlin.ru/d/56626"},
		{"kremlin.ru/d/76857", "https://kremlin.ru/d/76857"},
		{"//en.kremlin.ru/d/1", "https://en.kremlin.ru/d/1"},
		{"  http://kremlin.ru:80/events  ", "https://kremlin.ru/events"},
		{"https://kremlin.ru:443/", "https://kremlin.ru/"},
		{"https://kremlin.ru", "https://kremlin.ru/"},
		{"https://example.org:8443/a", "https://example.org:8443/a"},
		{"https://user:pw@example.org./a//", "https://example.org/a"},
		{"https://www.whitehouse.gov/briefings-statements/2025/01/readout-of-president-donald-j-trumps-call-with-prime-minister-modi-of-india/",
			"https://whitehouse.gov/briefings-statements/2025/01/readout-of-president-donald-j-trumps-call-with-prime-minister-modi-of-india"},
		{"https://www.whitehouse.gov/x/?utm_source=twitter&utm_medium=social&fbclid=abc&gclid=1&yclid=2&ysclid=3",
			"https://whitehouse.gov/x"},
		{"https://example.org/search?q=putin&b=2&a=1&UTM_Campaign=x&a=0", "https://example.org/search?a=0&a=1&b=2&q=putin"},
		{"https://example.org/p?&&x=1&", "https://example.org/p?x=1"},
		{"https://example.org/p?x=a%20b;y=2", "https://example.org/p?x=a%20b&y=2"},
		{"https://kremlin.ru/catalog/persons/%D0%9F", "https://kremlin.ru/catalog/persons/%D0%9F"},
		{"https://kremlin.ru/catalog/persons/%d0%9f", "https://kremlin.ru/catalog/persons/%D0%9F"},
		{"https://example.org/%7Euser/a%20b", "https://example.org/~user/a%20b"},
		{"https://example.org/a%2Fb/c", "https://example.org/a%2Fb/c"},
		{"https://kremlin.ru/события", "https://kremlin.ru/%D1%81%D0%BE%D0%B1%D1%8B%D1%82%D0%B8%D1%8F"},
		{"https://[::1]:8080/a", "https://[::1]:8080/a"},
		{"https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/02/04/readout/",
			"https://whitehouse.gov/briefing-room/statements-releases/2021/02/04/readout"},
		{"https://TrumpWhiteHouse.archives.gov/briefings-statements/x/", "https://whitehouse.gov/briefings-statements/x"},
		{"http://obamawhitehouse.archives.gov/the-press-office/2016/01/01/y", "https://whitehouse.gov/the-press-office/2016/01/01/y"},
		{"https://archives.gov/x", "https://archives.gov/x"},
		{"https://www.whitehouse.gov/x/?ref=newsletter&ref_src=twsrc&referrer=a&icid=b&smid=c&id=7", "https://whitehouse.gov/x?id=7"},
		{"https://www.com/a", "https://www.com/a"},
	}
	for _, tt := range tests {
		got, err := normalize.CanonicalURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if again, err := normalize.CanonicalURL(got); again != got || err != nil {
			t.Errorf("CanonicalURL not idempotent: %q -> %q, %v", got, again, err)
		}
	}
}

func TestCanonicalURLErrors(t *testing.T) {
	for _, in := range []string{"", "   ", "not a url", "/relative/path", "mailto:press@kremlin.ru", "ftp://kremlin.ru/x", "http://", "http://[::1", "javascript:alert(1)", "http:// bad host/"} {
		got, err := normalize.CanonicalURL(in)
		if !errors.Is(err, normalize.ErrBadURL) || got != in {
			t.Errorf("CanonicalURL(%q) = %q, %v; want input and ErrBadURL", in, got, err)
		}
	}
}

func TestKremlinID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://en.kremlin.ru/events/president/news/56626", "56626"},
		{"http://kremlin.ru/events/president/news/76857", "76857"},
		{"https://www.kremlin.ru/events/president/transcripts/76857/", "76857"},
		{"kremlin.ru/d/56626", "56626"},
		{"en.kremlin.ru/d/56626", "56626"},
		{"http://en.kremlin.ru/misc/56623", "56623"},
		{"http://archive.kremlin.ru/events/president/news/56626", ""},
		{"http://archive.kremlin.ru/d/56626", ""},
		{"http://special.kremlin.ru/events/president/news/56626", ""},
		{"http://kremlin.ru/acts/bank/56626", ""},
		{"http://kremlin.ru/acts/news/70000", "70000"},
		{"http://en.kremlin.ru/events/president/news/56626?utm_source=x#a", "56626"},
		{"http://en.kremlin.ru/events/all/feed/page/2", ""},
		{"http://en.kremlin.ru/catalog/persons/543", ""},
		{"http://kremlin.ru/supplement/5260", ""},
		{"http://kremlin.ru/acts/bank/1234", ""},
		{"http://en.kremlin.ru/events/president/news/56626/photos", ""},
		{"http://en.kremlin.ru/events/president/news", ""},
		{"https://www.whitehouse.gov/events/president/news/56626", ""},
		{"http://notkremlin.ru/d/56626", ""},
		{"", ""},
		{"%zz", ""},
	}
	for _, tt := range tests {
		if got := normalize.KremlinID(tt.in); got != tt.want {
			t.Errorf("KremlinID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
