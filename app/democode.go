package app

import (
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// demoPeriod is the step of the demo token, in seconds.
const demoPeriod = 30

// DemoCode computes the current code of a demo TOTP secret (base32; SHA1,
// 6 digits, 30 s steps) and the seconds left before the next one. Only
// the demo panel uses it: outside demo mode the app never sees a secret
// after enrollment.
func DemoCode(secret string, now time.Time) (code string, secondsLeft int, err error) {
	code, err = totp.GenerateCodeCustom(secret, now, totp.ValidateOpts{
		Period:    demoPeriod,
		Digits:    otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", 0, fmt.Errorf("demo code: %w", err)
	}
	elapsed := int(now.Unix() % demoPeriod)
	if elapsed < 0 {
		elapsed += demoPeriod
	}
	return code, demoPeriod - elapsed, nil
}
