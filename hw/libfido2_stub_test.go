//go:build !cgo

package hw

import (
	"context"
	"errors"
	"testing"
)

func TestLibfido2NotCompiledIn(t *testing.T) {
	if _, err := (Libfido2{}).Devices(context.Background()); !errors.Is(err, ErrNotCompiledIn) {
		t.Errorf("Devices = %v, want ErrNotCompiledIn", err)
	}
	if _, err := (Libfido2{}).Open("/dev/hidraw0"); !errors.Is(err, ErrNotCompiledIn) {
		t.Errorf("Open = %v, want ErrNotCompiledIn", err)
	}
}
