package server

import (
	"slices"

	"selfservice/api"
)

// graceMethods are the second factors whose sign-in confirms a step-up
// during the tenant's grace: the methods used after the password. An
// emergency access code, a QR sign-in and a passkey without password do
// not: the step-up asks for a method then.
var graceMethods = []api.SignInMethod{api.MethodTOTP, api.MethodHOTP, api.MethodSMS, api.MethodEmail, api.MethodPush, api.MethodFIDO2}

// inGrace reports whether the caller's sign-in confirms a step-up of op by
// itself: it finished with a second factor less than the grace ago, and
// op is not one that always asks.
func (s *Server) inGrace(c *caller, op api.Operation) bool {
	t := s.cfg.Tenant.StepUp
	return t.graced(op) && slices.Contains(graceMethods, c.session.SecondFactor) &&
		s.now().Sub(c.session.CreatedAt) < t.grace()
}
