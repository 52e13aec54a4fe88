package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"selfservice/api"
	"selfservice/server/notify"
)

// SMS and email tokens: the server makes each code, sends it through the
// outbox, and keeps only its HMAC under a server key, bound to the token
// and to what it was sent for (proofScope). A code works once, for CodeTTL, and for at most
// MaxFailures wrong tries; a wrong code also counts against the token's
// lock, as a wrong code of any token does. At most one code goes to a
// token per CodeResend, whatever it is for, so that nobody can flood a
// phone or a mailbox.

// purposeAddress is the purpose of a code sent to a token's new address,
// keyed by the token id; confirming it moves the token there (address.go).
const purposeAddress = "address"

// checkCodeEnrollment checks the enrollment of an SMS or email token: its
// channel must be able to send, and the address must be one; t gets the
// address in its normalised form.
func (s *Server) checkCodeEnrollment(ctx context.Context, c *caller, t *TokenRecord, address string) error {
	channel := t.Type.Channel()
	if !s.canSend(channel) {
		return errDeliveryUnavailable(channel)
	}
	normalized, err := api.NormalizeAddress(channel, address)
	if err != nil {
		return err
	}
	if err := s.checkTemplateAddress(ctx, c.user.ID, t.TemplateID, normalized); err != nil {
		return err
	}
	t.Address = normalized
	return nil
}

// checkTemplateAddress refuses an address that is not one of the user's
// verified contact values of the fields the template may use, when the
// organisation names such fields (Tenant.TemplateContacts).
func (s *Server) checkTemplateAddress(ctx context.Context, userID, templateID, address string) error {
	fields := s.cfg.Tenant.TemplateContacts[templateID]
	if len(fields) == 0 {
		return nil
	}
	verified, err := s.verifiedAddresses(ctx, userID, fields)
	if err != nil {
		return err
	}
	if !slices.Contains(verified, address) {
		return api.FieldError(map[string]string{"address": "Choose one of your confirmed addresses. To use another one, add and confirm it under Contact details first."})
	}
	return nil
}

// sendFirstCode sends the code that activates a new SMS or email token,
// in tx, the transaction that creates the token.
func (s *Server) sendFirstCode(ctx context.Context, tx Store, user UserRecord, t TokenRecord) (*api.CodeDelivery, error) {
	d, err := s.issueCode(ctx, tx, t, proofScope{purpose: purposeRegister, key: t.ID}, t.Address)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// sendCode sends a new code to an SMS or email token for scope, replacing
// the one sent for it before.
func (s *Server) sendCode(ctx context.Context, user UserRecord, t TokenRecord, scope proofScope) (api.ChallengeResponse, error) {
	var d api.CodeDelivery
	err := s.store.Atomically(ctx, func(tx Store) error {
		var err error
		d, err = s.issueCode(ctx, tx, t, scope, t.Address)
		return err
	})
	if err != nil {
		return api.ChallengeResponse{}, err
	}
	return api.ChallengeResponse{Proof: api.ProofOTP, Delivery: &d}, nil
}

// issueCode makes a code for token t and scope, stores its HMAC and puts
// the message that carries it to address in the outbox, all in tx. It
// refuses while the token's last code is younger than CodeResend.
func (s *Server) issueCode(ctx context.Context, tx Store, t TokenRecord, scope proofScope, address string) (api.CodeDelivery, error) {
	channel := t.Type.Channel()
	if !s.canSend(channel) {
		return api.CodeDelivery{}, errDeliveryUnavailable(channel)
	}
	now := s.now()
	last, err := tx.LastCodeSentAt(ctx, t.ID)
	if err != nil {
		return api.CodeDelivery{}, err
	}
	if wait := last.Add(s.cfg.CodeResend).Sub(now); !last.IsZero() && wait > 0 {
		return api.CodeDelivery{}, errResendTooSoon(wait)
	}
	if err := s.checkRecipient(ctx, tx, channel, address); err != nil {
		return api.CodeDelivery{}, err
	}
	digits := t.Digits
	if digits == 0 {
		digits = s.cfg.CodeDigits
	}
	code := newSentCode(digits)
	rec := SentCodeRecord{
		TokenID:   t.ID,
		Purpose:   scope.purpose,
		Key:       scope.key,
		CodeHash:  s.cfg.Secrets.CodeMAC(sentCodeMessage(t.ID, scope, code)),
		SentAt:    now,
		ExpiresAt: now.Add(s.cfg.CodeTTL),
	}
	if scope.purpose == purposeAddress {
		rec.Address = address
	}
	if err := tx.SaveSentCode(ctx, rec); err != nil {
		return api.CodeDelivery{}, err
	}
	if err := s.enqueue(ctx, tx, t.UserID, s.codeMessage(channel, address, code, scope.purpose), rec.ExpiresAt); err != nil {
		return api.CodeDelivery{}, err
	}
	return api.CodeDelivery{
		Channel:   channel,
		SentTo:    api.MaskAddress(channel, address),
		ExpiresAt: rec.ExpiresAt,
		ResendAt:  now.Add(s.cfg.CodeResend),
	}, nil
}

// sentCodeCheck uses up the code sent to token t for scope, in its own
// transaction, so that of two requests with the right code exactly one
// gets it. The check it returns, for useCode, fails with otp_invalid when
// the code was wrong (which then counts against the token's lock).
func (s *Server) sentCodeCheck(ctx context.Context, t TokenRecord, scope proofScope, otp string) (func(t *TokenRecord) error, error) {
	_, ok, err := s.takeCode(ctx, t, scope, otp)
	if err != nil {
		return nil, err
	}
	if !ok {
		return func(*TokenRecord) error { return errSentCodeInvalid() }, nil
	}
	return func(*TokenRecord) error { return nil }, nil
}

// takeCode checks otp against the code sent to token t for scope: a right
// code is used up (ok), a wrong one counted against the code. A code
// used, expired, tried wrong MaxFailures times or never sent fails with
// code_expired; a locked token with too_many_attempts, before its code is
// touched.
func (s *Server) takeCode(ctx context.Context, t TokenRecord, scope proofScope, otp string) (rec SentCodeRecord, ok bool, err error) {
	if err := s.checkLock(t.Failures, tokenFailures(&t)); err != nil {
		return rec, false, err
	}
	now := s.now()
	message := sentCodeMessage(t.ID, scope, otp)
	rec, err = s.store.UpdateSentCode(ctx, t.ID, scope.purpose, scope.key, func(c *SentCodeRecord) error {
		switch {
		case !c.UsedAt.IsZero():
			return errCodeUsed()
		case !now.Before(c.ExpiresAt):
			return errCodeExpired()
		case c.Failures >= s.cfg.MaxFailures:
			return errCodeTriedOut()
		}
		ok = s.cfg.Secrets.CheckCodeMAC(c.CodeHash, message)
		if ok {
			c.UsedAt = now
		} else {
			c.Failures++
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return rec, false, errNoCodeSent()
	}
	return rec, ok, err
}

// newSentCode returns a uniformly random code of digits decimal digits.
func newSentCode(digits int) string {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		panic("crypto/rand failed: " + err.Error()) // rand.Reader never fails (see crypto/rand)
	}
	return fmt.Sprintf("%0*d", digits, n)
}

// sentCodeMessage is what the stored HMAC of a sent code covers (see
// SecretBox.CodeMAC): the code with its token and scope, so that a stored
// value matches nowhere else.
func sentCodeMessage(tokenID string, scope proofScope, code string) string {
	return tokenID + "\x00" + scope.purpose + "\x00" + scope.key + "\x00" + code
}

// codeMessage is the SMS or email that carries code. An SMS says only
// what it must; an email also says what the code is for, and what to do
// when it was not expected. The email's subject never holds the code:
// it shows on lock screens.
func (s *Server) codeMessage(channel, to, code, purpose string) notify.Message {
	ttl := humanDuration(s.cfg.CodeTTL)
	if channel == api.ChannelSMS {
		return notify.Message{
			Channel: notify.ChannelSMS,
			To:      to,
			Body:    fmt.Sprintf("%s is your %s code. It expires in %s. Never share it.", code, s.cfg.Issuer, ttl),
		}
	}
	unexpected := "If you did not ask for it, ignore this email."
	if purpose == purposeLogin {
		unexpected = "If you did not try to sign in, someone may know your password: change it, and tell your helpdesk."
	}
	body := fmt.Sprintf("Your %s code:\n\n    %s\n\n"+
		"Enter it %s. It expires in %s and works once.\n\n"+
		"Never share this code; nobody from your helpdesk will ask you for it. %s\n",
		s.cfg.Issuer, code, purposeWords(purpose), ttl, unexpected)
	return notify.Message{
		Channel: notify.ChannelEmail,
		To:      to,
		Subject: "Your " + s.cfg.Issuer + " code",
		Body:    body,
	}
}

// purposeWords says in words what a code is for.
func purposeWords(purpose string) string {
	switch purpose {
	case purposeLogin:
		return "to sign in"
	case purposeApproval:
		return "to confirm a change to your account"
	case purposeTest:
		return "to test this sign-in method"
	case purposeRegister:
		return "to activate this sign-in method"
	case purposeAddress:
		return "to confirm this address for your sign-in codes"
	}
	return "where you asked for it"
}

func errDeliveryUnavailable(channel string) error {
	what := "emails"
	if channel == api.ChannelSMS {
		what = "text messages"
	}
	return apiError(api.CodeDeliveryUnavailable, "The server cannot send "+what+" at the moment. Choose another sign-in method, or ask your helpdesk.")
}

// checkRecipient refuses a message to an address that was sent one less
// than CodeResend ago, whichever token or user it was for: making and
// deleting tokens must not flood a phone or a mailbox.
func (s *Server) checkRecipient(ctx context.Context, tx Store, channel, address string) error {
	last, err := tx.LastMessageTo(ctx, channel, address)
	if err != nil {
		return err
	}
	if wait := last.Add(s.cfg.CodeResend).Sub(s.now()); !last.IsZero() && wait > 0 {
		return errResendTooSoon(wait)
	}
	return nil
}

func errResendTooSoon(wait time.Duration) error {
	e := apiError(api.CodeResendTooSoon, fmt.Sprintf("A code was sent moments ago. Wait %s before you ask for another one.", humanDuration(wait)))
	e.RetryAfter = wait
	return e
}

func errSentCodeInvalid() error {
	return apiError(api.CodeOTPInvalid, "The code is not correct. Enter the code from the latest message we sent you.")
}

func errCodeUsed() error {
	return apiError(api.CodeCodeExpired, "This code was already used. Ask for a new code.")
}

func errCodeExpired() error {
	return apiError(api.CodeCodeExpired, "This code has expired. Ask for a new code.")
}

func errCodeTriedOut() error {
	return apiError(api.CodeCodeExpired, "A wrong code was entered too often. Ask for a new code.")
}

func errNoCodeSent() error {
	return apiError(api.CodeCodeExpired, "No code was sent for this, or it has expired. Ask for a new code.")
}
