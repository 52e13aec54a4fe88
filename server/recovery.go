package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// Recovery at sign-in (Tenant.Recovery): a password reset by a one-time
// link, and a username reminder, both by email to a confirmed address of
// the user's contact details. A request is answered alike whether or not
// an account matches, and whether or not a message was sent (too soon
// after the last one, or over the daily cap): nobody learns from the
// answer who has an account, or at which address. The anonymous rate
// limit of every public route applies, and a user gets a new link at most
// every CodeResend (20 s), an address a message at most as often.

// Purposes of a one-time link.
const linkPasswordReset = "password_reset"

// linkRetention is how long a link is kept after it expired: the resend
// wait looks back at the newest one.
const linkRetention = 24 * time.Hour

// maxRecoveryAccounts bounds the accounts one request sends to: an
// address may be confirmed by several users.
const maxRecoveryAccounts = 5

// recoveryOptions answers GET /auth/recovery.
func (s *Server) recoveryOptions(w http.ResponseWriter, r *http.Request, _ *caller) error {
	rec := s.cfg.Tenant.Recovery
	email := s.canSend(api.ChannelEmail)
	opts := api.RecoveryOptions{
		PasswordReset:    rec.PasswordReset && email,
		UsernameReminder: rec.UsernameReminder && email,
		Registration:     s.registrationOffered() == nil,
	}
	if opts.Registration {
		opts.PasswordPolicy = &s.cfg.Tenant.PasswordPolicy
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// requestPasswordReset answers POST /auth/password-reset: a link to each
// account the login names (by username, or by a confirmed email address).
func (s *Server) requestPasswordReset(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if err := s.recoveryOffered(s.cfg.Tenant.Recovery.PasswordReset, "reset passwords"); err != nil {
		return err
	}
	var req api.PasswordResetRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	login := strings.TrimSpace(req.Login)
	var users []UserRecord
	var to []string // where each user's link goes
	var err error
	if strings.Contains(login, "@") {
		if users, to, err = s.emailOwners(ctx, login); err != nil {
			return err
		}
	} else {
		u, err := s.store.UserByUsername(ctx, strings.ToLower(login))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err == nil {
			address, err := s.recoveryAddress(ctx, u.ID)
			if err != nil {
				return err
			}
			if address != "" {
				users, to = append(users, u), append(to, address)
			}
		}
	}
	for i, u := range users {
		if err := s.sendResetLink(ctx, u, to[i]); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, api.RecoverySent{
		Message:  "If an account matches, we sent an email with a link to reset its password. Look in your inbox, and in the spam folder.",
		ResendAt: s.now().Add(s.cfg.CodeResend),
	})
	return nil
}

// sendResetLink sends user a new reset link at address.
func (s *Server) sendResetLink(ctx context.Context, user UserRecord, address string) error {
	ttl := s.cfg.Tenant.Recovery.resetLinkTTL()
	return s.sendLink(ctx, user, linkPasswordReset, ttl, func(base, token string) notify.Message {
		return notify.Message{
			Channel: notify.ChannelEmail,
			To:      address,
			Subject: "Reset your " + s.cfg.Issuer + " password",
			Body: fmt.Sprintf("Someone, probably you, asked to reset the password of your %s account %s.\n\n"+
				"To choose a new password, open this link within %s:\n\n    %s/reset/%s\n\n"+
				"You can also paste the link into %s: on the sign-in screen, choose Forgot password?, then I have a link.\n"+
				"The link works once. Signing in still needs your second sign-in method.\n\n"+
				"If you did not ask for this, ignore this email: your password stays as it is.\n",
				s.cfg.Issuer, user.Username, humanDuration(ttl), base, token, s.cfg.Issuer),
		}
	})
}

// sendLink sends user a new one-time link of purpose, working for ttl,
// in the email compose writes from the server's public address and the
// link's token; unless one was sent to the user or the address moments
// ago, or the daily cap is reached: the caller is told nothing either
// way.
func (s *Server) sendLink(ctx context.Context, user UserRecord, purpose string, ttl time.Duration, compose func(base, token string) notify.Message) error {
	now := s.now()
	last, err := s.store.LastLinkAt(ctx, user.ID, purpose)
	if err != nil || (!last.IsZero() && now.Sub(last) < s.cfg.CodeResend) {
		return err
	}
	token := randomToken(32)
	base, err := s.publicURL()
	if err != nil {
		return err
	}
	msg := compose(base, token)
	link := LinkRecord{TokenHash: hashToken(token), Purpose: purpose, UserID: user.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.store.Atomically(ctx, func(tx Store) error {
		return s.putLink(ctx, tx, link, msg)
	})
	return quietly(err)
}

// putLink stores link, in place of its user's unused one of the same
// purpose and subject, and queues msg, which carries it, for the link's
// user until it expires: unless a message went to the address moments
// ago, or a daily cap is reached.
func (s *Server) putLink(ctx context.Context, tx Store, link LinkRecord, msg notify.Message) error {
	if err := s.checkRecipient(ctx, tx, msg.Channel, msg.To); err != nil {
		return err
	}
	if err := tx.SaveLink(ctx, link); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, link.UserID, msg, link.ExpiresAt)
}

// quietly drops the refusals that the answer to a recovery request must
// not reveal: a message sent moments ago, a daily cap reached.
func quietly(err error) error {
	if errors.Is(err, api.ErrResendTooSoon) || errors.Is(err, api.ErrMessageLimit) {
		return nil
	}
	return err
}

// emailOwners are the users (at most maxRecoveryAccounts) who confirmed
// the email address typed, and the address as each of them wrote it,
// where their message goes.
func (s *Server) emailOwners(ctx context.Context, typed string) ([]UserRecord, []string, error) {
	return emailOwnersIn(ctx, s.store, typed)
}

// emailOwnersIn is emailOwners read from store (a transaction's).
func emailOwnersIn(ctx context.Context, store Store, typed string) ([]UserRecord, []string, error) {
	typed = api.NormalizeEmail(typed)
	found, err := store.UsersWithEmail(ctx, typed)
	if err != nil {
		return nil, nil, err
	}
	var users []UserRecord
	var addresses []string
	for _, u := range found[:min(len(found), maxRecoveryAccounts)] {
		values, err := store.Contacts(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range values {
			if strings.EqualFold(c.Value, typed) && !c.VerifiedAt.IsZero() {
				users, addresses = append(users, u), append(addresses, c.Value)
				break
			}
		}
	}
	return users, addresses, nil
}

// recoveryAddress is where a user's recovery email goes: their preferred
// contact value when it is a confirmed email address, otherwise their
// first confirmed email address in the organisation's field order; ""
// when they have none.
func (s *Server) recoveryAddress(ctx context.Context, userID string) (string, error) {
	values, err := s.store.Contacts(ctx, userID)
	if err != nil {
		return "", err
	}
	confirmed := func(c ContactRecord) bool {
		f, ok := s.cfg.Tenant.contactField(c.FieldID)
		return ok && f.Type == api.ContactEmail && !c.VerifiedAt.IsZero()
	}
	for _, c := range values {
		if c.Preferred && confirmed(c) {
			return c.Value, nil
		}
	}
	for _, f := range s.cfg.Tenant.ContactFields {
		for _, c := range values {
			if c.FieldID == f.ID && confirmed(c) {
				return c.Value, nil
			}
		}
	}
	return "", nil
}

// checkResetLink answers POST /auth/password-reset/check: whose password
// a working link resets, until when, and the rules of the new one.
func (s *Server) checkResetLink(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var req api.ResetLinkRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	link, user, err := s.openLink(r.Context(), linkPasswordReset, req.Token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ResetLink{Username: user.Username, ExpiresAt: link.ExpiresAt, Policy: s.cfg.Tenant.PasswordPolicy})
	return nil
}

// resetPassword answers POST /auth/password-reset/finish.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var req api.ResetPasswordRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	out, err := s.resetWithLink(r, req.Token, req.NewPassword)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// resetWithLink sets the new password of the account of a reset link, if
// it passes the policy: the link is used up, every session of the
// account ends (whoever knew the old password is signed out), and the
// user is told by email.
func (s *Server) resetWithLink(r *http.Request, token, newPassword string) (api.ResetPasswordResponse, error) {
	var out api.ResetPasswordResponse
	ctx := r.Context()
	_, user, err := s.openLink(ctx, linkPasswordReset, token)
	if err != nil {
		return out, err
	}
	problems, err := s.passwordProblems(ctx, user, "", newPassword)
	if err != nil {
		return out, err
	}
	if same, err := s.checkPassword(ctx, user.PasswordHash, newPassword); err != nil {
		return out, err
	} else if same {
		problems = append(problems, api.PasswordProblem{Rule: api.RuleSame, Message: "This is your current password. Choose another one."})
	}
	if len(problems) > 0 {
		return out, errPasswordPolicy(problems)
	}
	newHash, err := s.hashPassword(ctx, newPassword)
	if err != nil {
		return out, err
	}
	address, err := s.recoveryAddress(ctx, user.ID)
	if err != nil {
		return out, err
	}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := tx.UseLink(ctx, hashToken(token), s.now()); errors.Is(err, ErrNotFound) {
			return errLinkInvalid()
		} else if err != nil {
			return err
		}
		if err := tx.ChangePassword(ctx, user.ID, user.PasswordHash, newHash, s.now(), s.cfg.Tenant.PasswordPolicy.History); err != nil {
			return err
		}
		if out.SignedOut, err = tx.DeleteOtherSessions(ctx, user.ID, "", s.now()); err != nil {
			return err
		}
		if address == "" {
			return nil
		}
		return s.enqueueNotice(ctx, tx, user.ID, notify.Message{
			Channel: notify.ChannelEmail,
			To:      address,
			Subject: "Your " + s.cfg.Issuer + " password was reset",
			Body: fmt.Sprintf("The password of your %s account %s was reset with the link we sent, and every session signed out.\n\n"+
				"If you did not do this, tell your helpdesk at once.\n", s.cfg.Issuer, user.Username),
		})
	})
	if errors.Is(err, ErrConflict) {
		return out, apiError(api.CodeInvalidState, "The password was changed meanwhile, elsewhere. Open the link again.")
	}
	if err != nil {
		return out, err
	}
	// The user's own failed attempts from here no longer lock them out.
	if err := s.store.UpdatePasswordFailures(ctx, user.Username, s.clientSource(r), func(f *Failures) { *f = Failures{} }); err != nil {
		return out, err
	}
	s.log.InfoContext(ctx, "Password reset by link", "user", user.ID, "sessions_ended", out.SignedOut)
	return out, nil
}

// openLink returns the working link of purpose with token, and its user;
// link_invalid when it is unknown, of another purpose, expired or used.
func (s *Server) openLink(ctx context.Context, purpose, token string) (LinkRecord, UserRecord, error) {
	link, err := s.store.Link(ctx, hashToken(token))
	if errors.Is(err, ErrNotFound) || (err == nil && (link.Purpose != purpose || !link.UsedAt.IsZero() || !s.now().Before(link.ExpiresAt))) {
		return LinkRecord{}, UserRecord{}, errLinkInvalid()
	}
	if err != nil {
		return LinkRecord{}, UserRecord{}, err
	}
	user, err := s.store.UserByID(ctx, link.UserID)
	return link, user, err
}

// usernameReminder answers POST /auth/username-reminder: the usernames of
// the accounts that confirmed the address are sent to it.
func (s *Server) usernameReminder(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if err := s.recoveryOffered(s.cfg.Tenant.Recovery.UsernameReminder, "send username reminders"); err != nil {
		return err
	}
	var req api.UsernameReminderRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	users, addresses, err := s.emailOwners(ctx, req.Email)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		address := addresses[0]
		var names []string
		for _, u := range users {
			names = append(names, "    "+u.Username)
		}
		msg := notify.Message{
			Channel: notify.ChannelEmail,
			To:      address,
			Subject: "Your " + s.cfg.Issuer + " username",
			Body: fmt.Sprintf("Someone, probably you, asked which %s account has this email address. Its username:\n\n%s\n\n"+
				"If you did not ask, ignore this email.\n", s.cfg.Issuer, strings.Join(names, "\n")),
		}
		err = s.store.Atomically(ctx, func(tx Store) error {
			if err := s.checkRecipient(ctx, tx, notify.ChannelEmail, address); err != nil {
				return err
			}
			return s.enqueue(ctx, tx, users[0].ID, msg, time.Time{})
		})
		if err := quietly(err); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, api.RecoverySent{
		Message:  "If an account has this email address, we sent its username to it. Look in your inbox, and in the spam folder.",
		ResendAt: s.now().Add(s.cfg.CodeResend),
	})
	return nil
}

// recoveryOffered refuses a recovery the organisation does not offer, or
// that the server cannot send email for.
func (s *Server) recoveryOffered(on bool, what string) error {
	if !on {
		return apiError(api.CodeNotSupported, "This organisation does not "+what+" here. Ask your helpdesk.")
	}
	if !s.canSend(api.ChannelEmail) {
		return errDeliveryUnavailable(api.ChannelEmail)
	}
	return nil
}

func errLinkInvalid() error {
	return apiError(api.CodeLinkInvalid, "This link has expired or was already used. Ask for a new one: choose Forgot password? again.")
}
