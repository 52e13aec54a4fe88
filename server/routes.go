package server

import (
	"net/http"
)

// access says who may call a route.
type access int

const (
	public    access = iota // anyone
	enrolling               // a session, even one whose user has no ACTIVE token yet
	signedIn                // a full session: its user has an ACTIVE token
)

// handlerFunc handles one route. c is nil on public routes. A returned
// error is sent in the error envelope.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// route is one API call; Path is relative to api.BasePath.
type route struct {
	Method string
	Path   string
	Access access
	Handle handlerFunc
}

// routeTable lists every API call. api/openapi.yaml documents exactly
// these; a test keeps the two equal.
func (s *Server) routeTable() []route {
	return []route{
		{http.MethodGet, "/health", public, s.health},

		{http.MethodPost, "/auth/login", public, s.login},
		{http.MethodPost, "/auth/login/{login_id}/challenge", public, s.loginChallenge},
		{http.MethodPost, "/auth/login/{login_id}/verify", public, s.verifyLogin},
		{http.MethodPost, "/auth/passwordless", public, s.beginPasswordless},
		{http.MethodPost, "/auth/passwordless/{login_id}/verify", public, s.verifyPasswordless},
		{http.MethodPost, "/auth/qr", public, s.beginQRLogin},
		{http.MethodPost, "/auth/qr/{login_id}/verify", public, s.verifyQRLogin},
		{http.MethodGet, "/auth/recovery", public, s.recoveryOptions},
		{http.MethodPost, "/auth/password-reset", public, s.requestPasswordReset},
		{http.MethodPost, "/auth/password-reset/check", public, s.checkResetLink},
		{http.MethodPost, "/auth/password-reset/finish", public, s.resetPassword},
		{http.MethodPost, "/auth/username-reminder", public, s.usernameReminder},
		{http.MethodPost, "/auth/register", public, s.register},
		{http.MethodPost, "/auth/register/resend", public, s.resendActivation},
		{http.MethodPost, "/auth/register/activate", public, s.activateAccount},
		{http.MethodPost, "/auth/logout", enrolling, s.logout},
		{http.MethodGet, "/me", enrolling, s.me},
		{http.MethodGet, "/account/password/policy", signedIn, s.passwordPolicy},
		{http.MethodPut, "/account/password", signedIn, s.changePassword},
		{http.MethodGet, "/account/applications", signedIn, s.listApplications},
		{http.MethodGet, "/account/profile", signedIn, s.getProfile},
		{http.MethodPatch, "/account/profile", signedIn, s.updateProfile},
		{http.MethodGet, "/account/sessions", signedIn, s.listSessions},
		{http.MethodDelete, "/account/sessions/{id}", signedIn, s.endSession},
		{http.MethodPost, "/account/sessions/sign-out", signedIn, s.signOutSessions},
		{http.MethodPut, "/account/default-method", signedIn, s.setDefaultMethod},
		{http.MethodGet, "/account/activity", signedIn, s.listActivity},
		{http.MethodPost, "/account/activity/{id}/report", signedIn, s.reportSignIn},

		{http.MethodGet, "/token-templates", enrolling, s.listTemplates},
		{http.MethodGet, "/tokens", enrolling, s.listTokens},
		{http.MethodPost, "/tokens", enrolling, s.createToken},
		{http.MethodPost, "/tokens/claim", enrolling, s.claimToken},
		{http.MethodGet, "/tokens/{id}", enrolling, s.getToken},
		{http.MethodPatch, "/tokens/{id}", signedIn, s.renameToken},
		{http.MethodDelete, "/tokens/{id}", enrolling, s.deleteToken}, // only PENDING tokens while enrolling
		{http.MethodPost, "/tokens/{id}/activate", enrolling, s.activateToken},
		{http.MethodPost, "/tokens/{id}/challenge", enrolling, s.tokenChallenge}, // only PENDING tokens while enrolling
		{http.MethodPost, "/tokens/{id}/test", signedIn, s.testToken},
		{http.MethodPost, "/tokens/{id}/resync", signedIn, s.resyncToken},
		{http.MethodPost, "/tokens/{id}/enable", signedIn, s.enableToken},
		{http.MethodPost, "/tokens/{id}/disable", signedIn, s.disableToken},
		{http.MethodPost, "/tokens/{id}/provisioning", signedIn, s.renewProvisioning},
		{http.MethodPut, "/tokens/{id}/address", signedIn, s.changeAddress},
		{http.MethodPost, "/tokens/{id}/address/confirm", signedIn, s.confirmAddress},

		{http.MethodGet, "/account/contacts", signedIn, s.listContacts},
		{http.MethodPut, "/account/contacts/{field}", signedIn, s.setContact},
		{http.MethodDelete, "/account/contacts/{field}", signedIn, s.deleteContact},
		{http.MethodPost, "/account/contacts/{field}/confirm", signedIn, s.confirmContact},
		{http.MethodPost, "/account/contacts/{field}/preferred", signedIn, s.preferContact},
		{http.MethodGet, "/account/documents", signedIn, s.listDocuments},
		{http.MethodPost, "/account/documents", signedIn, s.uploadDocument},
		{http.MethodGet, "/account/documents/{id}/content", signedIn, s.documentContent},
		{http.MethodDelete, "/account/documents/{id}", signedIn, s.deleteDocument},
		{http.MethodGet, "/account/questions", signedIn, s.listQuestions},
		{http.MethodPut, "/account/questions/{id}", signedIn, s.answerQuestion},
		{http.MethodDelete, "/account/questions/{id}", signedIn, s.removeAnswer},
		{http.MethodPost, "/account/questions/{id}/reveal", signedIn, s.revealAnswer},
		{http.MethodGet, "/account/consents", signedIn, s.listConsents},
		{http.MethodPut, "/account/consents/{id}", signedIn, s.setConsent},
		{http.MethodGet, "/account/export", signedIn, s.exportAccount},
		{http.MethodGet, "/account/deletion", signedIn, s.deletionSummary},
		{http.MethodDelete, "/account", signedIn, s.deleteAccount},

		{http.MethodGet, "/invitation-templates", signedIn, s.listInvitationTemplates},
		{http.MethodGet, "/invitations", signedIn, s.listInvitations},
		{http.MethodPost, "/invitations", signedIn, s.createInvitation},
		{http.MethodGet, "/invitations/{id}", signedIn, s.getInvitation},
		{http.MethodDelete, "/invitations/{id}", signedIn, s.deleteInvitation},
		{http.MethodPost, "/invitations/{id}/resend", signedIn, s.resendInvitation},
		{http.MethodPost, "/invitations/{id}/recall", signedIn, s.recallInvitation},

		{http.MethodGet, "/approvals/{id}", signedIn, s.getApproval},
		{http.MethodPost, "/approvals/{id}/challenge", signedIn, s.approvalChallenge},
		{http.MethodPost, "/approvals/{id}/verify", signedIn, s.verifyApproval},

		{http.MethodGet, "/requests", signedIn, s.listRequests},
		{http.MethodGet, "/requests/{id}", signedIn, s.getRequest},
		{http.MethodPost, "/requests/{id}/revoke", signedIn, s.revokeRequest},

		{http.MethodGet, "/inbox", signedIn, s.listInbox},
		{http.MethodGet, "/inbox/{id}", signedIn, s.getInboxRequest},
		{http.MethodPost, "/inbox/{id}/approve", signedIn, s.approveRequest},
		{http.MethodPost, "/inbox/{id}/decline", signedIn, s.declineRequest},

		{http.MethodGet, "/users/{username}/emergency-code", signedIn, s.emergencyHolder},
		{http.MethodPost, "/users/{username}/emergency-code", signedIn, s.issueEmergencyCode},
		{http.MethodGet, "/users/{username}/hardware-tokens", signedIn, s.listUserHardware},
		{http.MethodPost, "/users/{username}/hardware-tokens/{serial}/unassign", signedIn, s.unassignUserHardware},
		{http.MethodGet, "/users/{username}/questions", signedIn, s.listUserQuestions},
		{http.MethodPost, "/users/{username}/questions/{id}/check", signedIn, s.checkUserAnswer},

		// The authenticator app on the phone: no session, signed with the device key.
		{http.MethodPost, "/push/devices", public, s.registerDevice},
		{http.MethodPost, "/push/pending", public, s.listPending},
		{http.MethodPost, "/push/requests/{id}/answer", public, s.answerPush},
	}
}

// endpoint wraps a route's handler with its access check.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c *caller
		if rt.Access == public && rt.Path != "/health" {
			if err := s.limitAnonymous(r); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if rt.Access != public {
			var err error
			c, err = s.authenticate(r)
			if err == nil && rt.Access == signedIn && c.partial {
				err = errEnrollmentRequired()
			}
			if err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if err := rt.Handle(w, r, c); err != nil {
			s.writeError(w, r, err)
		}
	})
}
