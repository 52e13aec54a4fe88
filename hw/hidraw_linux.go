//go:build cgo && linux

package hw

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// libfido2 skips hidraw nodes it cannot open, so a key without a udev rule
// granting access looks like no key at all. These helpers tell the two
// apart: sysfs describes every hidraw node to everyone, and a FIDO
// authenticator declares the FIDO usage page in its report descriptor.

// deniedKeys returns the /dev paths of FIDO hidraw nodes this user may not
// open.
func deniedKeys() []string {
	return deniedFIDONodes("/sys/class/hidraw", "/dev", openHidraw)
}

// accessError tells why the device node at path (a hidraw node; other
// paths such as "pcsc://…" are not files) cannot be used: ErrNoDevice when
// it is gone, ErrNoPermission when it may not be opened, nil otherwise.
func accessError(path string) error {
	if !filepath.IsAbs(path) {
		return nil
	}
	return openHidraw(path)
}

// openHidraw opens and closes a hidraw node the way libfido2 does, and
// maps a failure to ErrNoDevice or ErrNoPermission.
func openHidraw(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrNotExist):
		return ErrNoDevice
	case errors.Is(err, fs.ErrPermission):
		return ErrNoPermission
	}
	return nil
}

// deniedFIDONodes lists the nodes under devDir, named like the entries of
// sysDir, whose report descriptor is a FIDO one and that open refuses with
// ErrNoPermission.
func deniedFIDONodes(sysDir, devDir string, open func(path string) error) []string {
	entries, err := os.ReadDir(sysDir)
	if err != nil {
		return nil
	}
	var denied []string
	for _, e := range entries {
		desc, err := os.ReadFile(filepath.Join(sysDir, e.Name(), "device", "report_descriptor"))
		if err != nil || !isFIDOReportDescriptor(desc) {
			continue
		}
		path := filepath.Join(devDir, e.Name())
		if errors.Is(open(path), ErrNoPermission) {
			denied = append(denied, path)
		}
	}
	return denied
}

// fidoUsagePage is the HID usage page of FIDO authenticators.
const fidoUsagePage = 0xf1d0

// isFIDOReportDescriptor walks the short items of a HID report descriptor
// and reports whether one of them selects the FIDO usage page.
func isFIDOReportDescriptor(desc []byte) bool {
	for i := 0; i < len(desc); {
		prefix := desc[i]
		if prefix == 0xfe { // long item: size in the next byte
			if i+1 >= len(desc) {
				return false
			}
			i += 3 + int(desc[i+1])
			continue
		}
		size := int(prefix & 0x03)
		if size == 3 {
			size = 4
		}
		if i+1+size > len(desc) {
			return false
		}
		const usagePageItem = 0x04 // global item, tag 0
		if prefix&0xfc == usagePageItem {
			value := 0
			for j := size; j > 0; j-- {
				value = value<<8 | int(desc[i+j])
			}
			if value == fidoUsagePage {
				return true
			}
		}
		i += 1 + size
	}
	return false
}
