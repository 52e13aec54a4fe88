package ui

import (
	"image/color"
	"testing"
)

// BenchmarkQRCode measures encoding and painting the enrollment QR code of
// a typical authenticator-app setup link, done once per enrollment.
func BenchmarkQRCode(b *testing.B) {
	const uri = "otpauth://totp/Selfservice:jane.doe@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Selfservice&algorithm=SHA1&digits=6&period=30"
	b.ReportAllocs()
	for b.Loop() {
		q, err := newQRCode(uri, 240)
		if err != nil {
			b.Fatal(err)
		}
		if img := qrImage(q.modules, color.Black, color.White); img.Bounds().Dx() == 0 {
			b.Fatal("empty QR image")
		}
	}
}
