package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/trustelem/zxcvbn"

	"selfservice/api"
)

// Password change. The rules are Config.Tenant.PasswordPolicy: those a client
// can check itself (api.PasswordPolicy.Check, the same code), and two
// only the server can: the new password is not one of the user's last
// History passwords, and not easily guessed (zxcvbn, which knows lists of
// common passwords, words and names). A wrong current password counts
// against the sign-in lockout of the user and the caller's source, as a
// wrong password at sign-in does.

// minStrength is the zxcvbn score (0 to 4) a new password needs: 3 is
// "safely unguessable", about 10^8 guesses and more.
const minStrength = 3

// passwordPolicy answers GET /account/password/policy.
func (s *Server) passwordPolicy(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivPasswordUpdate); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.cfg.Tenant.PasswordPolicy)
	return nil
}

// changePassword answers PUT /account/password. It is approvable
// (password.update; target: the user), after every check that could
// refuse the new password, so that no approval is asked for a change
// that would not be made. The approval is bound to the new password
// (passwordAction), and used up only when the password changes.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivPasswordUpdate); err != nil {
		return err
	}
	var req api.ChangePasswordRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.checkCurrentPassword(ctx, c.user, s.clientSource(r), req.CurrentPassword); err != nil {
		return err
	}
	problems, err := s.passwordProblems(ctx, c.user, req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errPasswordPolicy(problems)
	}
	g, sent, err := s.authorize(w, r, c, s.passwordAction(c.user, req.NewPassword))
	if err != nil || sent {
		return err
	}
	newHash, err := s.hashPassword(ctx, req.NewPassword)
	if err != nil {
		return err
	}
	var out api.ChangePasswordResponse
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		err := tx.ChangePassword(ctx, c.user.ID, c.user.PasswordHash, newHash, s.now(), s.cfg.Tenant.PasswordPolicy.History)
		if errors.Is(err, ErrConflict) {
			return apiError(api.CodeInvalidState, "Your password was changed meanwhile, elsewhere. Enter the current password again.")
		}
		if err != nil || !req.SignOutOthers {
			return err
		}
		out.SignedOut, err = tx.DeleteOtherSessions(ctx, c.user.ID, c.session.TokenHash, s.now())
		return err
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Password changed", "user", c.user.ID, "other_sessions_ended", out.SignedOut)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// checkCurrentPassword checks the password the user says is theirs. A
// wrong one counts against the sign-in lockout of the user and source.
func (s *Server) checkCurrentPassword(ctx context.Context, user UserRecord, source, password string) error {
	failures, err := s.store.PasswordFailures(ctx, user.Username, source)
	if err != nil {
		return err
	}
	if err := s.checkLock(failures, failedSignIns); err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, user.PasswordHash, password)
	if err != nil || ok {
		return err
	}
	if err := s.passwordFailed(ctx, user.Username, source); !errors.Is(err, api.ErrInvalidCredentials) {
		return err // locked now, or a store failure
	}
	return api.FieldError(map[string]string{"current_password": "This is not your current password. Check it and try again."})
}

// passwordAction is the approvable change of user's password to
// newPassword. It has no parameters: the approval is bound to the new
// password by its keyed hash under the server's key, which only the
// server can make, so that an approval for one password changes to no
// other, and what is stored and shown of the approval tells nothing
// about the password.
func (s *Server) passwordAction(user UserRecord, newPassword string) approvable {
	label := user.DisplayName
	if label == "" {
		label = user.Username
	}
	return approvable{
		op:     api.OpPasswordUpdate,
		target: user.ID,
		label:  label,
		params: map[string]string{},
		bound:  s.cfg.Secrets.CodeMAC("password.update\x00" + user.ID + "\x00" + newPassword),
	}
}

// passwordProblems lists the rules newPassword breaks for user.
func (s *Server) passwordProblems(ctx context.Context, user UserRecord, current, newPassword string) ([]api.PasswordProblem, error) {
	problems := s.cfg.Tenant.PasswordPolicy.Check(newPassword, user.Username)
	if newPassword == current {
		return append(problems, api.PasswordProblem{Rule: api.RuleSame, Message: "Choose a password other than your current one."}), nil
	}
	if len(problems) > 0 {
		return problems, nil // the cheap rules first: the others cost hashes
	}
	inputs := append([]string{user.Username}, strings.Fields(user.DisplayName)...)
	if zxcvbn.PasswordStrength(newPassword, inputs).Score < minStrength {
		problems = append(problems, api.PasswordProblem{Rule: api.RuleCommon,
			Message: "This password is too easy to guess: it is, or is close to, a common password, word or name. Add more words or characters."})
	}
	previous, err := s.store.PreviousPasswords(ctx, user.ID, s.cfg.Tenant.PasswordPolicy.History)
	if err != nil {
		return nil, err
	}
	for _, hash := range previous {
		used, err := s.checkPassword(ctx, hash, newPassword)
		if err != nil {
			return nil, err
		}
		if used {
			problems = append(problems, api.PasswordProblem{Rule: api.RuleHistory,
				Message: "You used this password before. Choose one you have not used recently."})
			break
		}
	}
	return problems, nil
}

// hashPassword hashes a new password in one of the MaxHashes slots that
// checkPassword uses: it costs as much.
func (s *Server) hashPassword(ctx context.Context, password string) (string, error) {
	if err := s.hashSlot(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashes }()
	return hashPassword(password), nil
}

func errPasswordPolicy(problems []api.PasswordProblem) error {
	return errPolicyOn("new_password", problems)
}

// errPolicyOn names field as the password the policy refuses.
func errPolicyOn(field string, problems []api.PasswordProblem) error {
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Message)
	}
	e := api.FieldError(map[string]string{field: strings.Join(msgs, " ")})
	e.Details["problems"] = problems
	return e
}
