package api

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// MaxDeviceNameLen bounds the name a phone registers with.
const MaxDeviceNameLen = 64

// MaxPushNumber is the largest number of number matching: the numbers
// have two digits, 10 to 99.
const MaxPushNumber = 99

// maxKeyLen bounds a public key or signature in base64: a P-256 key in
// PKIX DER is 91 bytes, an ECDSA P-256 signature at most 72.
const maxKeyLen = 512

// Validate checks a request for a new provisioning payload: no channel,
// or email or SMS with an address (whose form the server checks with
// NormalizeAddress).
func (r ProvisioningRequest) Validate() error {
	f := fieldErrors{}
	switch r.Channel {
	case "":
		f.check(r.Address == "", "address", "Choose how to send the QR code, by email or by SMS, or leave the address empty.")
	case ChannelEmail, ChannelSMS:
		f.check(strings.TrimSpace(r.Address) != "", "address", "Enter the address to send the QR code to.")
	default:
		f.check(false, "channel", "Send the QR code by email or by SMS.")
	}
	return f.err()
}

// Validate checks a phone's registration.
func (r DeviceRegistration) Validate() error {
	f := fieldErrors{}
	f.check(r.Code != "", "code", "The QR code has no provisioning code. Ask for a new QR code on your computer.")
	f.check(len(r.Code) <= maxIDLen && printable(r.Code), "code", "The provisioning code is not valid. Ask for a new QR code on your computer.")
	f.base64(r.PublicKey, "public_key", "Send the device's public key: base64 of its PKIX DER form.")
	name := strings.TrimSpace(r.DeviceName)
	f.check(name != "", "device_name", "Give the device a name, such as \"Dana's phone\".")
	f.check(utf8.ValidString(name) && printable(name), "device_name", "The device name contains characters that are not allowed.")
	f.check(utf8.RuneCountInString(name) <= MaxDeviceNameLen, "device_name", "The device name is at most 64 characters.")
	return f.err()
}

// Validate checks a phone's request for its push requests. The server
// checks the timestamp against its clock and the signature.
func (r PendingPushRequest) Validate() error {
	f := fieldErrors{}
	f.check(r.DeviceID != "" && len(r.DeviceID) <= maxIDLen && printable(r.DeviceID), "device_id", "Send the device id this app was registered with.")
	f.check(r.Timestamp > 0, "timestamp", "Send the current time in Unix seconds.")
	f.base64(r.Signature, "signature", "Sign the request with the device key.")
	return f.err()
}

// Validate checks a phone's answer to a push request.
func (r PushAnswer) Validate() error {
	f := fieldErrors{}
	f.check(r.DeviceID != "" && len(r.DeviceID) <= maxIDLen && printable(r.DeviceID), "device_id", "Send the device id this app was registered with.")
	f.check(r.Decision == PushApprove || r.Decision == PushDeny, "decision", "Answer approve or deny.")
	f.check(r.Number >= 0 && r.Number <= MaxPushNumber, "number", "Pick one of the numbers the request offers.")
	f.base64(r.Signature, "signature", "Sign the answer with the device key.")
	return f.err()
}

// base64 checks that a field is standard, padded base64 of bounded size.
func (f fieldErrors) base64(value, field, msg string) {
	_, err := base64.StdEncoding.DecodeString(value)
	f.check(value != "" && len(value) <= maxKeyLen && err == nil, field, msg)
}
