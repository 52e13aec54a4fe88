package client_test

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/client"
)

// codeOf returns the code of an *api.Error, or "" for any other error.
func codeOf(err error) string {
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return ""
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var gets, posts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
				} else {
					posts.Add(1)
				}
				writeJSON(w, status, `{"error":{"code":"internal_error","message":"Try again later."}}`)
			}))
			defer srv.Close()
			c := newClient(t, srv.URL, client.Options{})

			_, err := c.Tokens(context.Background())
			if got := gets.Load(); got != 3 {
				t.Errorf("GET sent %d times; want 3 (one try and two retries)", got)
			}
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || apiErr.Status != status {
				t.Errorf("GET error = %#v; want an *api.Error with status %d", err, status)
			}

			_, err = c.Login(context.Background(), api.LoginRequest{Username: "alice", Password: "password1"})
			if got := posts.Load(); got != 1 {
				t.Errorf("POST sent %d times; want 1", got)
			}
			if err == nil {
				t.Error("POST error = nil; want one")
			}
		})
	}
}

func TestReadRetrySucceeds(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
	}))
	defer srv.Close()

	got, err := newClient(t, srv.URL, client.Options{}).Health(context.Background())
	if err != nil || got.Status != "ok" {
		t.Fatalf("Health = %+v, %v; want status ok", got, err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("requests = %d; want 2", n)
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens on addr now

	c := newClient(t, "http://"+addr, client.Options{})
	for name, call := range map[string]func() error{
		"GET":  func() error { _, err := c.Me(context.Background()); return err },
		"POST": func() error { _, err := c.Login(context.Background(), api.LoginRequest{}); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			if !errors.Is(err, api.ErrUnreachable) {
				t.Fatalf("error = %v; want server_unreachable", err)
			}
			if !strings.Contains(err.Error(), "http://"+addr) {
				t.Errorf("message %q does not name the server", err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-r.Context().Done() // never answers; ends when the client gives up
	}))
	defer srv.Close()

	c := newClient(t, srv.URL, client.Options{Timeout: 50 * time.Millisecond})
	_, err := c.Tokens(context.Background())
	if !errors.Is(err, api.ErrTimeout) {
		t.Fatalf("error = %v; want timeout", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v; want it to wrap context.DeadlineExceeded", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("requests = %d; want 1 (a timeout is not retried)", n)
	}
}

func TestCancelledContextIsNotAnAPIError(t *testing.T) {
	started := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(started) })
		<-r.Context().Done()
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, err := newClient(t, srv.URL, client.Options{}).Tokens(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want context.Canceled", err)
	}
	if code := codeOf(err); code != "" {
		t.Errorf("error is an *api.Error %q; want only the context error", code)
	}
}

func TestCallerDeadlineIsATimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := newClient(t, srv.URL, client.Options{}).Me(ctx)
	if !errors.Is(err, api.ErrTimeout) {
		t.Fatalf("error = %v; want timeout", err)
	}
}

func TestAnswersThatAreNotTheAPI(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
	}{
		{"html page", http.StatusOK, "text/html", "<html><body>Welcome</body></html>"},
		{"proxy error page", http.StatusInternalServerError, "text/html", "<html>Proxy error</html>"},
		{"json without envelope", http.StatusNotFound, "application/json", `{"message":"nope"}`},
		{"envelope without code", http.StatusBadRequest, "application/json", `{"error":{"message":"bad"}}`},
		{"empty success", http.StatusOK, "application/json", ""},
		{"redirect", http.StatusFound, "text/html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "https://elsewhere.example.com/")
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()

			_, err := newClient(t, srv.URL, client.Options{}).Login(context.Background(), api.LoginRequest{})
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || apiErr.Code != api.CodeBadResponse {
				t.Fatalf("error = %v; want bad_response", err)
			}
			if apiErr.Status != tt.status {
				t.Errorf("status = %d; want %d", apiErr.Status, tt.status)
			}
		})
	}
}

func TestErrorEnvelopeIsDecoded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "42")
		writeJSON(w, http.StatusTooManyRequests, `{"error":{"code":"too_many_attempts","message":"Too many wrong codes.","details":{"attempts":5}}}`)
	}))
	defer srv.Close()

	_, err := newClient(t, srv.URL, client.Options{}).TestToken(context.Background(), "t1", api.OTPRequest{OTP: "123456"})
	if !errors.Is(err, api.ErrTooManyAttempts) {
		t.Fatalf("error = %v; want too_many_attempts", err)
	}
	var apiErr *api.Error
	errors.As(err, &apiErr)
	if apiErr.Status != http.StatusTooManyRequests || apiErr.RetryAfter != 42*time.Second || apiErr.Message != "Too many wrong codes." {
		t.Errorf("error = %+v; want status 429, retry after 42s and the server's message", apiErr)
	}
}

func TestRequestsCarryTokenAndEscapedPath(t *testing.T) {
	type seen struct{ auth, path, agent, contentType string }
	requests := make(chan seen, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests <- seen{r.Header.Get("Authorization"), r.URL.EscapedPath(), r.Header.Get("User-Agent"), r.Header.Get("Content-Type")}
		writeJSON(w, http.StatusOK, `{"token":{"id":"a/b c"}}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, client.Options{UserAgent: "Selfservice-Test/1"})
	ctx := context.Background()

	if _, err := c.Token(ctx, "a/b c"); err != nil {
		t.Fatal(err)
	}
	got := <-requests
	want := seen{"", "/api/v1/tokens/a%2Fb%20c", "Selfservice-Test/1", ""}
	if got != want {
		t.Errorf("without a session: request = %+v; want %+v", got, want)
	}

	c.SetSessionToken("session-token-1")
	if _, err := c.UpdateToken(ctx, "../me", api.UpdateTokenRequest{Description: "Phone"}); err != nil {
		t.Fatal(err)
	}
	got = <-requests
	want = seen{"Bearer session-token-1", "/api/v1/tokens/..%2Fme", "Selfservice-Test/1", "application/json"}
	if got != want {
		t.Errorf("with a session: request = %+v; want %+v", got, want)
	}

	c.SetSessionToken("")
	if _, err := c.Token(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if got := <-requests; got.auth != "" {
		t.Errorf("after clearing the token: Authorization = %q; want none", got.auth)
	}
}

func TestSetSessionTokenWhileRequestsRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, client.Options{})

	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 20 {
				if _, err := c.Health(context.Background()); err != nil {
					t.Errorf("Health: %v", err)
					return
				}
			}
		})
		wg.Go(func() {
			for j := range 20 {
				c.SetSessionToken(strings.Repeat("t", i+j))
			}
		})
	}
	wg.Wait()
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	ctx := context.Background()

	t.Run("untrusted certificate", func(t *testing.T) {
		_, err := newClient(t, srv.URL, client.Options{}).Health(ctx)
		if !errors.Is(err, api.ErrCertificateInvalid) {
			t.Fatalf("error = %v; want certificate_invalid", err)
		}
	})

	t.Run("CA bundle trusts it", func(t *testing.T) {
		bundle := filepath.Join(t.TempDir(), "ca.pem")
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := newClient(t, srv.URL, client.Options{CABundle: bundle}).Health(ctx)
		if err != nil || got.Status != "ok" {
			t.Fatalf("Health = %+v, %v; want status ok", got, err)
		}
	})

}

func TestCABundleProblems(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"missing file": filepath.Join(dir, "missing.pem"),
		"not PEM":      notPEM,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := client.New("https://selfservice.example.com", client.Options{CABundle: path})
			if code := codeOf(err); code != api.CodeInvalidRequest {
				t.Fatalf("error = %v (code %q); want invalid_request", err, code)
			}
		})
	}
}

// TestFailuresDoNotRevealTheLoginID checks the whole chain of a transport
// failure: the request URL of the second sign-in step holds the login id,
// which must not reach a message or a log through the cause.
func TestFailuresDoNotRevealTheLoginID(t *testing.T) {
	const loginID = "login-id-that-must-stay-private"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // the server notices a gone client only after the body
		<-r.Context().Done()
	}))
	defer hanging.Close()
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	defer untrusted.Close()

	tests := []struct {
		name, url string
		want      error
	}{
		{"unreachable", closed, api.ErrUnreachable},
		{"timeout", hanging.URL, api.ErrTimeout},
		{"untrusted certificate", untrusted.URL, api.ErrCertificateInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, tt.url, client.Options{Timeout: 50 * time.Millisecond})
			_, err := c.VerifyLogin(context.Background(), loginID, api.VerifyLoginRequest{TokenID: "t", OTP: "123456"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v; want %v", err, tt.want)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), loginID) {
					t.Errorf("%T in the error chain shows the login id: %v", e, e)
				}
			}
		})
	}
}
