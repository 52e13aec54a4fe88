package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
	"selfservice/app"
	"selfservice/hw"
)

// The actions of the tokens list for security keys: test and activate
// run the ceremony with the key instead of asking for a code.

// testKey checks that the key of t still signs in.
func (s *tokensScreen) testKey(t api.Token) {
	s.keyAction(t, lang.L("Test security key"), lang.L("Testing checks that your key works. It does not change anything."),
		lang.L("“{{.Name}}” works: your security key answered correctly.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			_, err := s.ui.session.TestKey(ctx, t.ID, a, pin, events)
			return err
		})
}

// activateKey registers a key for a PENDING token whose enrollment was
// not finished.
func (s *tokensScreen) activateKey(t api.Token) {
	e := &app.KeyEnrollment{Token: t}
	s.keyAction(t, lang.L("Activate security key"), lang.L("Your security key is being registered with your account."),
		lang.L("“{{.Name}}” is active.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context, a hw.Authenticator, pin string, events func(hw.Event)) error {
			_, err := s.ui.session.RegisterKey(ctx, e, a, pin, events)
			return err
		})
}

// keyAction runs a ceremony for the row of t and reports the outcome
// above the list.
func (s *tokensScreen) keyAction(t api.Token, title, purpose, success string, op keyOp) {
	if s.ui.opts.Keys == nil {
		s.notice.show(bannerError, errorMessage(hw.ErrNotCompiledIn), "", nil)
		return
	}
	s.notice.hide()
	row := s.rows[t.ID]
	row.setBusy(true)
	s.ceremony = runKeyCeremony(s.ui, s.ctx, title, keyCeremony{
		purpose: purpose,
		op:      op,
		final:   tokenGone,
		done: func(err error) {
			s.ceremony = nil
			row.setBusy(false)
			switch {
			case err == nil:
				s.notice.show(bannerSuccess, success, "", nil)
				s.load() // its status or last use changed
			case errors.Is(err, hw.ErrCancelled):
			default:
				s.notice.show(bannerError, errorMessage(err), "", nil)
				s.load()
			}
		},
	})
}
