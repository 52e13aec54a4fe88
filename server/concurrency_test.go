package server

import (
	"context"
	"sync"
	"testing"

	"selfservice/api"
)

// TestLastActiveTokenUnderConcurrency sends, at the same moment, a
// disable and a delete for each of the user's three ACTIVE tokens:
// however they interleave, exactly one token must stay ACTIVE.
func TestLastActiveTokenUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)

	for round := range 10 {
		for len(activeIDs(t, e, u.ID)) < 3 {
			e.addToken(u.ID, templateTOTP, api.StatusActive)
		}
		start := make(chan struct{})
		statuses := make(chan int, 6)
		var wg sync.WaitGroup
		for _, id := range activeIDs(t, e, u.ID) {
			for _, req := range []struct{ method, path string }{{"POST", "/tokens/" + id + "/disable"}, {"DELETE", "/tokens/" + id}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					statuses <- e.call(req.method, req.path, session, nil).Status
				}()
			}
		}
		close(start)
		wg.Wait()
		close(statuses)

		for status := range statuses {
			// 404: deleted by the other request; 409: last active or already disabled.
			if status != 200 && status != 204 && status != 404 && status != 409 {
				t.Errorf("round %d: status %d, want 200, 204, 404 or 409", round, status)
			}
		}
		if got := activeIDs(t, e, u.ID); len(got) != 1 {
			t.Fatalf("round %d: %d ACTIVE tokens left, want exactly 1", round, len(got))
		}
		// Make room under the template limit for the next round.
		tokens, _ := e.store.Tokens(context.Background(), u.ID)
		for _, tok := range tokens {
			if tok.Status != api.StatusActive {
				e.ok(e.call("DELETE", "/tokens/"+tok.ID, session, nil), 204, nil)
			}
		}
	}
}

func activeIDs(t *testing.T, e *env, userID string) []string {
	t.Helper()
	tokens, err := e.store.Tokens(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tok := range tokens {
		if tok.Status == api.StatusActive {
			ids = append(ids, tok.ID)
		}
	}
	return ids
}

// TestTwoConcurrentDisables is the plain case: two ACTIVE tokens, both
// disabled at once; one request wins, the other gets last_active_token.
func TestTwoConcurrentDisables(t *testing.T) {
	e := newEnv(t)
	u, a, session := e.userWithToken("alice", RoleEmployee)
	b := e.addToken(u.ID, templateTOTP, api.StatusActive)

	for range 10 {
		start := make(chan struct{})
		results := make([]response, 2)
		var wg sync.WaitGroup
		for i, id := range []string{a.ID, b.ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = e.call("POST", "/tokens/"+id+"/disable", session, nil)
			}()
		}
		close(start)
		wg.Wait()

		ok, refused := 0, 0
		for _, res := range results {
			switch res.Status {
			case 200:
				ok++
			case 409:
				e.apiErr(res, api.CodeLastActiveToken)
				refused++
			default:
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
		}
		if ok != 1 || refused != 1 {
			t.Fatalf("%d succeeded and %d were refused, want 1 and 1", ok, refused)
		}
		// Enable again for the next round.
		for _, id := range []string{a.ID, b.ID} {
			if e.token(u.ID, id).Status == api.StatusDisabled {
				e.ok(e.call("POST", "/tokens/"+id+"/enable", session, nil), 200, nil)
			}
		}
	}
}

// TestTemplateLimitUnderConcurrency enrolls many tokens of a template at
// once: no more than the template's maximum may be created.
func TestTemplateLimitUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee) // no HOTP token yet; the limit is 2
	start := make(chan struct{})
	statuses := make(chan int, 6)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			<-start
			statuses <- e.call("POST", "/tokens", session, api.CreateTokenRequest{TemplateID: "hotp-app"}).Status
		})
	}
	close(start)
	wg.Wait()
	close(statuses)

	created := 0
	for status := range statuses {
		switch status {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("status %d, want 201 or 409", status)
		}
	}
	tokens, err := e.store.Tokens(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if created != 2 || len(tokens) != 3 {
		t.Errorf("%d enrollments succeeded and the user has %d tokens, want 2 and 3", created, len(tokens))
	}
}
