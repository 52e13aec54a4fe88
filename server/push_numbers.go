package server

import (
	"crypto/rand"
	"math/big"
	"slices"

	"selfservice/api"
)

// Number matching: a sign-in or step-up push request carries a number
// that the computer shows; the phone offers it among three, and only the
// right pick approves. Someone who merely has the password cannot make
// the user approve by tapping a request they did not start.

// matchedKinds are the push requests with number matching. A test is
// started by the signed-in user on this very screen and a QR sign-in is
// read from it: neither needs one.
var matchedKinds = map[string]bool{api.PushSignIn: true, api.PushApproval: true}

// pushNumbers draws the number to show, from 10 to api.MaxPushNumber, and
// the three choices the phone offers: it and two others, in random order.
func pushNumbers() (number int, choices []int) {
	draw := func() int {
		n, _ := rand.Int(rand.Reader, big.NewInt(api.MaxPushNumber-9)) // never fails (see crypto/rand)
		return int(n.Int64()) + 10
	}
	number = draw()
	choices = []int{number}
	for len(choices) < 3 {
		if n := draw(); !slices.Contains(choices, n) {
			choices = append(choices, n)
		}
	}
	for i := len(choices) - 1; i > 0; i-- {
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		choices[i], choices[j.Int64()] = choices[j.Int64()], choices[i]
	}
	return number, choices
}

func errWrongNumber() error {
	return api.FieldError(map[string]string{"number": "That is not the number the computer shows, so the request was refused. If you did not start it, tell your helpdesk."})
}

func errNumberMissing() error {
	return api.FieldError(map[string]string{"number": "Pick the number the computer shows to approve."})
}
