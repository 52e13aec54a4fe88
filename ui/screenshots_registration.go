package ui

import "errors"

// screenshotRegistration captures Create account as "signin-register",
// the form filled in with the password half typed (one rule still to
// keep), and goes back to the
// password form without sending anything.
func screenshotRegistration(s *signInScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if !s.createAccount.Visible() {
		return errors.New("the demo server does not offer Create account")
	}
	s.onCreateAccount()
	v := s.register
	v.name.SetText("Nora North")
	v.username.SetText("nora")
	v.email.SetText("nora@example.com")
	v.password.SetText("Copper kett")
	if err := capture("signin-register"); err != nil {
		return err
	}
	v.name.SetText("")
	v.username.SetText("")
	v.email.SetText("")
	v.password.SetText("")
	s.showForm()
	return nil
}
