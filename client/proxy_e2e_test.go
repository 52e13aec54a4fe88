package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"sync/atomic"
	"testing"

	"selfservice/api"
	"selfservice/client"
)

// TestProxyOption sends every request of a sign-in through the proxy of
// Options.Proxy, even to a loopback server, which the environment's proxy
// settings never reach.
func TestProxyOption(t *testing.T) {
	b := newBackend(t)
	var proxied atomic.Int32
	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.Out.URL = r.In.URL // a proxy request names the whole target URL
	}}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		proxied.Add(1)
		forward.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	c := newClient(t, b.url, client.Options{Proxy: proxy.URL})
	b.signInOn(t, c, b.demo)
	if _, err := c.Tokens(context.Background()); err != nil {
		t.Fatalf("Tokens through the proxy: %v", err)
	}
	if got := proxied.Load(); got < 3 {
		t.Errorf("the proxy saw %d requests; want every one (login, verify, me, tokens)", got)
	}

	direct := newClient(t, b.url, client.Options{})
	before := proxied.Load()
	if _, err := direct.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if proxied.Load() != before {
		t.Error("a client without Options.Proxy went through the proxy")
	}
}

func TestProxyOptionRefusesBadAddresses(t *testing.T) {
	for _, proxy := range []string{"proxy.example.com:3128", "ftp://proxy.example.com", "http://", "http://user:s3cret@:3128"} {
		t.Run(proxy, func(t *testing.T) {
			_, err := client.New("https://selfservice.example.com", client.Options{Proxy: proxy})
			if codeOf(err) != api.CodeInvalidRequest {
				t.Fatalf("New with proxy %q: error = %v; want invalid_request", proxy, err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q repeats the proxy password", err)
			}
		})
	}
	if _, err := client.New("https://selfservice.example.com", client.Options{Proxy: "socks5://proxy.example.com:1080"}); err != nil {
		t.Errorf("socks5 proxy refused: %v", err)
	}
}
