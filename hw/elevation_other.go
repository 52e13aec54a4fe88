//go:build cgo && !windows

package hw

// needsAdmin: only Windows reserves security keys to administrators.
func needsAdmin() bool { return false }
