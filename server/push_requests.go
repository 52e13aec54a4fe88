package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfservice/api"
)

// Push requests: a push token proves possession by its phone's answer.
// prepareProof asks the phone (askPhone); the phone lists the question
// and answers it, signed (push_devices.go); the verify call that names
// the request reads the answer (pushCheck) and uses an approval up, so
// that one confirmation finishes one sign-in, step-up or test.

// Random bytes of a push request's id and challenge.
const (
	pushIDLen        = 16
	pushChallengeLen = 32
)

// pushKinds names the push request of each proof purpose, as the phone
// shows it.
var pushKinds = map[string]string{
	purposeLogin:    api.PushSignIn,
	purposeApproval: api.PushApproval,
	purposeTest:     api.PushTest,
}

// pushScope is what a push request is bound to: the proof's purpose and
// its login, approval or token.
func pushScope(scope proofScope) string {
	return challengeKey(scope.purpose, scope.key)
}

// askPhone sends push token t's phone a request to confirm scope: a
// sign-in, a step-up or a test. A PENDING token has no phone yet: the
// phone activates it by reading the QR code.
func (s *Server) askPhone(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	kind, ok := pushKinds[scope.purpose]
	if !ok || t.Status == api.StatusPending {
		return api.ChallengeResponse{}, errActivatedByPhone()
	}
	if _, err := s.store.Device(ctx, t.ID); errors.Is(err, ErrNotFound) {
		return api.ChallengeResponse{}, apiError(api.CodeInvalidState, "No phone is registered for this token. Delete it and set up the authenticator app again.")
	} else if err != nil {
		return api.ChallengeResponse{}, err
	}
	now := s.now()
	if err := s.replacePush(ctx, t.ID, pushScope(scope), now); err != nil {
		return api.ChallengeResponse{}, err
	}
	p := PushRequestRecord{
		ID:        randomToken(pushIDLen),
		Kind:      kind,
		Scope:     pushScope(scope),
		TokenID:   t.ID,
		UserID:    user.ID,
		Summary:   scope.summary,
		Challenge: randomToken(pushChallengeLen),
		Status:    PushPending,
		CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.PushTTL),
		Device:    scope.from.Device,
		IP:        scope.from.IP,
	}
	if matchedKinds[kind] {
		p.Number, p.Choices = pushNumbers()
	}
	if err := s.store.CreatePushRequest(ctx, p); err != nil {
		return api.ChallengeResponse{}, err
	}
	return api.ChallengeResponse{Proof: api.ProofPush, Push: &api.PushChallenge{ID: p.ID, ExpiresAt: p.ExpiresAt, Number: p.Number}}, nil
}

// replacePush keeps a phone from being flooded with questions (someone
// who has the password can start sign-ins at will): a new push request
// waits at least CodeResend after the token's last one, and replaces the
// one still waiting for the same scope.
func (s *Server) replacePush(ctx context.Context, tokenID, scope string, now time.Time) error {
	waiting, err := s.store.PendingPushRequests(ctx, tokenID, now)
	if err != nil {
		return err
	}
	for _, p := range waiting {
		if wait := p.CreatedAt.Add(s.cfg.CodeResend).Sub(now); wait > 0 {
			e := apiError(api.CodeResendTooSoon, fmt.Sprintf("Your phone was asked moments ago. Answer it there, or wait %s before you ask again.", humanDuration(wait)))
			e.RetryAfter = wait
			return e
		}
	}
	for _, p := range waiting {
		if p.Scope != scope {
			continue
		}
		_, err := s.store.UpdatePushRequest(ctx, p.ID, func(r *PushRequestRecord) error {
			if r.Status == PushPending {
				r.Status = PushUsed // no longer shown on the phone; verifying it says it expired
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// pushCheck reads the phone's answer to the push request pushID, which
// must have been made for token t and scope: push_pending while it
// waits, push_denied when the user refused, push_expired when it timed
// out, was used already or is unknown. An approval (and a refusal) is
// used up here, so that exactly one verify call gets it however many
// run at once; the check returned then succeeds.
func (s *Server) pushCheck(ctx context.Context, t TokenRecord, scope proofScope, pushID string) (func(t *TokenRecord) error, error) {
	if scope.purpose == purposeRegister {
		return nil, errActivatedByPhone()
	}
	var approved bool
	_, err := s.store.UpdatePushRequest(ctx, pushID, func(p *PushRequestRecord) error {
		if p.TokenID != t.ID || p.Scope != pushScope(scope) || p.Kind == api.PushQRLogin {
			return apiError(api.CodePushExpired, "This confirmation was asked for something else. Start again and confirm on your phone.")
		}
		var err error
		approved, err = s.takeAnswer(p)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, errPushExpired()
	}
	if err != nil {
		return nil, err
	}
	if !approved {
		return nil, errPushDenied()
	}
	return func(*TokenRecord) error { return nil }, nil
}

// takeAnswer uses the phone's answer to p up and reports whether it was
// an approval (a refusal is used up too, so that it counts once). It
// fails with push_pending while there is no answer yet, and with
// push_expired when p timed out or was used already. It runs inside
// UpdatePushRequest, so that only one caller takes an answer.
func (s *Server) takeAnswer(p *PushRequestRecord) (approved bool, err error) {
	switch {
	case p.Status == PushUsed:
		return false, apiError(api.CodePushExpired, "This confirmation was already used. Start again and confirm on your phone.")
	case p.Status == PushDenied:
		p.Status = PushUsed
		return false, nil
	case !s.now().Before(p.ExpiresAt):
		return false, errPushExpired()
	case p.Status == PushPending:
		return false, errPushPending()
	}
	p.Status = PushUsed
	return true, nil
}

func errActivatedByPhone() error {
	return apiError(api.CodeNotSupported, "The app on your phone activates this token when it reads the QR code. Scan it with the app, or ask for a new one.")
}

func errPushPending() error {
	return apiError(api.CodePushPending, "Waiting for you to confirm on your phone.")
}

func errPushDenied() error {
	return apiError(api.CodePushDenied, "The request was refused on your phone. If that was not you, tell your helpdesk.")
}
