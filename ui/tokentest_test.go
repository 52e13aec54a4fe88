package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/authenticator"
	"selfservice/resources"
	"selfservice/server"
)

// addCodeToken adds an ACTIVE SMS or email token at address through the
// session, as the wizard does, and shows the list again.
func (f *fixture) addCodeToken(s *tokensScreen, tpl api.TokenTemplate, address, normalized string) api.Token {
	f.t.Helper()
	var created api.CreateTokenResponse
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		created, err = f.session.EnrollCodeToken(ctx, tpl, "", address)
		return err
	})
	if err != nil {
		f.t.Fatalf("enroll %s: %v", tpl.ID, err)
	}
	tok, err := f.session.ActivateToken(context.Background(), created.Token.ID, f.sentCodes(normalized, 1)[0])
	if err != nil {
		f.t.Fatalf("activate %s: %v", tpl.ID, err)
	}
	f.reload(s)
	return tok
}

// addPushToken adds a push token through the session and, unless
// phoneName is empty, connects a phone of that name to it.
func (f *fixture) addPushToken(s *tokensScreen, phoneName string) (api.Token, *authenticator.Device) {
	f.t.Helper()
	var created api.CreateTokenResponse
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		created, err = f.session.EnrollToken(ctx, "push-app", "")
		return err
	})
	if err != nil || created.Push == nil {
		f.t.Fatalf("enroll the push app = %+v, %v", created, err)
	}
	var phone *authenticator.Device
	if phoneName != "" {
		if phone, err = authenticator.Provision(context.Background(), created.Push.URI, phoneName); err != nil {
			f.t.Fatalf("provision the phone: %v", err)
		}
	}
	f.reload(s)
	return created.Token, phone
}

// reload loads the list again and waits for it.
func (f *fixture) reload(s *tokensScreen) {
	f.t.Helper()
	s.load()
	f.waitFor("the list", func() bool { return s.loaded && !s.progress.Visible() })
}

// answerPhone waits for the push request on phone and answers it.
func (f *fixture) answerPhone(phone *authenticator.Device, decision string) {
	f.t.Helper()
	var pending []api.PushRequest
	f.pollFor("the request on the phone", func() bool {
		var err error
		pending, err = phone.Pending(context.Background())
		return err == nil && len(pending) > 0
	})
	if err := phone.Answer(context.Background(), pending[0], decision, 0); err != nil { // a test has no number to pick
		f.t.Fatalf("answer on the phone: %v", err)
	}
}

// rowOf is the list row of token id.
func rowOf(t *testing.T, s *tokensScreen, id string) *tokenRow {
	t.Helper()
	r := s.rows[id]
	if r == nil {
		t.Fatalf("token %s is not listed", id)
	}
	return r
}

func TestSMSTokenIsListedWithItsNumberAndTestedWithASentCode(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, anyAddressTenant(), Options{})
	s := f.signIn("demo").tokens
	tok := f.addCodeToken(s, api.TokenTemplate{ID: "sms-otp", Type: api.TypeSMS}, "+49 151 1234 5678", "+4915112345678")

	row := rowOf(t, s, tok.ID)
	if got, want := tokenTitle(row.token)+" / "+tokenKind(row.token), "Text message / +49 •••• ••78"; got != want {
		t.Errorf("title and second line %q; want %q", got, want)
	}
	named := row.token
	named.Description = "Work mobile"
	if got, want := tokenKind(named), "Text message · +49 •••• ••78"; got != want {
		t.Errorf("second line of a named token %q; want %q", got, want)
	}
	if tokenIcon(api.TypeSMS) != resources.TextMessageIcon || tokenIcon(api.TypePush) == tokenIcon(api.TypeTOTP) || tokenIcon(api.TypeEmail) == tokenIcon(api.TypeTOTP) {
		t.Error("SMS, email and push tokens do not have icons of their own")
	}
	if row.actions[api.ActionResync] != nil || row.actions[api.ActionTest] == nil || row.actions[actionChangeAddress] == nil {
		t.Errorf("SMS row: resync %v, test %v, change number %v; want Test and Change number, no Resync",
			row.actions[api.ActionResync] != nil, row.actions[api.ActionTest] != nil, row.actions[actionChangeAddress] != nil)
	}

	clock.advance(21 * time.Second) // the activation code was sent moments ago
	tapAction(t, row, api.ActionTest)
	d := s.dialog
	f.waitFor("the code to be sent", func() bool { return !d.confirm.Disabled() || d.message.message() != "" })
	if d.confirm.Disabled() {
		t.Fatalf("sending the code failed: %s", d.message.message())
	}
	code := d.inputs[0].(*entry)
	test.Type(code, "000000")
	test.Tap(d.confirm)
	f.waitFor("the code error", func() bool { return d.fields["otp"].Visible() || d.message.message() != "" })
	if got := d.fields["otp"].Text; !contains(got, "newest message") {
		t.Errorf("wrong code: error %q, message %q; want the error at the code", got, d.message.message())
	}
	code.SetText(f.sentCodes("+4915112345678", 2)[1])
	test.Tap(d.confirm)
	f.waitFor("the result", func() bool { return !d.confirm.Visible() || d.fields["otp"].Visible() })
	if got := d.message.message(); !contains(got, "The code is correct") {
		t.Errorf("message %q (code error %q); want success", got, d.fields["otp"].Text)
	}
}

func TestChangeNumberMovesTheTokenAfterTheNewNumberConfirms(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, anyAddressTenant(), Options{})
	s := f.signIn("demo").tokens
	tok := f.addCodeToken(s, api.TokenTemplate{ID: "sms-otp", Type: api.TypeSMS}, "+4915112345678", "+4915112345678")

	// A minute on: Send again allows another code, and the step-up takes
	// a TOTP code that neither the sign-in nor the last step-up used.
	clock.advance(time.Minute)
	d := f.openChangeAddress(s, tok)
	if body := dialogText(d); !contains(body, "emergency access code") || !contains(body, "+49 •••• ••78") {
		t.Errorf("dialog says %q; want the current number and the emergency code warning", body)
	}
	number := d.inputs[0].(*widget.SelectEntry) // any number: the template has no limits
	test.Type(number, "+44 77")
	test.Tap(d.confirm)
	f.waitFor("the field error", func() bool { return d.fields["address"].Visible() || d.message.message() != "" })
	if !contains(d.fields["address"].Text, "international form") {
		t.Errorf("short number: error %q, message %q; want the error at the number", d.fields["address"].Text, d.message.message())
	}

	number.SetText("+44 7700 900123")
	f.sendAddressCode(s, d)
	if still, _ := f.session.Tokens(context.Background()); !slices.ContainsFunc(still, func(x api.Token) bool { return x.Address == "+4915112345678" }) {
		t.Error("the token moved before the new number was confirmed")
	}
	d.inputs[0].(*entry).SetText(f.sentCodes("+447700900123", 1)[0])
	test.Tap(d.confirm)
	f.waitFor("the dialog to close", func() bool { return s.dialog == nil || d.fields["otp"].Visible() || d.message.message() != "" })
	if s.dialog != nil {
		t.Fatalf("confirming failed: %q %q", d.fields["otp"].Text, d.message.message())
	}
	f.waitFor("the list", func() bool {
		return !s.progress.Visible() && tokenKind(rowOf(t, s, tok.ID).token) == "+44 •••• ••23"
	})
	if !contains(s.notice.message(), "+44 •••• ••23") {
		t.Errorf("notice %q; want the new number", s.notice.message())
	}
}

// openChangeAddress taps Change number or address of tok and waits
// until the dialog knows where the codes may go.
func (f *fixture) openChangeAddress(s *tokensScreen, tok api.Token) *formDialog {
	f.t.Helper()
	tapAction(f.t, rowOf(f.t, s, tok.ID), actionChangeAddress)
	d := s.dialog
	f.waitFor("where the codes may go", func() bool { return !d.progress.Visible() })
	if msg := d.message.message(); msg != "" {
		f.t.Fatalf("looking up the contact details failed: %s", msg)
	}
	return d
}

func TestChangeAddressOffersTheOtherConfirmedAddresses(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, server.DemoTenant(), Options{})
	m := f.signIn("demo")
	s := m.tokens
	tok := f.addCodeToken(s, api.TokenTemplate{ID: "email-otp", Type: api.TypeEmail}, "demo@example.com", "demo@example.com")

	// The only confirmed address is the token's: nothing else to offer,
	// but the way to Contact details.
	d := f.openChangeAddress(s, tok)
	if !d.confirm.Disabled() || !contains(dialogText(d), "no other one confirmed") {
		t.Errorf("Send code disabled %v, dialog says %q; want nothing to send to, and why", d.confirm.Disabled(), dialogText(d))
	}
	contact := buttonNamed(t, d.content, "Go to Contact details")
	test.Tap(contact)
	f.waitFor("Contact details", func() bool { return s.dialog == nil && m.shown == m.areaIndex("Contact details") })

	// With a second confirmed address, that one is offered, and chosen.
	f.addContact("demo", "private_email", "dana@example.org")
	f.showArea(m, "Sign-in methods")
	f.reload(s)
	clock.advance(time.Minute) // Send again allows another code, and the step-up an unused TOTP code
	d = f.openChangeAddress(s, tok)
	choice, ok := d.inputs[0].(*widget.RadioGroup)
	if !ok || !slices.Equal(choice.Options, []string{"Private email · dana@example.org"}) || choice.Selected != choice.Options[0] {
		t.Fatalf("inputs %v; want the choice of the private email only, chosen", d.inputs)
	}
	f.sendAddressCode(s, d)
	d.inputs[0].(*entry).SetText(f.sentCodes("dana@example.org", 1)[0])
	test.Tap(d.confirm)
	f.waitFor("the moved token", func() bool {
		return s.dialog == nil && !s.progress.Visible() && rowOf(t, s, tok.ID).token.Address == "dana@example.org"
	})
}

// sendAddressCode taps Send code in the Change address dialog d and
// waits for its code step, confirming the step-up the demo asks for
// with the TOTP code of a minute on (the test's clock is that far).
func (f *fixture) sendAddressCode(s *tokensScreen, d *formDialog) {
	f.t.Helper()
	test.Tap(d.confirm)
	f.waitFor("the step-up or the code step", func() bool { return s.stepUp != nil || d.confirm.Text == "Confirm" || d.message.message() != "" })
	if s.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, code(f.t, f.demoUser("demo").TOTPSecret, time.Now().Add(time.Minute)))
	}
	f.waitFor("the code step", func() bool { return d.confirm.Text == "Confirm" || d.message.message() != "" })
	if d.confirm.Text != "Confirm" {
		f.t.Fatalf("sending the code failed: %s", d.message.message())
	}
}

// buttonNamed is the button labelled text in o.
func buttonNamed(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range buttons(o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// dialogText is the text of every label of a form dialog's content.
func dialogText(d *formDialog) string { return textOf(d.content) }

func textOf(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Label:
		return w.Text + "\n"
	case *widget.RichText:
		return w.String() + "\n"
	case *fyne.Container:
		var out string
		for _, c := range w.Objects {
			out += textOf(c)
		}
		return out
	}
	return ""
}

func TestPushTokenTestWaitsForThePhone(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	tok, phone := f.addPushToken(s, "Dana's phone")
	row := rowOf(t, s, tok.ID)
	if row.token.Status != api.StatusActive || row.actions[api.ActionResync] != nil || row.actions[api.ActionTest] == nil {
		t.Fatalf("push row %+v; want an ACTIVE token with Test and no Resync", row.token)
	}

	tapAction(t, row, api.ActionTest)
	d := s.dialog
	f.answerPhone(phone, api.PushDeny)
	f.waitFor("the refusal", func() bool { return d.message.message() != "" })
	if got := d.message.message(); !contains(got, "refused") || d.confirm.Disabled() || !d.confirm.Visible() {
		t.Errorf("after a refusal: message %q, Send again shown %v enabled %v; want the refusal and Send again",
			got, d.confirm.Visible(), !d.confirm.Disabled())
	}

	test.Tap(d.confirm)
	f.answerPhone(phone, api.PushApprove)
	f.waitFor("the result", func() bool { return !d.confirm.Visible() })
	if got := d.message.message(); !contains(got, "Your phone confirmed") {
		t.Errorf("message %q; want the phone's confirmation", got)
	}
}

func TestActivatingAnUnfinishedPushTokenShowsANewQRCode(t *testing.T) {
	f := newFixture(t, Options{})
	s := f.signIn("demo").tokens
	tok, _ := f.addPushToken(s, "")
	row := rowOf(t, s, tok.ID)
	if row.actions[api.ActionActivate] == nil {
		t.Fatalf("pending push row has no Activate: %v", row.actions)
	}

	tapAction(t, row, api.ActionActivate)
	w := s.pushWizard
	f.waitFor("the QR code", func() bool { return w.qr != nil || w.message.message() != "" })
	if w.qr == nil {
		t.Fatalf("no QR code: %s", w.message.message())
	}
	if _, err := authenticator.Provision(context.Background(), w.push.URI, "Desk phone"); err != nil {
		t.Fatalf("the phone reads the QR code: %v", err)
	}
	f.waitFor("the last step", func() bool { return w.step == pushStepDone })
	test.Tap(w.next)
	f.waitFor("the list", func() bool {
		return s.pushWizard == nil && !s.progress.Visible() && rowOf(t, s, tok.ID).token.Status == api.StatusActive
	})
}

func TestActivatingAnUnfinishedSMSTokenSendsANewCode(t *testing.T) {
	clock := &testClock{}
	f := newClockFixture(t, clock, anyAddressTenant(), Options{})
	s := f.signIn("demo").tokens
	var created api.CreateTokenResponse
	err := f.withStepUp(f.demoUser("demo").TOTPSecret, func(ctx context.Context) error {
		var err error
		created, err = f.session.EnrollCodeToken(ctx, api.TokenTemplate{ID: "sms-otp", Type: api.TypeSMS}, "", "+4915112345678")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reload(s)
	row := rowOf(t, s, created.Token.ID)
	if row.actions[api.ActionActivate] == nil || row.actions[actionChangeAddress] != nil {
		t.Fatalf("pending SMS row: activate %v, change number %v; want Activate only", row.actions[api.ActionActivate] != nil, row.actions[actionChangeAddress] != nil)
	}

	clock.advance(21 * time.Second)
	tapAction(t, row, api.ActionActivate)
	d := s.dialog
	f.waitFor("the code to be sent", func() bool { return !d.confirm.Disabled() || d.message.message() != "" })
	d.inputs[0].(*entry).SetText(f.sentCodes("+4915112345678", 2)[1])
	test.Tap(d.confirm)
	f.waitFor("the dialog to close", func() bool { return s.dialog == nil || d.fields["otp"].Visible() || d.message.message() != "" })
	if s.dialog != nil {
		t.Fatalf("activation failed: %q %q", d.fields["otp"].Text, d.message.message())
	}
	f.waitFor("the active token", func() bool {
		return !s.progress.Visible() && rowOf(t, s, created.Token.ID).token.Status == api.StatusActive
	})
}
