package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"selfservice/api"
	"selfservice/server/notify"
)

// The invitee's side of an invitation: its link opens the invitation
// page (invitation_page.go), which creates the account. The account is
// active at once, the invited address confirmed (the link proved it),
// and its first sign-in gets the session that may only set up a first
// sign-in method, as any account without one.

// openedInvitation is what a working invitation link opens.
type openedInvitation struct {
	inv      InvitationRecord
	tpl      InvitationTemplate
	sponsor  UserRecord
	username string // proposed from the invitee's name
}

// openInvitation returns what token opens, or an invalid_state error
// whose message says why it does not work.
func (s *Server) openInvitation(ctx context.Context, token string) (openedInvitation, error) {
	if !api.ValidLinkToken(token) {
		return openedInvitation{}, errInvitationLinkInvalid(api.InvitationExpired)
	}
	link, err := s.store.Link(ctx, hashToken(token))
	if errors.Is(err, ErrNotFound) || (err == nil && link.Purpose != linkInvitation) {
		return openedInvitation{}, errInvitationLinkInvalid(api.InvitationExpired)
	}
	if err != nil {
		return openedInvitation{}, err
	}
	inv, err := s.store.Invitation(ctx, link.Subject)
	if errors.Is(err, ErrNotFound) {
		return openedInvitation{}, errInvitationLinkInvalid(api.InvitationRecalled)
	}
	if err != nil {
		return openedInvitation{}, err
	}
	status := s.sentStatus(inv)
	if status == api.InvitationSent && (!link.UsedAt.IsZero() || !s.now().Before(link.ExpiresAt)) {
		status = api.InvitationExpired // an older link of a resent invitation
	}
	if status != api.InvitationSent {
		return openedInvitation{}, errInvitationLinkInvalid(status)
	}
	tpl, ok := s.cfg.Tenant.Invitations.template(inv.TemplateID)
	if !ok {
		return openedInvitation{}, errInvitationLinkInvalid(api.InvitationRecalled)
	}
	sponsor, err := s.store.UserByID(ctx, link.UserID)
	if err != nil {
		return openedInvitation{}, err
	}
	return openedInvitation{inv: inv, tpl: tpl, sponsor: sponsor, username: proposeUsername(inv.Name)}, nil
}

// acceptInvitation uses the invitation link token up: it creates the
// invitee's account with username and password, confirms the invited
// address, gives the profile the template's fields, marks the
// invitation ACCEPTED and tells the sponsor, all in one transaction, so
// that a link makes one account. Refusals name the field: username,
// password.
func (s *Server) acceptInvitation(ctx context.Context, token, username, password string) (UserRecord, error) {
	opened, err := s.openInvitation(ctx, token)
	if err != nil {
		return UserRecord{}, err
	}
	inv := opened.inv
	now := s.now()
	user := UserRecord{
		ID:          uuid.NewString(),
		Username:    api.NormalizeUsername(username),
		DisplayName: inv.Name,
		Role:        opened.tpl.role(),
		CreatedAt:   now,
	}
	if !api.ValidUsername(user.Username) {
		return UserRecord{}, api.FieldError(map[string]string{"username": "The username must be 1 to 64 characters: lower-case letters, digits, '.', '_', '-' or '@'."})
	}
	if _, err := s.store.UserByUsername(ctx, user.Username); err == nil {
		return UserRecord{}, errUsernameTaken()
	} else if !errors.Is(err, ErrNotFound) {
		return UserRecord{}, err
	}
	problems, err := s.passwordProblems(ctx, user, "", password)
	if err != nil {
		return UserRecord{}, err
	}
	if len(problems) > 0 {
		return UserRecord{}, errPolicyOn("password", problems)
	}
	if owners, err := s.store.UsersWithEmail(ctx, inv.Email); err != nil {
		return UserRecord{}, err
	} else if len(owners) > 0 {
		return UserRecord{}, apiError(api.CodeInvalidState, "This email address belongs to an account already. Sign in with it; forgot your password? Choose Forgot password? on the sign-in screen.")
	}
	if user.PasswordHash, err = s.hashPassword(ctx, password); err != nil {
		return UserRecord{}, err
	}
	sponsorAddress, err := s.recoveryAddress(ctx, opened.sponsor.ID)
	if err != nil {
		return UserRecord{}, err
	}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := tx.UseLink(ctx, hashToken(token), now); errors.Is(err, ErrNotFound) {
			return errInvitationLinkInvalid(api.InvitationAccepted)
		} else if err != nil {
			return err
		}
		if _, err := tx.UpdateInvitation(ctx, inv.ID, func(inv *InvitationRecord) error {
			if status := s.sentStatus(*inv); status != api.InvitationSent {
				return errInvitationLinkInvalid(status)
			}
			inv.Status, inv.AcceptedUsername = api.InvitationAccepted, user.Username
			inv.History = append(inv.History, InvitationEventRecord{At: now, Event: api.InvitationEventAccepted})
			return nil
		}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, user); errors.Is(err, ErrConflict) {
			return errUsernameTaken()
		} else if err != nil {
			return err
		}
		if err := tx.SetContact(ctx, ContactRecord{UserID: user.ID, FieldID: opened.tpl.emailField(), Value: inv.Email,
			VerifiedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		if len(inv.Fields) > 0 {
			if _, err := tx.UpdateProfile(ctx, user.ID, func(p *ProfileRecord) error {
				for id, v := range inv.Fields {
					p.Fields[id] = v
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if sponsorAddress == "" {
			return nil
		}
		return s.enqueueNotice(ctx, tx, opened.sponsor.ID, notify.Message{
			Channel: notify.ChannelEmail,
			To:      sponsorAddress,
			Subject: inv.Name + " accepted your invitation",
			Body: fmt.Sprintf("%s accepted your invitation to %s: their account is %s.\n\n"+
				"At their first sign-in they set up a way to confirm it is them.\n", inv.Name, s.cfg.Issuer, user.Username),
		})
	})
	if err != nil {
		return UserRecord{}, err
	}
	s.log.InfoContext(ctx, "Invitation accepted", "invitation", inv.ID, "user", user.ID)
	return user, nil
}

// proposeUsername makes a username of a name: "Zoë van Dijk" →
// "zoe.van.dijk"; the invitee may change it.
func proposeUsername(name string) string {
	var b strings.Builder
	dot := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dot && b.Len() > 0 {
				b.WriteByte('.')
			}
			dot = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r): // the accents NFD took apart
		default:
			dot = true
		}
	}
	out := b.String()
	if len(out) > api.MaxUsernameLen {
		out = strings.TrimRight(out[:api.MaxUsernameLen], ".")
	}
	return out
}

// errInvitationLinkInvalid says why an invitation link does not work,
// given the invitation's status.
func errInvitationLinkInvalid(status api.InvitationStatus) error {
	msg := "This invitation link has expired or is not valid any more. Ask the person who invited you to send a new invitation."
	switch status {
	case api.InvitationAccepted:
		msg = "This invitation was used already: the account exists. Sign in with its username and password."
	case api.InvitationRecalled:
		msg = "The person who invited you withdrew this invitation. Ask them if you still need an account."
	}
	return apiError(api.CodeLinkInvalid, msg)
}
