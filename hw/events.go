package hw

import "fmt"

// EventKind says what an authenticator needs from the user now.
type EventKind int

// Event kinds, reported in the order they happen.
const (
	// InsertKey: waiting for a key to be plugged in.
	InsertKey EventKind = iota + 1
	// RemoveKey: waiting for the key to be unplugged (reset ceremony).
	RemoveKey
	// TouchKey: waiting for the user to touch the key (or, while
	// enrolling a fingerprint, to lay a finger on it).
	TouchKey
	// PINNeeded: the operation needs the key's PIN; Event.RetriesLeft says
	// how many attempts are left. The operation then returns
	// ErrPINRequired; call it again with the PIN.
	PINNeeded
	// FingerprintSample: a fingerprint sample was taken;
	// Event.SamplesRemaining and Event.Sample tell how it went.
	FingerprintSample
)

func (k EventKind) String() string {
	switch k {
	case InsertKey:
		return "insert key"
	case RemoveKey:
		return "remove key"
	case TouchKey:
		return "touch key"
	case PINNeeded:
		return "pin needed"
	case FingerprintSample:
		return "fingerprint sample"
	}
	return fmt.Sprintf("event(%d)", int(k))
}

// Event reports progress of a long operation. Only the fields of its Kind
// are set.
type Event struct {
	Kind EventKind
	// RetriesLeft (PINNeeded): PIN attempts left, -1 when unknown.
	RetriesLeft int
	// SamplesRemaining (FingerprintSample): samples still to take.
	SamplesRemaining int
	// Sample (FingerprintSample): how the last sample went.
	Sample SampleStatus
}

// SampleStatus is the outcome of one fingerprint sample, with the values of
// CTAP's lastEnrollSampleStatus.
type SampleStatus int

// Sample outcomes.
const (
	SampleGood          SampleStatus = 0x00
	SampleTooHigh       SampleStatus = 0x01
	SampleTooLow        SampleStatus = 0x02
	SampleTooLeft       SampleStatus = 0x03
	SampleTooRight      SampleStatus = 0x04
	SampleTooFast       SampleStatus = 0x05
	SampleTooSlow       SampleStatus = 0x06
	SamplePoorQuality   SampleStatus = 0x07
	SampleTooSkewed     SampleStatus = 0x08
	SampleTooShort      SampleStatus = 0x09
	SampleMergeFailure  SampleStatus = 0x0a
	SampleExists        SampleStatus = 0x0b
	SampleNoUserActive  SampleStatus = 0x0d
	SampleNoUpTransient SampleStatus = 0x0e
)

func (s SampleStatus) String() string {
	names := map[SampleStatus]string{
		SampleGood: "good", SampleTooHigh: "too high", SampleTooLow: "too low",
		SampleTooLeft: "too left", SampleTooRight: "too right", SampleTooFast: "too fast",
		SampleTooSlow: "too slow", SamplePoorQuality: "poor quality", SampleTooSkewed: "too skewed",
		SampleTooShort: "too short", SampleMergeFailure: "merge failure", SampleExists: "already enrolled",
		SampleNoUserActive: "no finger", SampleNoUpTransient: "finger not lifted",
	}
	if name, ok := names[s]; ok {
		return name
	}
	return fmt.Sprintf("sample status %d", int(s))
}

// emit calls events with e when events is not nil.
func emit(events func(Event), e Event) {
	if events != nil {
		events(e)
	}
}
