package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"selfservice/api"
	"selfservice/hw"
	"selfservice/server"
)

// Security keys end to end: the software authenticator of package hw, the
// client, and the real server over HTTP with its WebAuthn relying party.

func TestSecurityKeyEnrollSignInAndTest(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	c := b.signIn(t, b.demo)
	key := newSecurityKey(t)

	templates, err := c.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(templates, func(tpl api.TokenTemplate) bool { return tpl.ID == templateKey })
	if i < 0 || templates[i].Type != api.TypeFIDO2 || templates[i].WebAuthn == nil ||
		templates[i].WebAuthn.UserVerification != api.WebAuthnPreferred || templates[i].WebAuthn.Passwordless {
		t.Fatalf("templates = %+v; want %s, a FIDO2 template with user verification preferred", templates, templateKey)
	}

	tok := enrollKey(t, c, templateKey, key)
	if tok.Type != api.TypeFIDO2 || tok.Status != api.StatusActive || !strings.HasPrefix(tok.Label, "FIDO2-") ||
		tok.Description != "My key" || tok.Credential == nil {
		t.Fatalf("enrolled token = %+v; want an ACTIVE FIDO2 token labelled FIDO2-… with its credential", tok)
	}
	rps, err := key.Credentials(ctx, keyPIN)
	if err != nil {
		t.Fatal(err)
	}
	if len(rps) != 0 {
		t.Errorf("the key stores %d passkeys for a template that discourages them, want none", len(rps))
	}

	// Sign in: password, then the key.
	c2 := b.client(t)
	login, err := c2.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(login.Methods, api.LoginMethod{TokenID: tok.ID, Type: api.TypeFIDO2, Label: tok.Label, Name: tok.Description}) {
		t.Fatalf("methods = %+v; want the security key among them", login.Methods)
	}
	ch, err := c2.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: tok.ID})
	if err != nil {
		t.Fatalf("LoginChallenge: %v", err)
	}
	if got := credentialIDs(t, *ch.WebAuthn, "allowCredentials"); !slices.Equal(got, []string{tok.Credential.ID}) {
		t.Errorf("allowCredentials = %v, want only the token's credential %s", got, tok.Credential.ID)
	}
	sess, err := c2.VerifyLogin(ctx, login.LoginID, api.VerifyLoginRequest{TokenID: tok.ID, WebAuthn: key.sign(t, *ch.WebAuthn, "")})
	if err != nil {
		t.Fatalf("VerifyLogin with the key: %v", err)
	}
	c2.SetSessionToken(sess.SessionToken)
	if me, err := c2.Me(ctx); err != nil || me.User.Username != b.demo.Username {
		t.Fatalf("Me after signing in with the key = %+v, %v", me, err)
	}

	// Test the key from the tokens list.
	b.clock.NextStep()
	test, err := c2.TokenChallenge(ctx, tok.ID)
	if err != nil {
		t.Fatalf("TokenChallenge: %v", err)
	}
	tested, err := c2.TestToken(ctx, tok.ID, api.OTPRequest{WebAuthn: key.sign(t, *test.WebAuthn, "")})
	if err != nil {
		t.Fatalf("TestToken with the key: %v", err)
	}
	if tested.LastUsedAt == nil || !tested.LastUsedAt.Equal(b.clock.Now()) {
		t.Errorf("last used = %v, want the test's time %v", tested.LastUsedAt, b.clock.Now())
	}
}

func TestPasskeySignsInWithoutPassword(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	key := newSecurityKey(t)
	tok := enrollKey(t, b.signIn(t, b.demo), templatePasskey, key)

	rps, err := key.Credentials(ctx, keyPIN)
	if err != nil {
		t.Fatal(err)
	}
	if len(rps) != 1 || rps[0].RP.ID != server.DefaultRPID || len(rps[0].Credentials) != 1 ||
		rps[0].Credentials[0].User.Name != b.demo.Username {
		t.Fatalf("passkeys on the key = %+v; want one for %s named %s", rps, server.DefaultRPID, b.demo.Username)
	}

	c := b.client(t)
	start, err := c.Passwordless(ctx)
	if err != nil {
		t.Fatalf("Passwordless: %v", err)
	}
	opts := optionsJSON(t, start.WebAuthn)
	if start.LoginID == "" || opts["userVerification"] != "required" || len(credentialIDs(t, start.WebAuthn, "allowCredentials")) != 0 {
		t.Fatalf("Passwordless = %s; want a login id, user verification required and no allowed credentials", start.WebAuthn.PublicKey)
	}
	answer := key.sign(t, start.WebAuthn, "")
	sess, err := c.VerifyPasswordless(ctx, start.LoginID, api.PasswordlessVerifyRequest{WebAuthn: answer})
	if err != nil {
		t.Fatalf("VerifyPasswordless: %v", err)
	}
	c.SetSessionToken(sess.SessionToken)
	if me, err := c.Me(ctx); err != nil || me.User.Username != b.demo.Username {
		t.Fatalf("Me after a passwordless sign-in = %+v, %v; want %s", me, err, b.demo.Username)
	}
	got, err := c.Token(ctx, tok.ID)
	if err != nil || got.LastUsedAt == nil {
		t.Errorf("passkey token after sign-in = %+v, %v; want a last use", got, err)
	}

	// The same answer again: the sign-in is used up.
	_, err = b.client(t).VerifyPasswordless(ctx, start.LoginID, api.PasswordlessVerifyRequest{WebAuthn: answer})
	if !errors.Is(err, api.ErrLoginExpired) {
		t.Errorf("replayed passwordless answer = %v, want login_expired", err)
	}
}

// keyFixture is a backend whose demo user has enrolled a security key.
type keyFixture struct {
	b   *backend
	key securityKey
	tok api.Token
}

func newKeyFixture(t *testing.T, cfg server.Config, templateID string) keyFixture {
	t.Helper()
	b := newBackendWith(t, cfg)
	key := newSecurityKey(t)
	return keyFixture{b: b, key: key, tok: enrollKey(t, b.signIn(t, b.demo), templateID, key)}
}

// login starts a sign-in with the key's token.
func (f keyFixture) login(t *testing.T) (string, api.WebAuthnOptions) {
	t.Helper()
	return keyLogin(t, f.b.client(t), f.b.demo.Username, f.b.demo.Password, f.tok.ID)
}

// verify finishes a sign-in with an answer.
func (f keyFixture) verify(t *testing.T, loginID string, answer json.RawMessage) error {
	_, err := f.b.client(t).VerifyLogin(context.Background(), loginID, api.VerifyLoginRequest{TokenID: f.tok.ID, WebAuthn: answer})
	return err
}

func TestSecurityKeySignInFailures(t *testing.T) {
	tests := []struct {
		name   string
		answer func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage
		want   error
	}{
		{"wrong origin", func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage {
			return f.key.sign(t, opts, "https://evil.localhost")
		}, api.ErrWebAuthnInvalid},
		{"tampered signature", func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage {
			return tamperSignature(t, f.key.sign(t, opts, ""))
		}, api.ErrWebAuthnInvalid},
		{"expired challenge", func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage {
			answer := f.key.sign(t, opts, "")
			f.b.clock.Advance(2*time.Minute + time.Second)
			return answer
		}, api.ErrChallengeExpired},
		{"counter regression of a cloned key", func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage {
			clone := f.key.clone(t)
			loginID, first := f.login(t)
			if err := f.verify(t, loginID, f.key.sign(t, first, "")); err != nil {
				t.Fatalf("sign-in with the original key: %v", err)
			}
			return clone.sign(t, opts, "") // the same counter value once more
		}, api.ErrCredentialCloned},
		{"answer to a test challenge", func(t *testing.T, f keyFixture, opts api.WebAuthnOptions) json.RawMessage {
			other, err := f.b.signIn(t, f.b.demo).TokenChallenge(context.Background(), f.tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			return f.key.sign(t, *other.WebAuthn, "")
		}, api.ErrWebAuthnInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newKeyFixture(t, server.Config{RPOrigins: []string{"https://localhost", "https://app.localhost"}}, templateKey)
			loginID, opts := f.login(t)
			err := f.verify(t, loginID, tt.answer(t, f, opts))
			var apiErr *api.Error
			if !errors.Is(err, tt.want) || !errors.As(err, &apiErr) {
				t.Fatalf("VerifyLogin = %v, want %v", err, tt.want)
			}
			if apiErr.Status != 401 || apiErr.Message == "" {
				t.Errorf("error %+v, want 401 with a message", apiErr)
			}
		})
	}
}

func TestSecurityKeyChallengeIsAnsweredOnce(t *testing.T) {
	f := newKeyFixture(t, server.Config{}, templateKey)
	loginID, opts := f.login(t)
	answer := f.key.sign(t, opts, "")

	// A wrong answer uses the challenge up: the right one comes too late.
	if err := f.verify(t, loginID, tamperSignature(t, answer)); !errors.Is(err, api.ErrWebAuthnInvalid) {
		t.Fatalf("tampered answer = %v, want webauthn_invalid", err)
	}
	if err := f.verify(t, loginID, answer); !errors.Is(err, api.ErrChallengeExpired) {
		t.Fatalf("answer to a used challenge = %v, want challenge_expired", err)
	}

	// A new challenge in the same login works once; a replay after the
	// sign-in finds the login used up.
	ch, err := f.b.client(t).LoginChallenge(context.Background(), loginID, api.LoginChallengeRequest{TokenID: f.tok.ID})
	if err != nil {
		t.Fatal(err)
	}
	answer = f.key.sign(t, *ch.WebAuthn, "")
	if err := f.verify(t, loginID, answer); err != nil {
		t.Fatalf("answer to a new challenge = %v, want success", err)
	}
	if err := f.verify(t, loginID, answer); !errors.Is(err, api.ErrLoginExpired) {
		t.Fatalf("replayed answer = %v, want login_expired", err)
	}
}

func TestSecurityKeyFailuresLockTheToken(t *testing.T) {
	f := newKeyFixture(t, server.Config{}, templateKey) // the backend locks after 3 failures
	loginID, opts := f.login(t)
	var err error
	for range 3 {
		err = f.verify(t, loginID, tamperSignature(t, f.key.sign(t, opts, "")))
		ch, chErr := f.b.client(t).LoginChallenge(context.Background(), loginID, api.LoginChallengeRequest{TokenID: f.tok.ID})
		if chErr == nil {
			opts = *ch.WebAuthn
		}
	}
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeTooManyAttempts || apiErr.RetryAfter <= 0 {
		t.Fatalf("third failure = %v, want too_many_attempts with Retry-After", err)
	}
	// A new sign-in cannot even ask the locked key.
	c := f.b.client(t)
	login, err := c.Login(context.Background(), api.LoginRequest{Username: f.b.demo.Username, Password: f.b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.LoginChallenge(context.Background(), login.LoginID, api.LoginChallengeRequest{TokenID: f.tok.ID})
	if !errors.Is(err, api.ErrTooManyAttempts) {
		t.Errorf("challenge of a locked key = %v, want too_many_attempts", err)
	}
}

func TestSecurityKeyRegistrationFailures(t *testing.T) {
	ctx := context.Background()

	t.Run("key registered already", func(t *testing.T) {
		b := newBackend(t)
		c := b.signIn(t, b.demo)
		key := newSecurityKey(t)
		first := enrollKey(t, c, templateKey, key)
		created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateKey})
		if err != nil {
			t.Fatal(err)
		}
		if got := credentialIDs(t, *created.WebAuthn, "excludeCredentials"); !slices.Equal(got, []string{first.Credential.ID}) {
			t.Errorf("excludeCredentials = %v, want the registered key %s", got, first.Credential.ID)
		}
		_, err = hw.Register(ctx, key, created.WebAuthn.PublicKey, "", keyPIN, nil)
		if !errors.Is(err, hw.ErrCredentialExcluded) {
			t.Errorf("registering the same key again = %v, want hw.ErrCredentialExcluded", err)
		}
	})

	t.Run("expired registration, then new options", func(t *testing.T) {
		b := newBackend(t)
		c := b.signIn(t, b.demo)
		key := newSecurityKey(t)
		created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateKey})
		if err != nil {
			t.Fatal(err)
		}
		answer := key.register(t, *created.WebAuthn)
		b.clock.Advance(2*time.Minute + time.Second)
		if _, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{WebAuthn: answer}); !errors.Is(err, api.ErrChallengeExpired) {
			t.Fatalf("late answer = %v, want challenge_expired", err)
		}
		again, err := c.TokenChallenge(ctx, created.Token.ID)
		if err != nil {
			t.Fatalf("TokenChallenge of the PENDING token: %v", err)
		}
		tok, err := c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{WebAuthn: key.register(t, *again.WebAuthn)})
		if err != nil || tok.Status != api.StatusActive {
			t.Fatalf("activation with new options = %+v, %v; want ACTIVE", tok, err)
		}
	})

	for _, tt := range []struct {
		name   string
		rpID   string // in the options the key gets; "" leaves the server's
		origin string // "" is https://<rpId>
	}{
		{"wrong origin", "", "https://evil.localhost"},
		// app.localhost is an allowed origin, but a client that takes it
		// for the RP ID makes the key bind the credential to it.
		{"wrong relying party ID", "app.localhost", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackendWith(t, server.Config{RPOrigins: []string{"https://localhost", "https://app.localhost"}})
			c := b.signIn(t, b.demo)
			created, err := c.CreateToken(ctx, api.CreateTokenRequest{TemplateID: templateKey})
			if err != nil {
				t.Fatal(err)
			}
			opts := created.WebAuthn.PublicKey
			if tt.rpID != "" {
				opts = editJSON(t, opts, func(m map[string]any) { m["rp"].(map[string]any)["id"] = tt.rpID })
			}
			answer, err := hw.Register(ctx, newSecurityKey(t), opts, tt.origin, keyPIN, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ActivateToken(ctx, created.Token.ID, api.OTPRequest{WebAuthn: answer})
			if !errors.Is(err, api.ErrWebAuthnInvalid) {
				t.Fatalf("ActivateToken = %v, want webauthn_invalid", err)
			}
			tok, err := c.Token(ctx, created.Token.ID)
			if err != nil || tok.Status != api.StatusPending || tok.Credential != nil {
				t.Errorf("token after the refused answer = %+v, %v; want it PENDING without credential", tok, err)
			}
		})
	}

	t.Run("first token of a new user", func(t *testing.T) {
		b := newBackend(t)
		c := b.enrollingUser(t, "newbie")
		tok := enrollKey(t, c, templatePasskey, newSecurityKey(t))
		me, err := c.Me(ctx)
		if err != nil || me.User.Enrollment != api.EnrollmentFull || tok.Status != api.StatusActive {
			t.Fatalf("after enrolling a first key: token %+v, me %+v, %v; want ACTIVE and full enrollment", tok, me, err)
		}
	})
}

func TestSecurityKeyTokensOfOthersAndDisabledOnes(t *testing.T) {
	ctx := context.Background()
	f := newKeyFixture(t, server.Config{}, templatePasskey)
	b := f.b
	helpdesk, err := b.signIn(t, b.helpdesk).Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := b.client(t)
	login, err := c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: helpdesk[0].ID})
	if fields := fieldErrors(err); fields["token_id"] == "" {
		t.Errorf("challenge for another user's token = %v, want a token_id field error", err)
	}
	demo := b.signIn(t, b.demo)
	if _, err := demo.TokenChallenge(ctx, helpdesk[0].ID); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("TokenChallenge of another user's token = %v, want not_found", err)
	}

	// Disabled, the key is no sign-in method, cannot be tested, and its
	// passkey does not sign in.
	start, err := b.client(t).Passwordless(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer := f.key.sign(t, start.WebAuthn, "")
	if _, err := demo.DisableToken(ctx, f.tok.ID); err != nil {
		t.Fatal(err)
	}
	login, err = c.Login(ctx, api.LoginRequest{Username: b.demo.Username, Password: b.demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(login.Methods, func(m api.LoginMethod) bool { return m.TokenID == f.tok.ID }) {
		t.Errorf("methods = %+v; the DISABLED key is among them", login.Methods)
	}
	_, err = c.LoginChallenge(ctx, login.LoginID, api.LoginChallengeRequest{TokenID: f.tok.ID})
	if fields := fieldErrors(err); fields["token_id"] == "" {
		t.Errorf("challenge for a DISABLED key = %v, want a token_id field error", err)
	}
	if _, err := demo.TokenChallenge(ctx, f.tok.ID); !errors.Is(err, api.ErrInvalidState) {
		t.Errorf("TokenChallenge of a DISABLED key = %v, want invalid_state", err)
	}
	_, err = b.client(t).VerifyPasswordless(ctx, start.LoginID, api.PasswordlessVerifyRequest{WebAuthn: answer})
	if !errors.Is(err, api.ErrInvalidState) {
		t.Errorf("passwordless sign-in with a DISABLED key = %v, want invalid_state", err)
	}
}
