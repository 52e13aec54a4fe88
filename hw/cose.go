package hw

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// ctap2CBOR encodes CBOR the way CTAP2 wants it: canonical, map keys
// sorted by length then bytes.
var ctap2CBOR = func() cbor.EncMode {
	mode, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		panic(err) // the options are constant
	}
	return mode
}()

// COSE key labels and values (RFC 9053) for an EC2 P-256 public key.
const (
	coseKeyType   = 1
	coseAlgorithm = 3
	coseCurve     = -1
	coseX         = -2
	coseY         = -3
	coseEC2       = 2
	coseP256      = 1
)

// coseES256Key encodes pub as a COSE_Key for ES256, the form it takes in
// attested credential data.
func coseES256Key(pub *ecdsa.PublicKey) ([]byte, error) {
	point, err := pub.Bytes() // 0x04 || X || Y
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	x, y := point[1:33], point[33:65]
	return ctap2CBOR.Marshal(map[int]any{
		coseKeyType:   coseEC2,
		coseAlgorithm: AlgES256,
		coseCurve:     coseP256,
		coseX:         x,
		coseY:         y,
	})
}
