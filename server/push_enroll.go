package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"selfservice/api"
	"selfservice/server/notify"
)

// Enrolling the push authenticator app (seed 004). Only a user who has
// confirmed who they are with another method, recently, may set it up:
// whoever holds the phone can then sign in. The enrollment hands out a
// one-time provisioning payload, which the app reads from the screen (QR
// code), from an email (the QR code as an image) or from an SMS (the
// link); registering the phone with it (push_devices.go) activates the
// token.

// provisioningCodeLen is the random bytes of a provisioning code: 128
// bits, so that nobody guesses one within its few minutes.
const provisioningCodeLen = 16

// URIs the authenticator app reads.
const (
	pushScheme       = "selfservice-push"
	pushProvisionURI = "provision" // selfservice-push://provision?server=…&code=…&user=…
	pushLoginURI     = "login"     // selfservice-push://login?server=…&request=…&challenge=…
)

// checkPushEnrollment refuses a push token to a user who has no ACTIVE
// token yet: nothing has confirmed who they are but the password. (The
// template's limit is checked by createToken before this.)
func (s *Server) checkPushEnrollment(ctx context.Context, c *caller) error {
	if c.partial {
		return apiError(api.CodeEnrollmentRequired, "Add another sign-in method first: the app on your phone may only be set up after you confirm who you are with another method.")
	}
	_, err := s.publicURL()
	return err
}

// authorizeEnrollment is authorize for an enrollment. A push token's
// enrollment under the policy "none" still needs the user to have
// confirmed who they are recently: a session younger than RecentAuth, or
// a step-up confirmed for this very enrollment (carried in the approval
// header and used up with it); otherwise a step-up is asked for. Under
// the other policies, and for other tokens, the policy decides alone
// ("self" asks for a step-up anyway).
func (s *Server) authorizeEnrollment(w http.ResponseWriter, r *http.Request, c *caller, t TokenRecord, a approvable) (grant, bool, error) {
	if t.Type != api.TypePush {
		return s.authorize(w, r, c, a)
	}
	ctx := r.Context()
	policy, err := policyFor(ctx, s.store, a.op, a.templateID)
	if err != nil {
		return grant{}, false, err
	}
	if policy.Mode != api.ModeNone {
		return s.authorize(w, r, c, a)
	}
	g, err := s.recentOrStepUp(r, c, a)
	return g, false, err
}

// recentOrStepUp lets a that hands out a way to sign in as the user (a
// push provisioning payload) run when the session is younger than
// RecentAuth, or with a step-up confirmed for a (carried in the approval
// header; consume the grant with the action); otherwise it asks for a
// step-up.
func (s *Server) recentOrStepUp(r *http.Request, c *caller, a approvable) (grant, error) {
	if id := r.Header.Get(api.ApprovalHeader); id != "" {
		return grant{mode: api.ModeSelf, id: id, userID: c.user.ID, action: a}, nil
	}
	if s.now().Sub(c.session.CreatedAt) < s.cfg.RecentAuth {
		return grant{}, nil
	}
	return grant{}, s.newStepUp(r.Context(), c, a)
}

// newProvisioning gives the PENDING push token t a new provisioning code
// through tx, replacing the one it had, and returns the payload with it.
// Only the code's hash is stored.
func (s *Server) newProvisioning(ctx context.Context, tx Store, user UserRecord, t TokenRecord) (*api.PushProvisioning, error) {
	server, err := s.publicURL()
	if err != nil {
		return nil, err
	}
	code := randomToken(provisioningCodeLen)
	p := ProvisioningRecord{
		TokenID:   t.ID,
		UserID:    user.ID,
		CodeHash:  hashToken(code),
		ExpiresAt: s.now().Add(s.cfg.ProvisioningTTL),
	}
	if err := tx.SetProvisioning(ctx, p); err != nil {
		return nil, err
	}
	uri := pushURI(pushProvisionURI, url.Values{"server": {server}, "code": {code}, "user": {user.Username}})
	return &api.PushProvisioning{URI: uri, ExpiresAt: p.ExpiresAt}, nil
}

// pushURI is a selfservice-push:// URI for the authenticator app.
func pushURI(host string, query url.Values) string {
	u := url.URL{Scheme: pushScheme, Host: host, RawQuery: query.Encode()}
	return u.String()
}

// publicURL is the server's address as phones reach it (PublicURL),
// never taken from a request: a Host header is whatever the caller sent.
// Without one, push tokens and QR sign-in are not offered.
func (s *Server) publicURL() (string, error) {
	if s.cfg.PublicURL == "" {
		return "", apiError(api.CodeNotSupported, "This server cannot set up the authenticator app or sign in by QR code: it was started without its public address (--public-url). Use another sign-in method, or ask your administrator.")
	}
	return strings.TrimSuffix(s.cfg.PublicURL, "/"), nil
}

// renewProvisioning is POST /tokens/{id}/provisioning: a new payload for
// the caller's PENDING push token (the one before it stops working),
// sent by email (the QR code as an image, and the link) or SMS (the
// link) when the request names a channel.
func (s *Server) renewProvisioning(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	if err := c.require(api.PrivTokenEnroll); err != nil {
		return err
	}
	var req api.ProvisioningRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	t, err := s.store.Token(ctx, c.user.ID, r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound()
	}
	if err != nil {
		return err
	}
	if err := provisionable(t); err != nil {
		return err
	}
	var address string
	if req.Channel != "" {
		if !s.canSend(req.Channel) {
			return errChannelUnavailable(req.Channel)
		}
		if address, err = api.NormalizeAddress(req.Channel, req.Address); err != nil {
			return err
		}
		if err := s.checkRecipient(ctx, s.store, req.Channel, address); err != nil {
			return err
		}
	}
	// A new payload lets whoever reads it sign in as the user: the same
	// recent confirmation as the enrollment itself.
	g, err := s.recentOrStepUp(r, c, approvable{
		op:         api.OpTokenEnroll,
		target:     t.TemplateID,
		templateID: t.TemplateID,
		label:      t.Label,
		params:     map[string]string{"token_id": t.ID, "channel": req.Channel, "address": address},
	})
	if err != nil {
		return err
	}
	var out api.ProvisioningResponse
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		// Again in the transaction: the phone may have registered meanwhile.
		t, err := tx.Token(ctx, c.user.ID, t.ID)
		if errors.Is(err, ErrNotFound) {
			return errTokenNotFound()
		}
		if err != nil {
			return err
		}
		if err := provisionable(t); err != nil {
			return err
		}
		p, err := s.newProvisioning(ctx, tx, c.user, t)
		if err != nil {
			return err
		}
		out.Push = *p
		if req.Channel == "" {
			return nil
		}
		msg, err := s.provisioningMessage(req.Channel, address, *p)
		if err != nil {
			return err
		}
		out.SentTo = api.MaskAddress(req.Channel, address)
		return s.enqueue(ctx, tx, c.user.ID, msg, p.ExpiresAt)
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "push provisioning renewed", "token_id", t.ID, "channel", req.Channel)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// provisionable checks that t is a push token waiting for its phone.
func provisionable(t TokenRecord) error {
	if t.Type != api.TypePush {
		return apiError(api.CodeNotSupported, "Only the authenticator app with push is set up with a QR code. Set up this token as its enrollment says.")
	}
	if t.Status != api.StatusPending {
		return apiError(api.CodeInvalidState, "The app on your phone is already set up for this token. To use another phone, add the authenticator app again and delete this one.")
	}
	return nil
}

// provisioningMessage is the email (with the QR code as a PNG image and
// the link) or the SMS (with the link) that carries payload p.
func (s *Server) provisioningMessage(channel, address string, p api.PushProvisioning) (notify.Message, error) {
	until := p.ExpiresAt.Format("15:04 MST")
	if channel == api.ChannelSMS {
		return notify.Message{
			Channel: notify.ChannelSMS,
			To:      address,
			Body: fmt.Sprintf("%s: open this link on your phone to set up the %s Authenticator app: %s (works once, until %s)",
				s.cfg.Issuer, s.cfg.Issuer, p.URI, until),
		}, nil
	}
	png, err := qrcode.Encode(p.URI, qrcode.Medium, 320)
	if err != nil {
		return notify.Message{}, fmt.Errorf("provisioning QR code: %w", err)
	}
	body := fmt.Sprintf(`You asked to set up the %[1]s Authenticator app on your phone.

Open the app and scan the QR code attached to this email, or open this link on your phone:

%[2]s

The QR code and the link work once, until %[3]s. If they expired, ask for a new one in %[1]s on your computer.
If you did not ask for this, ignore this email and tell your helpdesk.
`, s.cfg.Issuer, p.URI, until)
	return notify.Message{
		Channel:    notify.ChannelEmail,
		To:         address,
		Subject:    "Set up the " + s.cfg.Issuer + " Authenticator app",
		Body:       body,
		Attachment: &notify.Attachment{Name: "selfservice-authenticator.png", ContentType: "image/png", Data: png},
	}, nil
}

// errChannelUnavailable refuses to send on a channel the server has no
// sender for.
func errChannelUnavailable(channel string) error {
	what := "emails"
	if channel == api.ChannelSMS {
		what = "text messages"
	}
	return apiError(api.CodeDeliveryUnavailable, "This server cannot send "+what+". Scan the QR code on your screen instead, or ask your helpdesk.")
}
