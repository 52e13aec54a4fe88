//go:build cgo && !linux

package hw

// deniedKeys: only Linux hides keys this user may not open (see
// hidraw_linux.go); elsewhere there is nothing to find.
func deniedKeys() []string { return nil }

// accessError: device paths on other systems are not files to check.
func accessError(string) error { return nil }
