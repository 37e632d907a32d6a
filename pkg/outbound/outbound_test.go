package outbound

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestHosts(t *testing.T) {
	h := NewHosts("Kremlin.ru", "127.0.0.1:8080", "[::1]:9000", "::2")
	for raw, want := range map[string]error{
		"http://kremlin.ru/feed":          nil,
		"https://KREMLIN.ru/feed":         nil, // http may move to https
		"http://kremlin.ru:443/":          nil,
		"http://kremlin.ru:8443/":         ErrHostNotAllowed, // another port of an allowed host
		"https://en.kremlin.ru/":          ErrHostNotAllowed,
		"http://127.0.0.1:8080/a":         nil,
		"http://127.0.0.1:8081/a":         ErrHostNotAllowed,
		"http://127.0.0.1/a":              ErrHostNotAllowed,
		"http://[::1]:9000/":              nil,
		"http://[::1]:9001/":              ErrHostNotAllowed,
		"https://[::2]/":                  nil,
		"ftp://kremlin.ru/":               ErrScheme,
		"file:///etc/passwd":              ErrScheme,
		"javascript:alert(1)":             ErrScheme,
		"http:///no-host":                 ErrScheme,
		"https://user:pw@kremlin.ru/feed": nil,
	} {
		err := h.Check(mustURL(t, raw))
		if !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Errorf("Check(%s) = %v, want %v", raw, err, want)
		}
	}
	var anyHost *Hosts
	if err := anyHost.Check(mustURL(t, "http://example.org:1234/")); err != nil {
		t.Errorf("nil Hosts: %v", err)
	}
	if err := anyHost.Check(mustURL(t, "gopher://example.org/")); !errors.Is(err, ErrScheme) {
		t.Errorf("nil Hosts, gopher: %v", err)
	}
}

func TestPrivate(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "127.8.0.1": true, "::1": true, "::ffff:127.0.0.1": true,
		"10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true, "fd00::1": true,
		"169.254.169.254": true, "fe80::1": true, "100.64.0.1": true,
		"0.0.0.0": true, "::": true, "224.0.0.1": true, "ff02::1": true,
		"8.8.8.8": false, "95.173.136.70": false, "2a00:1450:4001::1": false, "172.32.0.1": false,
	} {
		if got := Private(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Private(%s) = %v, want %v", addr, got, want)
		}
	}
	for raw, private := range map[string]bool{
		"http://127.0.0.1:8080/": true, "https://[::1]/": true, "http://localhost/": true, "http://LocalHost./": true,
		"http://app.localhost/": true, "http://169.254.169.254/latest/": true,
		"https://hooks.example/": false, "https://8.8.8.8/": false,
	} {
		if err := CheckLiteral(mustURL(t, raw)); errors.Is(err, ErrPrivateAddress) != private {
			t.Errorf("CheckLiteral(%s) = %v, want private %v", raw, err, private)
		}
	}
}

// The client refuses loopback when dialling, whatever the URL names (an IP
// or a name resolving to it), and reaches it when allowed to.
func TestClientRefusesPrivateAtDialTime(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	strict := NewClient(ClientOptions{})
	for _, u := range []string{srv.URL, byName} {
		resp, err := strict.Post(u, "application/json", strings.NewReader("{}"))
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("POST %s: %v, want ErrPrivateAddress", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the server got %d requests", hits.Load())
	}
	resp, err := NewClient(ClientOptions{AllowPrivate: true}).Post(byName, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("allowed: %v %v", resp, err)
	}
	resp.Body.Close()
	if hits.Load() != 1 {
		t.Errorf("the server got %d requests, want 1", hits.Load())
	}
}

// A redirect is returned as it is: the POST is not moved to the target.
func TestClientFollowsNoRedirect(t *testing.T) {
	var moved atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { moved.Add(1) }))
	defer target.Close()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/steal", code)
		}))
		resp, err := NewClient(ClientOptions{AllowPrivate: true}).Post(srv.URL, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != code || !IsRedirect(resp.StatusCode) || resp.Header.Get("Location") != target.URL+"/steal" {
			t.Errorf("%d: got %d, Location %q", code, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if moved.Load() != 0 {
		t.Errorf("the redirect target got %d requests", moved.Load())
	}
}
