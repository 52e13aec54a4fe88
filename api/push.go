package api

import (
	"strconv"
	"time"
)

// The push authenticator app (seed 004). Enrolling a push token yields a
// one-time provisioning payload; the app on the phone reads it (QR code,
// email, SMS link), makes a P-256 device key and registers its public key
// with POST /push/devices, which activates the token. From then on the
// server asks the phone to confirm sign-ins, step-ups and tests (push
// requests); the app lists them with POST /push/pending and answers with
// POST /push/requests/{id}/answer, signing with the device key. A QR
// sign-in (POST /auth/qr) is a push request the phone reads from the
// desktop's screen instead.

// PushProvisioning is the one-time payload the authenticator app reads to
// register itself: URI is selfservice-push://provision?server=…&code=….
// It is refused after ExpiresAt or once used.
type PushProvisioning struct {
	URI       string    `json:"uri"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ProvisioningRequest asks for a new payload for a PENDING push token,
// POST /tokens/{id}/provisioning; the one before it stops working. With
// Channel, the payload is also sent to Address: by email as a QR image,
// by SMS as a link.
type ProvisioningRequest struct {
	Channel string `json:"channel,omitempty"` // "", ChannelEmail or ChannelSMS
	Address string `json:"address,omitempty"`
}

// ProvisioningResponse answers POST /tokens/{id}/provisioning. SentTo is
// the masked address when the payload was sent.
type ProvisioningResponse struct {
	Push   PushProvisioning `json:"push"`
	SentTo string           `json:"sent_to,omitempty"`
}

// QRLoginResponse answers POST /auth/qr: a passwordless sign-in that the
// authenticator app confirms by reading URI
// (selfservice-push://login?server=…&request=…&challenge=…) from the
// screen. The desktop polls POST /auth/qr/{login_id}/verify, answered
// push_pending until the phone answers, then with a SessionResponse.
type QRLoginResponse struct {
	LoginID   string    `json:"login_id"`
	URI       string    `json:"uri"`
	ExpiresAt time.Time `json:"expires_at"`
}

// DeviceRegistration registers the authenticator app, POST /push/devices:
// the code from the provisioning payload and the device's public key.
type DeviceRegistration struct {
	Code       string `json:"code"`
	PublicKey  string `json:"public_key"` // base64 (standard, padded) of the PKIX DER of a P-256 key
	DeviceName string `json:"device_name"`
}

// DeviceRegistrationResponse answers POST /push/devices: DeviceID is the
// activated push token's id; the app signs with it from now on.
type DeviceRegistrationResponse struct {
	DeviceID string `json:"device_id"`
	Username string `json:"username"`
	Label    string `json:"label"`
}

// PendingPushRequest asks for the push requests waiting for a device,
// POST /push/pending, signed over PendingPayload(DeviceID, Timestamp);
// the timestamp (Unix seconds) must be within minutes of the server's.
type PendingPushRequest struct {
	DeviceID  string `json:"device_id"`
	Timestamp int64  `json:"timestamp"`
	Signature string `json:"signature"` // base64 of the ASN.1 ECDSA signature of the SHA-256 of the payload
}

// Kinds of push request.
const (
	PushSignIn   = "sign-in"  // finish a sign-in
	PushApproval = "approval" // confirm a step-up approval
	PushTest     = "test"     // the user tests the token
	PushQRLogin  = "qr-login" // a passwordless sign-in read from the desktop's screen
)

// PushRequest is a question waiting on the phone. Summary says in words
// what the user confirms ("Sign in to Selfservice as demo"). A sign-in or
// step-up has number matching: Choices are three numbers, one of them the
// number the computer shows, which the user must pick to approve; Device
// and IP say where the request comes from (the app and computer it named,
// its address), CreatedAt when.
type PushRequest struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Summary   string    `json:"summary"`
	Challenge string    `json:"challenge"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Choices   []int     `json:"choices,omitempty"`
	Device    string    `json:"device,omitempty"`
	IP        string    `json:"ip,omitempty"`
}

// PushRequestsResponse answers POST /push/pending.
type PushRequestsResponse struct {
	Requests []PushRequest `json:"requests"`
}

// Answers to a push request.
const (
	PushApprove = "approve"
	PushDeny    = "deny"
)

// PushAnswer answers a push request, POST /push/requests/{id}/answer,
// signed over AnswerPayload(id, challenge, Decision, Number). Number is
// the one of the request's Choices the user picked; an approval of a
// request with choices must carry it, and a wrong one refuses the
// request.
type PushAnswer struct {
	DeviceID  string `json:"device_id"`
	Decision  string `json:"decision"` // PushApprove or PushDeny
	Number    int    `json:"number,omitempty"`
	Signature string `json:"signature"`
}

// PendingPayload is what a device signs to list its push requests.
func PendingPayload(deviceID string, timestamp int64) []byte {
	return []byte("selfservice-push-v1 pending " + deviceID + " " + strconv.FormatInt(timestamp, 10))
}

// AnswerPayload is what a device signs to answer a push request: the
// number picked, when there is one, is signed with the decision.
func AnswerPayload(requestID, challenge, decision string, number int) []byte {
	payload := "selfservice-push-v1 answer " + requestID + " " + challenge + " " + decision
	if number != 0 {
		payload += " " + strconv.Itoa(number)
	}
	return []byte(payload)
}
