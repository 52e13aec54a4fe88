// Package app is the desktop application's core, without any UI: the
// session lifecycle (sign-in, resume, expiry, sign-out), the token
// operations the screens call, settings, and the keyring-backed secret
// store. It declares the small interfaces it consumes; main.go passes
// the concrete client and keyring.
package app

import (
	"context"
	"io"

	"selfservice/api"
)

// Backend is what the core needs from the Selfservice server.
// *client.Client implements it.
type Backend interface {
	SetSessionToken(token string)

	Login(ctx context.Context, req api.LoginRequest) (api.LoginResponse, error)
	VerifyLogin(ctx context.Context, loginID string, req api.VerifyLoginRequest) (api.SessionResponse, error)
	Logout(ctx context.Context) error
	Me(ctx context.Context) (api.MeResponse, error)

	// Recovery at sign-in, without a session.
	RecoveryOptions(ctx context.Context) (api.RecoveryOptions, error)
	RequestPasswordReset(ctx context.Context, req api.PasswordResetRequest) (api.RecoverySent, error)
	CheckResetLink(ctx context.Context, token string) (api.ResetLink, error)
	ResetPassword(ctx context.Context, req api.ResetPasswordRequest) (api.ResetPasswordResponse, error)
	RemindUsername(ctx context.Context, req api.UsernameReminderRequest) (api.RecoverySent, error)
	Register(ctx context.Context, req api.RegisterRequest) (api.RecoverySent, error)
	ResendActivation(ctx context.Context, username string) (api.RecoverySent, error)
	Activate(ctx context.Context, token string) (api.Activated, error)

	PasswordPolicy(ctx context.Context) (api.PasswordPolicy, error)
	ChangePassword(ctx context.Context, req api.ChangePasswordRequest) (api.ChangePasswordResponse, error)
	Applications(ctx context.Context) (api.ApplicationsResponse, error)
	Contacts(ctx context.Context) (api.ContactsResponse, error)
	SetContact(ctx context.Context, field string, req api.SetContactRequest) (api.ContactResponse, error)
	DeleteContact(ctx context.Context, field string) (api.ContactResponse, error)
	ConfirmContact(ctx context.Context, field string, req api.OTPRequest) (api.ContactResponse, error)
	PreferContact(ctx context.Context, field string) (api.ContactResponse, error)
	Profile(ctx context.Context) (api.Profile, error)
	UpdateProfile(ctx context.Context, req api.UpdateProfileRequest) (api.Profile, error)

	// The user's sessions and sign-in activity.
	Sessions(ctx context.Context) ([]api.Session, error)
	EndSession(ctx context.Context, id string) error
	SignOutSessions(ctx context.Context, which string) (int, error)
	Activity(ctx context.Context, limit int) ([]api.SignInAttempt, error)
	ReportSignIn(ctx context.Context, id string) (api.ReportResponse, error)

	// Documents: uploads and downloads stream, calling progress with the
	// bytes moved so far and the total (-1 when unknown).
	Documents(ctx context.Context) (api.DocumentsResponse, error)
	UploadDocument(ctx context.Context, up api.UploadDocument, body io.Reader, size int64, progress func(done, total int64)) (api.Document, error)
	DownloadDocument(ctx context.Context, id string, w io.Writer, progress func(done, total int64)) (int64, error)
	DeleteDocument(ctx context.Context, id string) error

	// Verification questions: the user's answers (RevealAnswer needs a
	// step-up every time), and the helpdesk's check of a caller's answer.
	Questions(ctx context.Context) (api.QuestionsResponse, error)
	AnswerQuestion(ctx context.Context, id string, req api.AnswerRequest) (api.QuestionsResponse, error)
	RemoveAnswer(ctx context.Context, id string) (api.QuestionsResponse, error)
	RevealAnswer(ctx context.Context, id string) (api.RevealResponse, error)
	UserQuestions(ctx context.Context, username string) (api.UserQuestionsResponse, error)
	CheckAnswer(ctx context.Context, username, id string, req api.AnswerRequest) (api.CheckAnswerResponse, error)

	// Privacy and data: the consents, the copy of the user's data
	// (streamed as DownloadDocument), and the deletion of the account
	// (a step-up every time).
	Consents(ctx context.Context) (api.ConsentsResponse, error)
	SetConsent(ctx context.Context, id string, granted bool) (api.Consent, error)
	ExportAccount(ctx context.Context, w io.Writer, progress func(done, total int64)) (int64, error)
	DeletionSummary(ctx context.Context) (api.DeletionSummary, error)
	DeleteAccount(ctx context.Context, req api.DeleteAccountRequest) error

	// Sponsored invitations of people who have no account yet.
	InvitationTemplates(ctx context.Context) (api.InvitationTemplatesResponse, error)
	Invitations(ctx context.Context, status api.InvitationStatus) ([]api.Invitation, error)
	Invitation(ctx context.Context, id string) (api.Invitation, error)
	CreateInvitation(ctx context.Context, req api.CreateInvitationRequest) (api.Invitation, error)
	ResendInvitation(ctx context.Context, id string) (api.Invitation, error)
	RecallInvitation(ctx context.Context, id string) (api.Invitation, error)
	DeleteInvitation(ctx context.Context, id string) error

	Templates(ctx context.Context) ([]api.TokenTemplate, error)
	Tokens(ctx context.Context) ([]api.Token, error)
	Token(ctx context.Context, id string) (api.Token, error)
	CreateToken(ctx context.Context, req api.CreateTokenRequest) (api.CreateTokenResponse, error)
	ClaimToken(ctx context.Context, req api.ClaimTokenRequest) (api.Token, error)
	ActivateToken(ctx context.Context, id string, req api.OTPRequest) (api.Token, error)
	TestToken(ctx context.Context, id string, req api.OTPRequest) (api.Token, error)
	ResyncToken(ctx context.Context, id string, req api.ResyncRequest) (api.Token, error)
	EnableToken(ctx context.Context, id string) (api.Token, error)
	DisableToken(ctx context.Context, id string) (api.Token, error)
	UpdateToken(ctx context.Context, id string, req api.UpdateTokenRequest) (api.Token, error)
	SetDefaultMethod(ctx context.Context, req api.DefaultMethodRequest) (api.Token, error)
	DeleteToken(ctx context.Context, id string) error

	// Challenges prepare a token for a proof: the options of a security
	// key (FIDO2; standard WebAuthn JSON, answered in the WebAuthn field of
	// VerifyLogin, ActivateToken and TestToken), a code sent to an SMS or
	// email token (typed into the OTP field), or a push request to the
	// phone (its id polled in the PushID field until the phone answers).
	LoginChallenge(ctx context.Context, loginID string, req api.LoginChallengeRequest) (api.ChallengeResponse, error)
	Passwordless(ctx context.Context) (api.PasswordlessResponse, error)
	VerifyPasswordless(ctx context.Context, loginID string, req api.PasswordlessVerifyRequest) (api.SessionResponse, error)
	TokenChallenge(ctx context.Context, id string) (api.ChallengeResponse, error)

	// SMS and email tokens: move one to a new address, confirmed with the
	// code sent there.
	ChangeAddress(ctx context.Context, id string, req api.ChangeAddressRequest) (api.ChallengeResponse, error)
	ConfirmAddress(ctx context.Context, id string, req api.OTPRequest) (api.Token, error)

	// The push authenticator app: a new provisioning payload for a PENDING
	// push token (optionally sent by email or SMS), and the passwordless
	// sign-in by QR code, polled until the phone answers.
	NewProvisioning(ctx context.Context, id string, req api.ProvisioningRequest) (api.ProvisioningResponse, error)
	BeginQRLogin(ctx context.Context) (api.QRLoginResponse, error)
	VerifyQRLogin(ctx context.Context, loginID string) (api.SessionResponse, error)

	// Step-up approval of an approvable action. The action is then repeated
	// with a context made by api.WithApproval.
	Approval(ctx context.Context, id string) (api.Approval, error)
	ApprovalChallenge(ctx context.Context, id string, req api.ApprovalChallengeRequest) (api.ChallengeResponse, error)
	VerifyApproval(ctx context.Context, id string, req api.VerifyApprovalRequest) (api.Approval, error)

	// Approval requests: the user's own ("My requests") and those they
	// approve ("To approve"). filter is api.FilterPending or api.FilterAll.
	Requests(ctx context.Context, filter string) ([]api.ApprovalRequest, error)
	Request(ctx context.Context, id string) (api.ApprovalRequest, error)
	RevokeRequest(ctx context.Context, id string) (api.ApprovalRequest, error)
	Inbox(ctx context.Context, filter string) ([]api.ApprovalRequest, error)
	InboxRequest(ctx context.Context, id string) (api.ApprovalRequest, error)
	ApproveRequest(ctx context.Context, id string, req api.DecisionRequest) (api.ApprovalRequest, error)
	DeclineRequest(ctx context.Context, id string, req api.DecisionRequest) (api.ApprovalRequest, error)

	// Emergency access codes: helpdesk issues one to another user. Sign-in
	// and step-up use it through VerifyLogin and VerifyApproval.
	IssueEmergencyCode(ctx context.Context, username string, req api.IssueEmergencyCodeRequest) (api.EmergencyCodeResponse, error)
	EmergencyHolder(ctx context.Context, username string) (api.EmergencyHolderResponse, error)

	// Other users' hardware tokens: helpdesk lists them and takes one back.
	HardwareTokens(ctx context.Context, username string) (api.HardwareDevicesResponse, error)
	UnassignHardwareToken(ctx context.Context, username, serial string, force bool) (api.HardwareDevicesResponse, error)
}

// Connector makes a Backend for a server URL. It fails with an *api.Error
// (insecure_url, invalid_request) when the URL cannot be used.
type Connector func(serverURL string) (Backend, error)

// Preferences holds non-secret settings. fyne.Preferences implements it.
type Preferences interface {
	String(key string) string
	SetString(key, value string)
	// RemoveValue deletes key with its value, so that not even the key
	// (which may name the user) stays behind.
	RemoveValue(key string)
}

// Preference keys.
const (
	PrefServerURL    = "server_url"
	PrefLastUsername = "last_username"
	// PrefLanguage is the language of the last user signed in (a BCP 47
	// tag; "" for the computer's), so that the next start speaks it from
	// the sign-in screen on.
	PrefLanguage = "language"
	// PrefWindowSize is the main window's size when it was last closed,
	// "960x640" (in the app's units), restored at the next start.
	PrefWindowSize = "window_size"
	// PrefRequestsSeen, followed by a user id, is the newest decision on
	// that user's requests the app told them of (JSON: when it was made,
	// and the requests decided then), so that each decision is told once
	// (see NewlyDecided).
	PrefRequestsSeen = "requests_seen."
)

// Secrets stores secrets in the OS keyring. Implementations return
// ErrSecretNotFound for a missing entry and ErrSecretsUnavailable (wrapped)
// when there is no usable keyring.
type Secrets interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
	Delete(service, account string) error
}
