package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/server/storetest"
)

// Load benchmark: loadClients concurrent clients on loopback, each sending
// requests one after another for loadDuration, first to a bare net/http
// handler (what the machine and the HTTP stack allow) and then to
// GET /api/v1/tokens with a session (what the server makes of it). The
// ratio of the two throughputs is the figure to watch: it does not depend
// much on the machine. SELFSERVICE_LOAD_SECONDS changes the duration of
// each phase.
const loadClients = 200

func loadDuration() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("SELFSERVICE_LOAD_SECONDS")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 5 * time.Second
}

// loadResult is what one phase measured.
type loadResult struct {
	requests int
	perSec   float64
	p50, p99 time.Duration
}

// BenchmarkLoadTokens reports req/s, p50 and p99 of the bare handler and
// of GET /tokens, and their ratio (tokens-req/s ÷ bare-req/s), on SQLite
// and, when a PostgreSQL server is given (see storetest), on PostgreSQL.
func BenchmarkLoadTokens(b *testing.B) {
	b.Run("SQLite", func(b *testing.B) {
		loadTokens(b, filepath.Join(b.TempDir(), "selfservice.db"))
	})
	if os.Getenv(storetest.EnvPostgres) != "" {
		b.Run("PostgreSQL", func(b *testing.B) {
			loadTokens(b, storetest.Schema(b, "load"))
		})
	}
}

func loadTokens(b *testing.B, dsn string) {
	ctx := context.Background()
	store, err := Open(ctx, dsn, WithSecretBox(testSecrets))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv := New(store, Config{Secrets: testSecrets, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	session := loadSession(b, srv)

	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"tokens":[]}`)
	}))
	defer bare.Close()
	app := httptest.NewServer(srv.Handler())
	defer app.Close()

	for b.Loop() { // once: each phase runs for a fixed time, not b.N requests
		base := runLoad(b, bare.URL+"/", "")
		tokens := runLoad(b, app.URL+"/api/v1/tokens", session)
		report(b, "bare", base)
		report(b, "tokens", tokens)
		b.ReportMetric(tokens.perSec/base.perSec, "ratio")
		b.Logf("%d clients, %s each: bare %.0f req/s p50 %s p99 %s; GET /tokens %.0f req/s p50 %s p99 %s; ratio %.3f",
			loadClients, loadDuration(), base.perSec, base.p50, base.p99,
			tokens.perSec, tokens.p50, tokens.p99, tokens.perSec/base.perSec)
	}
}

func report(b *testing.B, name string, r loadResult) {
	b.ReportMetric(r.perSec, name+"-req/s")
	b.ReportMetric(float64(r.p50.Microseconds())/1000, name+"-p50-ms")
	b.ReportMetric(float64(r.p99.Microseconds())/1000, name+"-p99-ms")
}

// loadSession makes a user with an ACTIVE TOTP token and two more tokens,
// and returns a session token of theirs.
func loadSession(b *testing.B, srv *Server) string {
	ctx := context.Background()
	u, err := AddUser(ctx, srv.store, "load", "", RoleEmployee, "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	tpl, err := srv.store.Template(ctx, templateTOTP)
	if err != nil {
		b.Fatal(err)
	}
	for _, status := range []api.TokenStatus{api.StatusActive, api.StatusActive, api.StatusDisabled} {
		if err := srv.store.CreateToken(ctx, newToken(u.ID, tpl, "", status, time.Now()), 0); err != nil {
			b.Fatal(err)
		}
	}
	token, _, err := srv.newSession(ctx, u.ID, api.MethodPassword, signInSource{})
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// runLoad has loadClients clients GET url for loadDuration and measures
// every request. Any answer but 200 fails the benchmark.
func runLoad(b *testing.B, url, session string) loadResult {
	transport := &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(loadDuration())
	for range loadClients {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if session != "" {
					req.Header.Set("Authorization", "Bearer "+session)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Errorf("GET %s: status %d", url, res.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		b.Fatalf("GET %s: no request finished", url)
	}
	slices.Sort(latencies)
	return loadResult{
		requests: len(latencies),
		perSec:   float64(len(latencies)) / elapsed.Seconds(),
		p50:      latencies[len(latencies)*50/100],
		p99:      latencies[len(latencies)*99/100],
	}
}
