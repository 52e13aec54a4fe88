package client_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

// Decisions, revocations and approved calls racing each other on the real
// SQLite database: each race ends in one consistent state, and an action
// runs at most once.

const rounds = 10

// race runs the calls at the same moment and returns their errors, in
// the calls' order.
func race(calls ...func() error) []error {
	start := make(chan struct{})
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = call()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// executions counts how often a request's action ran.
func executions(r api.ApprovalRequest) int {
	n := 0
	for _, e := range events(r) {
		if e == api.EventExecuted {
			n++
		}
	}
	return n
}

func TestTwoApproversDecidingAtOnce(t *testing.T) {
	ctx := context.Background()
	for _, required := range []int{1, 2} {
		f := newApproverFixture(t, server.Config{}, required)
		for round := range rounds {
			req := f.request(t)
			errs := race(
				func() error { _, err := f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Yes.")); return err },
				func() error { _, err := f.erin.c.ApproveRequest(ctx, req.ID, comment("Yes.")); return err },
			)
			wantOK := 2 // both approvals count
			if required == 1 {
				wantOK = 1 // the second finds it decided
			}
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, api.ErrInvalidState):
					t.Fatalf("required %d, round %d: error %v; want none or invalid_state", required, round, err)
				}
			}
			got, err := f.demo.c.Request(ctx, req.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ok != wantOK || got.Status != api.RequestApproved || executions(got) != 1 || got.Approvals() != wantOK {
				t.Fatalf("required %d, round %d: %d approvals succeeded, request %s with %d approvals, action ran %d times; want %d, APPROVED, %d, once",
					required, round, ok, got.Status, got.Approvals(), executions(got), wantOK, wantOK)
			}
			if status := tokenStatus(t, f.demo, f.target); status != api.StatusDisabled {
				t.Fatalf("required %d, round %d: token %s; want DISABLED", required, round, status)
			}
			if _, err := f.demo.c.EnableToken(ctx, f.target); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestApprovalRacingRevoke(t *testing.T) {
	ctx := context.Background()
	f := newApproverFixture(t, server.Config{}, 1)
	wins := map[api.RequestStatus]int{}
	for round := range rounds {
		req := f.request(t)
		errs := race(
			func() error { _, err := f.helpdesk.c.ApproveRequest(ctx, req.ID, comment("Yes.")); return err },
			func() error { _, err := f.demo.c.RevokeRequest(ctx, req.ID); return err },
		)
		got, err := f.demo.c.Request(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		wins[got.Status]++
		token := tokenStatus(t, f.demo, f.target)
		switch {
		case got.Status == api.RequestApproved && errs[0] == nil && errors.Is(errs[1], api.ErrInvalidState) &&
			executions(got) == 1 && token == api.StatusDisabled:
			if _, err := f.demo.c.EnableToken(ctx, f.target); err != nil {
				t.Fatal(err)
			}
		case got.Status == api.RequestRevoked && errs[1] == nil && errors.Is(errs[0], api.ErrInvalidState) &&
			executions(got) == 0 && token == api.StatusActive:
		default:
			t.Fatalf("round %d: approve %v, revoke %v, request %s (action ran %d times), token %s; want one of them to win consistently",
				round, errs[0], errs[1], got.Status, executions(got), token)
		}
	}
	t.Logf("approval won %d and revocation %d of %d races", wins[api.RequestApproved], wins[api.RequestRevoked], rounds)
}

// TestApprovalUsedOnceUnderConcurrency repeats an approved enrollment
// several times at once: one call enrolls, the others find the approval
// used. Both kinds of approval are tried: a step-up and an approved
// request.
func TestApprovalUsedOnceUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	if err := server.SeedDemoApprovals(ctx, b.store); err != nil {
		t.Fatal(err)
	}
	demo, helpdesk := b.signedIn(t, b.demo), b.signedIn(t, b.helpdesk)
	const callers = 4
	for round := range rounds {
		req := api.CreateTokenRequest{TemplateID: "totp-app", Description: "Phone"}
		var approval string
		if round%2 == 0 {
			_, err := demo.c.CreateToken(ctx, req)
			approval = b.stepUp(t, demo, err)
		} else {
			req.TemplateID = "hotp-app"
			_, err := demo.c.CreateToken(ctx, req)
			pending := pendingRequest(t, err)
			if _, err := helpdesk.c.ApproveRequest(ctx, pending.ID, comment("Yes.")); err != nil {
				t.Fatal(err)
			}
			approval = pending.ID
		}
		ids := make([]string, callers)
		calls := make([]func() error, callers)
		for i := range calls {
			calls[i] = func() error {
				created, err := demo.c.CreateToken(api.WithApproval(ctx, approval), req)
				ids[i] = created.Token.ID
				return err
			}
		}
		ok := 0
		var enrolled string
		for i, err := range race(calls...) {
			switch {
			case err == nil:
				ok++
				enrolled = ids[i]
			case !errors.Is(err, api.ErrApprovalUsed):
				t.Fatalf("round %d: error %v; want none or approval_used", round, err)
			}
		}
		tokens, err := demo.c.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(tokens) != 2 {
			t.Fatalf("round %d: %d calls enrolled, %d tokens; want exactly one enrollment", round, ok, len(tokens))
		}
		if err := demo.c.DeleteToken(ctx, enrolled); err != nil { // PENDING: no approval needed
			t.Fatal(err)
		}
	}
}

// TestOneRequestForParallelAsks: the same action asked for at once makes
// one approval request.
func TestOneRequestForParallelAsks(t *testing.T) {
	f := newApproverFixture(t, server.Config{}, 1)
	ids := make([]string, 4)
	calls := make([]func() error, len(ids))
	for i := range calls {
		calls[i] = func() error {
			_, err := f.demo.c.DisableToken(context.Background(), f.target)
			if req, ok := api.ApprovalPending(err); ok {
				ids[i] = req.ID
				return nil
			}
			return err
		}
	}
	for _, err := range race(calls...) {
		if err != nil {
			t.Fatalf("DisableToken: %v; want approval_pending", err)
		}
	}
	mine, err := f.demo.c.Requests(context.Background(), api.FilterAll)
	if err != nil || len(mine) != 1 || slices.ContainsFunc(ids, func(id string) bool { return id != mine[0].ID }) {
		t.Errorf("requests = %+v (answers named %v), %v; want one request for all", mine, ids, err)
	}
}
