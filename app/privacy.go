package app

import (
	"context"
	"io"
	"strings"

	"selfservice/api"
)

// Privacy and data (api.PrivPrivacyView, api.PrivPrivacyUpdate): the
// organisation's consents, granted or declined one by one, and the copy
// of what the server holds about the user, saved to a file. Deleting the
// account (api.PrivAccountDelete) needs the username typed and a step-up
// every time; once it is deleted, the session ends here too.

// Consents lists the organisation's consents with the user's answers.
func (s *Session) Consents(ctx context.Context) (api.ConsentsResponse, error) {
	return call(s, func(b Backend) (api.ConsentsResponse, error) {
		return b.Consents(ctx)
	})
}

// SetConsent grants or declines the consent id and returns it.
func (s *Session) SetConsent(ctx context.Context, id string, granted bool) (api.Consent, error) {
	return call(s, func(b Backend) (api.Consent, error) {
		return b.SetConsent(ctx, id, granted)
	})
}

// ExportAccount saves the copy of the user's data to the file at path,
// as DownloadDocument saves a document.
func (s *Session) ExportAccount(ctx context.Context, path string, progress Progress) error {
	return saveFile(s, path, func(b Backend, w io.Writer) (int64, error) {
		return b.ExportAccount(ctx, w, progress)
	})
}

// ExportFileName is the name the copy of the data is offered to be saved
// as.
func (s *Session) ExportFileName(today string) string {
	return "selfservice-data-" + s.User().Username + "-" + today + ".json"
}

// DeletionSummary says what deleting the account removes.
func (s *Session) DeletionSummary(ctx context.Context) (api.DeletionSummary, error) {
	return call(s, func(b Backend) (api.DeletionSummary, error) {
		return b.DeletionSummary(ctx)
	})
}

// DeleteAccount deletes the user's account. typed must be the username
// (a field error of "username" otherwise, found before anything is
// sent). Without a confirmed approval in ctx (api.WithApproval) it fails
// with approval_required; where approvers must approve first it fails
// with approval_pending. Once the account is deleted the user is signed
// out here, their saved session and username forgotten.
func (s *Session) DeleteAccount(ctx context.Context, typed string) error {
	cur := s.current()
	if cur == nil {
		return errSignedOut()
	}
	username := cur.me.User.Username
	if strings.TrimSpace(typed) != username {
		return api.FieldError(map[string]string{"username": "This is not your username. Type " + username + " exactly as shown to confirm."})
	}
	_, err := callOn(s, cur, func(b Backend) (struct{}, error) {
		return struct{}{}, b.DeleteAccount(ctx, api.DeleteAccountRequest{Username: username})
	})
	if err != nil {
		return err
	}
	if s.prefs.String(PrefLastUsername) == username {
		s.prefs.SetString(PrefLastUsername, "")
	}
	_ = s.Logout(ctx) // the server ended the session; this forgets it here
	return nil
}
