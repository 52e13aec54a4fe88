package client_test

import (
	"net/http"
	"testing"

	"selfservice/client"
)

// newClient makes a client or stops the test.
func newClient(t testing.TB, serverURL string, opts client.Options) *client.Client {
	t.Helper()
	c, err := client.New(serverURL, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", serverURL, err)
	}
	return c
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
