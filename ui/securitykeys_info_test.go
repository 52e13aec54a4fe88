package ui

import (
	"slices"
	"testing"

	"selfservice/hw"
)

func TestKeyFactsOfAUSBKey(t *testing.T) {
	dev := hw.DeviceInfo{Path: "/dev/hidraw3", Product: "YubiKey 5 NFC", Manufacturer: "Yubico", Transport: hw.TransportUSB}
	info := hw.Info{
		Versions:   []string{"U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"},
		AAGUID:     []byte{0x2f, 0xc0, 0x57, 0x9f, 0x81, 0x13, 0x47, 0xea, 0xb1, 0x16, 0xbb, 0x5a, 0x8d, 0xb9, 0x20, 0x2a},
		Options:    map[string]bool{"rk": true, "clientPin": true, "credentialMgmtPreview": true, "up": true},
		PINRetries: 5,
	}
	want := []keyFact{
		{"Product", "YubiKey 5 NFC"},
		{"Manufacturer", "Yubico"},
		{"Connection", "USB"},
		{"FIDO versions", "U2F, FIDO 2.0, FIDO 2.1 (preview)"},
		{"Model (AAGUID)", "2fc0579f-8113-47ea-b116-bb5a8db9202a"},
		{"Passkeys stored on the key", "Yes"},
		{"Passkey management", "Yes"},
		{"Fingerprints", "No sensor"},
		{"PIN attempts left", "5"},
	}
	if got := keyFacts(dev, info); !slices.Equal(got, want) {
		t.Errorf("keyFacts =\n%v\nwant\n%v", got, want)
	}
}

func TestFormatAAGUID(t *testing.T) {
	tests := []struct {
		aaguid []byte
		want   string
	}{
		{nil, "Not reported"},
		{make([]byte, 16), "Not reported"},
		{[]byte{1, 2}, "0102"},
		{[]byte("selfservice-vkey"), "73656c66-7365-7276-6963-652d766b6579"},
	}
	for _, tt := range tests {
		if got := formatAAGUID(tt.aaguid); got != tt.want {
			t.Errorf("formatAAGUID(%x) = %q, want %q", tt.aaguid, got, tt.want)
		}
	}
}

func TestPINState(t *testing.T) {
	tests := []struct {
		name        string
		info        hw.Info
		status      string
		explanation string
	}{
		{"no PIN support", hw.Info{Options: map[string]bool{}}, "This key has no PIN.", "only asks you to touch it"},
		{"no PIN yet", hw.Info{Options: map[string]bool{"clientPin": false}, PINRetries: 8}, "No PIN is set.", "only a reset removes it"},
		{"PIN set", hw.Info{Options: map[string]bool{"clientPin": true}, PINRetries: 3}, "A PIN is set.", "3 attempts are left"},
		{"retries unknown", hw.Info{Options: map[string]bool{"clientPin": true}, PINRetries: -1}, "A PIN is set.", ""},
		{"blocked", hw.Info{Options: map[string]bool{"clientPin": true}, PINRetries: 0}, "The PIN is blocked.", "Only a reset"},
	}
	for _, tt := range tests {
		status, explanation := pinState(tt.info)
		if status != tt.status || !matches(explanation, tt.explanation) {
			t.Errorf("%s: pinState = %q, %q; want %q, %q", tt.name, status, explanation, tt.status, tt.explanation)
		}
	}
}

func TestDeviceLabelsTellKeysOfTheSameNameApart(t *testing.T) {
	devices := []hw.DeviceInfo{
		{Path: "/dev/hidraw1", Product: "YubiKey 5"},
		{Path: "/dev/hidraw2", Product: "Solo 2"},
		{Path: "/dev/hidraw3", Product: "YubiKey 5"},
		{Path: "/dev/hidraw4"},
	}
	want := []string{"YubiKey 5 (1)", "Solo 2", "YubiKey 5 (2)", "Security key"}
	if got := deviceLabels(devices); !slices.Equal(got, want) {
		t.Errorf("deviceLabels = %v, want %v", got, want)
	}
}

func TestSampleTextSaysWhatToDoNext(t *testing.T) {
	tests := []struct {
		ev   hw.Event
		want []string
	}{
		{hw.Event{Sample: hw.SampleGood, SamplesRemaining: 2}, []string{"Good.", "2 more samples"}},
		{hw.Event{Sample: hw.SampleGood, SamplesRemaining: 0}, []string{"last sample"}},
		{hw.Event{Sample: hw.SampleTooFast, SamplesRemaining: 3}, []string{"too fast", "3 more samples"}},
		{hw.Event{Sample: hw.SampleExists, SamplesRemaining: 1}, []string{"already enrolled", "1 more sample"}},
		{hw.Event{Sample: hw.SampleStatus(0x42), SamplesRemaining: 1}, []string{"not usable"}},
	}
	for _, tt := range tests {
		got := sampleText(tt.ev)
		for _, w := range tt.want {
			if !contains(got, w) {
				t.Errorf("sampleText(%v, %d left) = %q, want it to contain %q", tt.ev.Sample, tt.ev.SamplesRemaining, got, w)
			}
		}
	}
}
