package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
	"selfservice/app"
)

// screenshotTemplate is the demo template whose enrollment the demo
// helpdesk user approves.
const screenshotTemplate = "hotp-app"

// screenshotApprovals captures "my-requests" and "to-approve". Signed in
// as the first demo account (main is its window), it asks twice to add a
// counter-based authenticator app, which the demo's policies send to the
// helpdesk user, revokes the second request, and captures My requests
// with all requests. It then signs out, signs in as the demo helpdesk
// user, opens the waiting request in To approve with a comment typed,
// and captures it. Call it last: it leaves the helpdesk user signed in.
func screenshotApprovals(u *UI, main *mainScreen, opts Options, capture func(string) error, wait func(string, func() bool) error) error {
	helpdesk := slices.IndexFunc(opts.Demo, func(d DemoInfo) bool { return d.Username == "helpdesk" })
	if helpdesk < 0 {
		return errors.New("no demo helpdesk account to approve requests")
	}
	if main.requests == nil {
		return errors.New("the demo account has no My requests")
	}
	ctx := context.Background()
	waiting, err := askForApproval(ctx, u.session, "Desk phone")
	if err != nil {
		return err
	}
	other, err := askForApproval(ctx, u.session, "Spare token")
	if err != nil {
		return err
	}
	if _, err := u.session.RevokeRequest(ctx, other.ID); err != nil {
		return fmt.Errorf("revoke a request: %w", err)
	}

	main.nav.Select(main.areaIndex(lang.L("My requests")))
	list := main.requests.list
	list.setFilter(api.FilterAll)
	if err := wait("My requests", func() bool { return list.loads.current() && len(list.requests) == 2 && list.progress.Hidden }); err != nil {
		return err
	}
	if err := capture("my-requests"); err != nil {
		return err
	}

	if err := signInAgain(u, main, opts.Demo[helpdesk], wait); err != nil {
		return err
	}
	approver := u.current.(*mainScreen)
	if approver.approvals == nil {
		return errors.New("the helpdesk account has no To approve")
	}
	approver.nav.Select(approver.areaIndex(lang.L("To approve")))
	s := approver.approvals
	if err := wait("To approve", func() bool {
		return s.list.loads.current() && len(s.list.requests) == 1 && approver.pending.known
	}); err != nil {
		return err
	}
	s.openRequest(s.list.requests[0])
	if err := wait("the request's detail", func() bool { return s.dialog != nil && s.dialog.progress.Hidden }); err != nil {
		return err
	}
	if s.dialog.req.ID != waiting.ID {
		return errors.New("To approve shows another request than the one made")
	}
	s.dialog.comment.SetText("Confirmed with Demo by phone: the token replaces the broken one.")
	return capture("to-approve")
}

// askForApproval asks to add a counter-based authenticator app called
// description, which the demo's policies send to approvers.
func askForApproval(ctx context.Context, s *app.Session, description string) (api.ApprovalRequest, error) {
	_, err := s.EnrollToken(ctx, screenshotTemplate, description)
	req, ok := api.ApprovalPending(err)
	if !ok {
		return api.ApprovalRequest{}, fmt.Errorf("asking to add %q did not make an approval request: %v", description, err)
	}
	return *req, nil
}

// signInAgain signs out of main and signs in as account with the code of
// its demo token.
func signInAgain(u *UI, main *mainScreen, account DemoInfo, wait func(string, func() bool) error) error {
	main.onSignOut()
	var signIn *signInScreen
	if err := wait("the sign-in screen", func() bool { signIn, _ = u.current.(*signInScreen); return signIn != nil }); err != nil {
		return err
	}
	signIn.username.SetText(account.Username)
	signIn.password.SetText(account.Password)
	signIn.onSubmit()
	var second *secondFactorScreen
	if err := wait("the second-factor screen", func() bool { second, _ = u.current.(*secondFactorScreen); return second != nil }); err != nil {
		return err
	}
	code, _, err := app.DemoCode(account.TOTPSecret, time.Now())
	if err != nil {
		return err
	}
	second.code.SetText(code)
	second.onSubmit()
	return wait("the main window", func() bool {
		m, ok := u.current.(*mainScreen)
		return ok && m != main && (m.tokens == nil || m.tokens.loaded)
	})
}
