//go:build cgo && windows

package hw

import "golang.org/x/sys/windows"

// windows10v1903 is the first Windows build that lets only administrators
// talk to FIDO keys over HID; others must go through webauthn.dll, which
// the libfido2 shipped with go-libfido2 cannot use (it has no
// "windows://hello" device).
const windows10v1903 = 18362

// needsAdmin reports whether this process cannot reach security keys
// because it runs without administrator rights.
func needsAdmin() bool {
	v := windows.RtlGetVersion()
	if v.MajorVersion < 10 || (v.MajorVersion == 10 && v.BuildNumber < windows10v1903) {
		return false
	}
	return !windows.GetCurrentProcessToken().IsElevated()
}
