package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"selfservice/api"
)

// The calls of the authenticator app on the phone. They carry no session:
// a registration proves itself with the one-time provisioning code, and
// everything after it is signed with the device key whose public half
// the registration stored. The device id is the push token's id.

// pushClockSkew is how far a phone's clock may be from the server's when
// it signs a request for its pending list.
const pushClockSkew = 5 * time.Minute

// registerDevice is POST /push/devices: the phone presents the
// provisioning code and its P-256 public key; the push token becomes
// ACTIVE, the key is stored, the code is used up and the user's
// emergency access code is deactivated, all at once.
func (s *Server) registerDevice(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.DeviceRegistration
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	der, err := parseDeviceKey(req.PublicKey)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(req.DeviceName)
	var out api.DeviceRegistrationResponse
	err = s.store.Atomically(ctx, func(tx Store) error {
		p, err := tx.Provisioning(ctx, hashToken(req.Code))
		if errors.Is(err, ErrNotFound) {
			return errProvisioningInvalid()
		}
		if err != nil {
			return err
		}
		if !s.now().Before(p.ExpiresAt) {
			return errProvisioningInvalid()
		}
		if err := tx.DeleteProvisioning(ctx, p.TokenID); err != nil {
			return err
		}
		t, err := tx.UpdateToken(ctx, p.UserID, p.TokenID, func(t *TokenRecord, _ int) error {
			if t.Type != api.TypePush || t.Status != api.StatusPending {
				return errProvisioningInvalid()
			}
			t.Status = api.StatusActive
			if t.Description == "" {
				t.Description = name
			}
			return nil
		})
		if errors.Is(err, ErrNotFound) {
			return errProvisioningInvalid()
		}
		if err != nil {
			return err
		}
		if err := tx.SaveDevice(ctx, PushDeviceRecord{TokenID: t.ID, PublicKey: der, DeviceName: name, CreatedAt: s.now()}); err != nil {
			return err
		}
		if err := s.deactivateEmergency(ctx, tx, p.UserID, ReasonTokenActivated); err != nil {
			return err
		}
		user, err := tx.UserByID(ctx, p.UserID)
		if err != nil {
			return err
		}
		out = api.DeviceRegistrationResponse{DeviceID: t.ID, Username: user.Username, Label: t.Label}
		return nil
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "push device registered", "token_id", out.DeviceID)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// parseDeviceKey reads a device's public key (base64 of PKIX DER) and
// accepts only ECDSA P-256 keys. It returns the DER to store.
func parseDeviceKey(b64 string) ([]byte, error) {
	wrong := api.FieldError(map[string]string{"public_key": "The device key must be an ECDSA P-256 public key in PKIX DER form, base64-encoded."})
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, wrong
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, wrong
	}
	ec, ok := key.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, wrong
	}
	return der, nil
}

// listPending is POST /push/pending: the PENDING push requests of the
// device that signed the request, not yet expired.
func (s *Server) listPending(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.PendingPushRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	now := s.now()
	if skew := now.Sub(time.Unix(req.Timestamp, 0)); skew > pushClockSkew || skew < -pushClockSkew {
		return api.FieldError(map[string]string{"timestamp": "The phone's clock is more than 5 minutes off. Set the phone to the right time and try again."})
	}
	d, err := s.signedBy(ctx, req.DeviceID, req.Signature, api.PendingPayload(req.DeviceID, req.Timestamp))
	if err != nil {
		return err
	}
	pending, err := s.store.PendingPushRequests(ctx, d.TokenID, now)
	if err != nil {
		return err
	}
	out := api.PushRequestsResponse{Requests: []api.PushRequest{}}
	for _, p := range pending {
		out.Requests = append(out.Requests, apiPushRequest(p))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// answerPush is POST /push/requests/{id}/answer: the device approves or
// denies one of its PENDING requests, signing the request's id and
// challenge with its decision. Any ACTIVE device may answer a qr-login
// request (whose id and challenge it read from the desktop's screen);
// the answer binds the request to the device's user and token.
func (s *Server) answerPush(w http.ResponseWriter, r *http.Request, _ *caller) error {
	ctx := r.Context()
	var req api.PushAnswer
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	d, err := s.store.Device(ctx, req.DeviceID)
	if errors.Is(err, ErrNotFound) || (err == nil && d.Status != string(api.StatusActive)) {
		return errDeviceInvalid()
	}
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	p, err := s.store.PushRequest(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return errPushRequestNotFound()
	}
	if err != nil {
		return err
	}
	if !verifySignature(d.PublicKey, req.Signature, api.AnswerPayload(p.ID, p.Challenge, req.Decision, req.Number)) {
		return errDeviceInvalid()
	}
	approve := req.Decision == api.PushApprove
	wrongNumber := false
	_, err = s.store.UpdatePushRequest(ctx, id, func(p *PushRequestRecord) error {
		if p.Kind == api.PushQRLogin && p.TokenID == "" {
			p.TokenID, p.UserID = d.TokenID, d.UserID
		}
		if p.TokenID != d.TokenID {
			return errPushRequestNotFound()
		}
		if p.Status != PushPending {
			return apiError(api.CodeInvalidState, "This request was already answered.")
		}
		if !s.now().Before(p.ExpiresAt) {
			return errPushExpired()
		}
		if approve && p.Number != 0 && req.Number == 0 {
			return errNumberMissing()
		}
		// A wrong number refuses the request: the user approved
		// something they did not start on this computer.
		wrongNumber = approve && p.Number != 0 && req.Number != p.Number
		p.Status = PushDenied
		if approve && !wrongNumber {
			p.Status = PushApproved
		}
		p.AnsweredAt = s.now()
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return errPushRequestNotFound()
	}
	if err != nil {
		return err
	}
	if wrongNumber {
		s.log.WarnContext(ctx, "push request refused: wrong number picked", "token_id", d.TokenID, "kind", p.Kind)
		return errWrongNumber()
	}
	s.log.InfoContext(ctx, "push request answered", "token_id", d.TokenID, "kind", p.Kind, "decision", req.Decision)
	writeNoContent(w)
	return nil
}

// signedBy returns the ACTIVE push device deviceID when signature (base64
// of an ASN.1 ECDSA signature) verifies payload with its key. An unknown
// device, one whose token is not ACTIVE, and a bad signature all give the
// same device_invalid.
func (s *Server) signedBy(ctx context.Context, deviceID, signature string, payload []byte) (PushDeviceRecord, error) {
	d, err := s.store.Device(ctx, deviceID)
	if errors.Is(err, ErrNotFound) {
		return d, errDeviceInvalid()
	}
	if err != nil {
		return d, err
	}
	if d.Status != string(api.StatusActive) || !verifySignature(d.PublicKey, signature, payload) {
		return d, errDeviceInvalid()
	}
	return d, nil
}

// verifySignature checks an ASN.1 ECDSA signature (base64) of the SHA-256
// of payload against a PKIX DER P-256 public key.
func verifySignature(der []byte, signature string, payload []byte) bool {
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return false
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return false
	}
	ec, ok := key.(*ecdsa.PublicKey)
	if !ok {
		return false
	}
	sum := sha256.Sum256(payload)
	return ecdsa.VerifyASN1(ec, sum[:], sig)
}

// apiPushRequest is what the phone sees of a push request.
func apiPushRequest(p PushRequestRecord) api.PushRequest {
	return api.PushRequest{
		ID:        p.ID,
		Kind:      p.Kind,
		Summary:   p.Summary,
		Challenge: p.Challenge,
		CreatedAt: p.CreatedAt,
		ExpiresAt: p.ExpiresAt,
		Choices:   p.Choices,
		Device:    p.Device,
		IP:        p.IP,
	}
}

func errProvisioningInvalid() error {
	return apiError(api.CodeProvisioningInvalid, "This QR code has expired or was already used. Ask for a new one on your computer.")
}

func errDeviceInvalid() error {
	return apiError(api.CodeDeviceInvalid, "The server does not know this device, or its token is disabled or deleted. Set the app up again from your computer.")
}

func errPushRequestNotFound() error {
	return apiError(api.CodeNotFound, "There is no such request for this device. Refresh the list of requests.")
}

func errPushExpired() error {
	return apiError(api.CodePushExpired, "The request got no answer in time. Start again and confirm on your phone right away.")
}
