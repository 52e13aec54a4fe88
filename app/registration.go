package app

import (
	"context"
	"strings"

	"selfservice/api"
)

// Self-registration at sign-in: the account is created on the server at
// serverURL, and activated with the link the server emails (pasted into
// the app, or opened in the browser) before the first sign-in.

// Registration is what the Create account form holds.
type Registration struct {
	DisplayName, Username, Email string
	Password, Repeat             string
}

// Register creates the account. The fields are checked before anything
// is sent, each a field error of its name (display_name, username,
// email, password, confirm_password), the password against policy, the
// policy the server's RecoveryOptions gave; the server may still refuse
// the username as taken.
func (s *Session) Register(ctx context.Context, serverURL string, policy api.PasswordPolicy, r Registration) (api.RecoverySent, error) {
	req := api.RegisterRequest{Username: api.NormalizeUsername(r.Username), DisplayName: strings.TrimSpace(r.DisplayName),
		Email: strings.TrimSpace(r.Email), Password: r.Password}
	if err := req.Validate(); err != nil {
		return api.RecoverySent{}, err
	}
	if problems := policy.Check(r.Password, req.Username); len(problems) > 0 {
		return api.RecoverySent{}, api.FieldError(map[string]string{"password": problems[0].Message})
	}
	if r.Repeat != r.Password {
		return api.RecoverySent{}, api.FieldError(map[string]string{"confirm_password": "The two passwords differ. Type the same password in both fields."})
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.RecoverySent{}, err
	}
	return b.Register(ctx, req)
}

// ResendActivation asks for the activation link of username again; the
// answer is the same whatever the username.
func (s *Session) ResendActivation(ctx context.Context, serverURL, username string) (api.RecoverySent, error) {
	req := api.RegisterResendRequest{Username: api.NormalizeUsername(username)}
	if err := req.Validate(); err != nil {
		return api.RecoverySent{}, err
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.RecoverySent{}, err
	}
	return b.ResendActivation(ctx, req.Username)
}

// Activate activates the account of the link the user pasted (the whole
// link from the email, or its last part). Something that is no link is
// a field error of "link", found before anything is sent; an expired or
// used link is api.ErrLinkInvalid.
func (s *Session) Activate(ctx context.Context, serverURL, pasted string) (api.Activated, error) {
	token, ok := api.LinkToken(pasted)
	if !ok {
		return api.Activated{}, errNotALink()
	}
	b, err := s.anonymous(serverURL)
	if err != nil {
		return api.Activated{}, err
	}
	return b.Activate(ctx, token)
}

func errNotALink() error {
	return api.FieldError(map[string]string{"link": "This is not the link from the email. Copy the whole link, starting with https://, and paste it here."})
}
