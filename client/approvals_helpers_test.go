package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/client"
	"selfservice/server"
)

// person is a signed-in user of the approval tests and the TOTP token
// they confirm step-ups with.
type person struct {
	name    string
	c       *client.Client
	tokenID string // an ACTIVE TOTP token
	secret  string // its secret
}

// setPolicy stores an approval policy or stops the test.
func (b *backend) setPolicy(t *testing.T, p server.ApprovalPolicy) {
	t.Helper()
	if err := server.SetApprovalPolicy(context.Background(), b.store, p); err != nil {
		t.Fatalf("SetApprovalPolicy(%+v): %v", p, err)
	}
}

// signedIn signs a demo user in and names their TOTP token.
func (b *backend) signedIn(t *testing.T, u server.DemoUser) person {
	t.Helper()
	c := b.signIn(t, u)
	tokens, err := c.Tokens(context.Background())
	if err != nil || len(tokens) != 1 {
		t.Fatalf("Tokens of %s = %+v, %v; want the one TOTP token", u.Username, tokens, err)
	}
	return person{name: u.Username, c: c, tokenID: tokens[0].ID, secret: u.TOTPSecret}
}

// newEmployee adds an employee who enrolls a first TOTP token (which
// needs no approval) and stays signed in.
func (b *backend) newEmployee(t *testing.T, username string) person {
	t.Helper()
	c := b.enrollingUser(t, username)
	id, secret := b.addTOTP(t, c)
	return person{name: username, c: c, tokenID: id, secret: secret}
}

// addTOTP enrolls and activates a TOTP token for c and returns its id and
// secret. The enrollment must not need approval.
func (b *backend) addTOTP(t *testing.T, c *client.Client) (string, string) {
	t.Helper()
	ctx := context.Background()
	created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: "totp-app"})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	secret := created.Provisioning.Secret
	if _, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{OTP: b.code(t, secret)}); err != nil {
		t.Fatalf("ActivateToken: %v", err)
	}
	return created.Token.ID, secret
}

// stepUp confirms the approval that err asks for with p's TOTP token,
// as the app does, and returns the approval's id.
func (b *backend) stepUp(t *testing.T, p person, err error) string {
	t.Helper()
	ctx := context.Background()
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("error = %v; want approval_required", err)
	}
	ch, err := p.c.ApprovalChallenge(ctx, step.ApprovalID, api.ApprovalChallengeRequest{TokenID: p.tokenID})
	if err != nil || ch.Proof != api.ProofOTP || ch.WebAuthn != nil {
		t.Fatalf("ApprovalChallenge = %+v, %v; want proof otp", ch, err)
	}
	b.clock.NextStep()
	a, err := p.c.VerifyApproval(ctx, step.ApprovalID, api.VerifyApprovalRequest{TokenID: p.tokenID, OTP: b.code(t, p.secret)})
	if err != nil || a.Status != api.ApprovalVerified {
		t.Fatalf("VerifyApproval = %+v, %v; want VERIFIED", a, err)
	}
	return step.ApprovalID
}

// pendingRequest returns the approval request of an approval_pending
// error.
func pendingRequest(t *testing.T, err error) api.ApprovalRequest {
	t.Helper()
	req, ok := api.ApprovalPending(err)
	if !ok {
		t.Fatalf("error = %v; want approval_pending", err)
	}
	return *req
}

// wantCode fails unless err is an *api.Error with code and the status the
// server sends with it.
func wantCode(t *testing.T, err error, code string) *api.Error {
	t.Helper()
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v; want %s", err, code)
	}
	if apiErr.Code != code || apiErr.Status != api.HTTPStatus(code) {
		t.Fatalf("error = %s (HTTP %d, %q); want %s (HTTP %d)", apiErr.Code, apiErr.Status, apiErr.Message, code, api.HTTPStatus(code))
	}
	if apiErr.Message == "" {
		t.Errorf("error %s has no message for the user", code)
	}
	return apiErr
}

// tokenStatus reads the status of one of p's tokens; "" when it is gone.
func tokenStatus(t *testing.T, p person, id string) api.TokenStatus {
	t.Helper()
	tok, err := p.c.Token(context.Background(), id)
	if errors.Is(err, api.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatalf("Token(%s): %v", id, err)
	}
	return tok.Status
}

// events lists the events of a request's history.
func events(r api.ApprovalRequest) []api.RequestEvent {
	var out []api.RequestEvent
	for _, h := range r.History {
		out = append(out, h.Event)
	}
	return out
}

// comment is a decision's comment.
func comment(text string) api.DecisionRequest {
	return api.DecisionRequest{Comment: text}
}
