package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
	"selfservice/server/notify"
)

// Self-registration (Tenant.Registration): someone without an account
// creates one at the sign-in screen. With activation (the default) the
// account signs in only once the email address given is confirmed by the
// one-time link sent to it; an account never activated is purged after
// unactivatedRetention, freeing its username. A taken username is said
// (it cannot be otherwise), an address that already has an account is
// not: the answer is the same, and the address's owner is told by email.

// linkActivation is the purpose of an activation link.
const linkActivation = "activation"

// register answers POST /auth/register.
func (s *Server) register(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if err := s.registrationOffered(); err != nil {
		return err
	}
	var req api.RegisterRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	reg := s.cfg.Tenant.Registration
	now := s.now()
	user := UserRecord{
		ID:                uuid.NewString(),
		Username:          api.NormalizeUsername(req.Username),
		DisplayName:       strings.TrimSpace(req.DisplayName),
		Role:              reg.role(),
		CreatedAt:         now,
		PendingActivation: reg.activation(),
	}
	email := api.NormalizeEmail(req.Email)
	problems, err := s.passwordProblems(ctx, user, "", req.Password)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errPolicyOn("password", problems)
	}
	if _, err := s.store.UserByUsername(ctx, user.Username); err == nil {
		return errUsernameTaken()
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	// Hashed whether or not the account is made, so that the answer
	// takes as long when the address already has an account.
	if user.PasswordHash, err = s.hashPassword(ctx, req.Password); err != nil {
		return err
	}
	if !user.PendingActivation {
		if err := s.createRegistered(ctx, user, email); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "Account registered", "user", user.ID)
		writeJSON(w, http.StatusOK, api.RecoverySent{Message: "Your account is ready. Sign in with your username and password.", ResendAt: now})
		return nil
	}
	owners, addresses, err := s.emailOwners(ctx, email)
	if err != nil {
		return err
	}
	if len(owners) > 0 {
		if err := s.sendAccountExists(ctx, owners, addresses[0]); err != nil {
			return err
		}
	} else {
		if err := s.createRegistered(ctx, user, email); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "Account registered, waiting for activation", "user", user.ID)
		if err := s.sendActivationLink(ctx, user, email); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, api.RecoverySent{
		Message: fmt.Sprintf("Check your email: we sent a link to %s. Open it within %s to confirm your address, then sign in. Look in the spam folder too.",
			email, humanDuration(reg.linkTTL())),
		ResendAt: now.Add(s.cfg.CodeResend),
	})
	return nil
}

// createRegistered stores a new account with email as the unconfirmed
// value of the registration's contact field.
func (s *Server) createRegistered(ctx context.Context, user UserRecord, email string) error {
	err := s.store.Atomically(ctx, func(tx Store) error {
		if err := tx.CreateUser(ctx, user); err != nil {
			return err
		}
		return tx.SetContact(ctx, ContactRecord{UserID: user.ID, FieldID: s.cfg.Tenant.Registration.emailField(), Value: email, UpdatedAt: user.CreatedAt})
	})
	if errors.Is(err, ErrConflict) {
		return errUsernameTaken()
	}
	return err
}

func errUsernameTaken() error {
	return api.FieldError(map[string]string{"username": "This username is taken. Choose another one."})
}

// sendAccountExists tells address, in place of an activation link, which
// accounts it already has.
func (s *Server) sendAccountExists(ctx context.Context, owners []UserRecord, address string) error {
	var names []string
	for _, u := range owners {
		names = append(names, "    "+u.Username)
	}
	msg := notify.Message{
		Channel: notify.ChannelEmail,
		To:      address,
		Subject: "You already have a " + s.cfg.Issuer + " account",
		Body: fmt.Sprintf("Someone, probably you, tried to create a %s account with this email address. You already have an account:\n\n%s\n\n"+
			"Sign in with it. Forgot your password? On the sign-in screen, choose Forgot password?.\n\n"+
			"If you did not ask for this, ignore this email: nothing was changed.\n", s.cfg.Issuer, strings.Join(names, "\n")),
	}
	err := s.store.Atomically(ctx, func(tx Store) error {
		if err := s.checkRecipient(ctx, tx, notify.ChannelEmail, address); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, owners[0].ID, msg, time.Time{})
	})
	return quietly(err)
}

// sendActivationLink sends user a new activation link at address.
func (s *Server) sendActivationLink(ctx context.Context, user UserRecord, address string) error {
	ttl := s.cfg.Tenant.Registration.linkTTL()
	return s.sendLink(ctx, user, linkActivation, ttl, func(base, token string) notify.Message {
		return notify.Message{
			Channel: notify.ChannelEmail,
			To:      address,
			Subject: "Confirm your " + s.cfg.Issuer + " account",
			Body: fmt.Sprintf("Welcome to %s. To confirm this email address and activate your account %s, open this link within %s:\n\n    %s/activate/%s\n\n"+
				"You can also paste the link into %s: on the sign-in screen, choose Create account, then I have a link.\n"+
				"The link works once. Then sign in with your username and password.\n\n"+
				"If you did not create this account, ignore this email: it is removed in two days.\n",
				s.cfg.Issuer, user.Username, humanDuration(ttl), base, token, s.cfg.Issuer),
		}
	})
}

// resendActivation answers POST /auth/register/resend alike for every
// username: only an account waiting for activation gets a new link.
func (s *Server) resendActivation(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if err := s.registrationOffered(); err != nil {
		return err
	}
	var req api.RegisterResendRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	user, err := s.store.UserByUsername(ctx, api.NormalizeUsername(req.Username))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err == nil && user.PendingActivation {
		address, err := s.activationAddress(ctx, user.ID)
		if err != nil {
			return err
		}
		if address != "" {
			if err := s.sendActivationLink(ctx, user, address); err != nil {
				return err
			}
		}
	}
	writeJSON(w, http.StatusOK, api.RecoverySent{
		Message:  "If this account waits for its activation, we sent the link again to its email address. Look in your inbox, and in the spam folder.",
		ResendAt: s.now().Add(s.cfg.CodeResend),
	})
	return nil
}

// activationAddress is the address given at registration; "" when the
// user has none.
func (s *Server) activationAddress(ctx context.Context, userID string) (string, error) {
	values, err := s.store.Contacts(ctx, userID)
	if err != nil {
		return "", err
	}
	for _, c := range values {
		if c.FieldID == s.cfg.Tenant.Registration.emailField() {
			return c.Value, nil
		}
	}
	return "", nil
}

// activateAccount answers POST /auth/register/activate.
func (s *Server) activateAccount(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var req api.ActivationRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	user, err := s.activate(r.Context(), req.Token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Activated{Username: user.Username})
	return nil
}

// activate uses an activation link up: its account is activated and the
// address given at registration confirmed, so that a password reset and
// the username reminder reach it.
func (s *Server) activate(ctx context.Context, token string) (UserRecord, error) {
	_, user, err := s.openLink(ctx, linkActivation, token)
	if errors.Is(err, api.ErrLinkInvalid) {
		return user, errActivationLinkInvalid()
	}
	if err != nil {
		return user, err
	}
	address, err := s.activationAddress(ctx, user.ID)
	if err != nil {
		return user, err
	}
	now := s.now()
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := tx.UseLink(ctx, hashToken(token), now); errors.Is(err, ErrNotFound) {
			return errActivationLinkInvalid()
		} else if err != nil {
			return err
		}
		if err := tx.ActivateUser(ctx, user.ID, now); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if address == "" {
			return nil
		}
		// Two registrations may wait with one address: the first
		// activated keeps it, the others cannot be activated.
		if owners, _, err := emailOwnersIn(ctx, tx, address); err != nil {
			return err
		} else if len(owners) > 0 {
			return errAddressTaken(owners[0].Username)
		}
		return tx.SetContact(ctx, ContactRecord{UserID: user.ID, FieldID: s.cfg.Tenant.Registration.emailField(), Value: address,
			VerifiedAt: now, UpdatedAt: now})
	})
	if err == nil {
		s.log.InfoContext(ctx, "Account activated", "user", user.ID)
	}
	return user, err
}

func errActivationLinkInvalid() error {
	return apiError(api.CodeLinkInvalid, "This link has expired or was already used. Sign in with your username and password to have a new one sent, or create the account again.")
}

// errAddressTaken refuses to activate an account whose address another
// account confirmed since it was registered. The link's reader owns the
// address, so they may learn the other account's username.
func errAddressTaken(username string) error {
	return apiError(api.CodeLinkInvalid, fmt.Sprintf("This email address was confirmed for the account %s in the meantime, so this account cannot be activated. Sign in as %s instead.", username, username))
}

// errActivationRequired answers the right password of an account that is
// not activated yet.
func (s *Server) errActivationRequired(ctx context.Context, user UserRecord) error {
	address, err := s.activationAddress(ctx, user.ID)
	if err != nil {
		return err
	}
	masked := maskEmail(address)
	e := apiError(api.CodeActivationRequired, fmt.Sprintf("Confirm your email address first: open the link we sent to %s. No email? Send the link again.", masked))
	e.Details = map[string]any{"email": masked}
	return e
}

// maskEmail shows an address's first character and its domain only.
func maskEmail(address string) string {
	local, domain, ok := strings.Cut(address, "@")
	if !ok || local == "" {
		return "your email address"
	}
	return string([]rune(local)[:1]) + "•••@" + domain
}

// registrationOffered refuses a registration the organisation does not
// offer, or that the server cannot send the activation link for.
func (s *Server) registrationOffered() error {
	reg := s.cfg.Tenant.Registration
	if !reg.Enabled {
		return apiError(api.CodeNotSupported, "This organisation does not let you create an account here. Ask your helpdesk for one.")
	}
	if !reg.activation() {
		return nil
	}
	if !s.canSend(api.ChannelEmail) {
		return errDeliveryUnavailable(api.ChannelEmail)
	}
	if s.cfg.PublicURL == "" {
		return apiError(api.CodeNotSupported, "This server cannot send activation links: it was started without its public address (--public-url). Ask your administrator.")
	}
	return nil
}
