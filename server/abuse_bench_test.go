package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"selfservice/api"
)

// BenchmarkParallelWrongSignIns sends 200 wrong-password sign-ins at once
// with the production argon2id cost (64 MiB a check) and reports the
// process's peak resident memory: bounded password checks keep it far
// below 200 × 64 MiB. Answers beyond what the checks can serve in time
// are server_busy with Retry-After, never an out-of-memory crash.
func BenchmarkParallelWrongSignIns(b *testing.B) {
	saved := passwordCost
	passwordCost = productionCost
	defer func() { passwordCost = saved }()

	store, err := OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "selfservice.db"), WithSecretBox(testSecrets))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv := New(store, Config{
		Secrets:       testSecrets,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		SourceRate:    1e6, // the rate limits would stop most of them first: measure the checks alone
		SourceBurst:   1e6,
		AnonymousRate: 1e6,
	})
	if _, err := AddUser(context.Background(), store, "victim", "", RoleEmployee, "correct horse battery"); err != nil {
		b.Fatal(err)
	}
	app := httptest.NewServer(srv.Handler())
	defer app.Close()
	body, _ := json.Marshal(api.LoginRequest{Username: "victim", Password: "wrong password"})

	for b.Loop() {
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for range 200 {
			wg.Go(func() {
				res, err := http.Post(app.URL+api.BasePath+"/auth/login", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
					b.Error("server_busy without Retry-After")
				}
				mu.Lock()
				statuses[res.StatusCode]++
				mu.Unlock()
			})
		}
		wg.Wait()
		b.ReportMetric(peakRSSMiB(b), "peak-rss-MiB")
		b.Logf("200 parallel wrong sign-ins, %d password checks at once: answers %v, peak RSS %.0f MiB",
			srv.cfg.MaxHashes, statuses, peakRSSMiB(b))
	}
}

// peakRSSMiB is the process's peak resident set size (VmHWM).
func peakRSSMiB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status here")
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("VmHWM missing from /proc/self/status")
	return 0
}
