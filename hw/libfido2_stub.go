//go:build !cgo

package hw

import "context"

// Libfido2 would reach the security keys attached to this computer; this
// build has no cgo, hence no libfido2, and every call returns
// ErrNotCompiledIn. The software authenticator still works.
type Libfido2 struct{}

var _ Provider = Libfido2{}

// Devices returns ErrNotCompiledIn.
func (Libfido2) Devices(context.Context) ([]DeviceInfo, error) { return nil, ErrNotCompiledIn }

// Open returns ErrNotCompiledIn.
func (Libfido2) Open(string) (Authenticator, error) { return nil, ErrNotCompiledIn }
