package ui

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// mutedSerial reports whether o shows serial in the muted colour, as
// methodSummary does.
func mutedSerial(o fyne.CanvasObject, serial string) bool {
	found := false
	walk(o, func(c fyne.CanvasObject) {
		if rt, ok := c.(*widget.RichText); ok {
			for _, seg := range rt.Segments {
				if ts, ok := seg.(*widget.TextSegment); ok && ts.Text == serial && ts.Style.ColorName == theme.ColorNamePlaceHolder {
					found = true
				}
			}
		}
	})
	return found
}

// walk calls visit for o and every object inside it.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, visit)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		for _, child := range r.Objects() {
			walk(child, visit)
		}
	}
}

// TestMethodsShowTheirNamesFirst: at sign-in, in the step-up and in the
// Rename dialog a method reads name, kind, serial (muted): "Work mobile"
// first, not its serial.
func TestMethodsShowTheirNamesFirst(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	want := "Work mobile · Text message · " + smsMasked
	if got := s.methods.options(); len(got) != 2 || got[1] != want || !strings.HasPrefix(got[0], "Demo authenticator · Authenticator app (time-based) · TOTP-") {
		t.Errorf("methods %q; want the names first, then the kind and serial", got)
	}
	if !mutedSerial(s.methods.rows[1], smsMasked) {
		t.Error("the masked number is not muted")
	}
	test.Tap(s.back)

	totpID := m.signInWithApp()
	d, result := m.approvableRun(func(ctx context.Context) error {
		_, err := m.session.DisableToken(ctx, totpID)
		return err
	})
	if got := d.methods.options(); len(got) != 2 || got[1] != want {
		t.Errorf("step-up methods %q; want %q among them", got, want)
	}
	test.Tap(d.dismiss)
	if err := m.finished(result); err == nil {
		t.Fatal("the action ran without the step-up")
	}

	main := m.mainScreen()
	f := m.fixture
	f.showArea(main, "Sign-in methods")
	f.waitFor("the list", func() bool { return main.tokens.loaded })
	rowOf(t, main.tokens, m.sms.ID).actions[api.ActionRename].run()
	body := main.tokens.dialog.content
	if !mutedSerial(body, smsMasked) {
		t.Error("the Rename dialog does not show the method with its serial muted")
	}
	if !hasLabel(body, "Work mobile") {
		t.Error("the Rename dialog does not name the method")
	}
}

// hasLabel reports whether a label inside o reads text.
func hasLabel(o fyne.CanvasObject, text string) bool {
	found := false
	walk(o, func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok && l.Text == text {
			found = true
		}
	})
	return found
}

// TestDefaultMethodIsChosenFirst: Make default in the list, and the next
// sign-in and step-up start with that method.
func TestDefaultMethodIsChosenFirst(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	m.signInWithApp()
	main := m.mainScreen()
	m.showArea(main, "Sign-in methods")
	m.waitFor("the list", func() bool { return main.tokens.loaded })
	row := rowOf(t, main.tokens, m.sms.ID)
	if row.actions[actionMakeDefault] == nil {
		t.Fatal("no Make default on an active method")
	}
	row.actions[actionMakeDefault].run()
	m.waitFor("the list again", func() bool { return rowOf(t, main.tokens, m.sms.ID).actions[actionMakeDefault] == nil })
	if !contains(main.tokens.notice.message(), "default sign-in method") {
		t.Errorf("notice %q; want it to say the method is the default", main.tokens.notice.message())
	}

	main.onSignOut()
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	if s.tokenID() != m.sms.ID {
		t.Errorf("chosen first %q; want the default, the SMS token", s.methods.selectedText())
	}
}

// TestPushIsSentOnlyOnSendRequestAndShowsTheNumber: choosing the phone
// asks nothing; Send request does, and the number shown is among those
// the phone offers.
func TestPushIsSentOnlyOnSendRequestAndShowsTheNumber(t *testing.T) {
	m := newMethods(t, Options{}, false, true)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	chooseMethodOf(t, s, m.push.ID)
	if s.proof.waiting() || s.submit.Text != "Send request" || s.submit.Disabled() {
		t.Fatalf("after choosing the phone: waiting %v, button %q; want nothing sent and Send request", s.proof.waiting(), s.submit.Text)
	}
	if pending, err := m.phone.Pending(context.Background()); err != nil || len(pending) != 0 {
		t.Fatalf("the phone lists %+v, %v; want nothing before Send request", pending, err)
	}
	test.Tap(s.submit)
	m.waitFor("the phone to be asked", func() bool { return s.proof.waiting() || s.message.message() != "" })
	pending, err := m.phone.Pending(context.Background())
	if err != nil || len(pending) != 1 {
		t.Fatalf("the phone lists %+v, %v; want the request", pending, err)
	}
	shown, _ := strconv.Atoi(s.proof.number.Text)
	if !s.proof.numberBox.Visible() || !slices.Contains(pending[0].Choices, shown) || len(pending[0].Choices) != 3 {
		t.Fatalf("number shown %q (visible %v), phone offers %v; want one of the three shown", s.proof.number.Text, s.proof.numberBox.Visible(), pending[0].Choices)
	}
	if pending[0].IP == "" {
		t.Errorf("request %+v; want the address it came from", pending[0])
	}
	m.answerPhone(api.PushApprove, s.proof)
	m.mainScreen()
}

// TestLockedSignInCountsDownInsteadOfBlamingTime: after too many wrong
// codes the field and Verify are disabled with a countdown; the sign-in
// is never said to have taken too long; when the lock is over the user is
// offered to sign in again.
func TestLockedSignInCountsDownInsteadOfBlamingTime(t *testing.T) {
	m := newMethods(t, Options{}, false, false)
	m.enterPassword("demo", "demo-password")
	s := m.secondFactorScreen()
	for i := range 5 {
		s.code.SetText("")
		test.Type(s.code, "000000")
		test.Tap(s.submit)
		m.waitFor("the answer", func() bool { return !s.busy })
		if i < 4 && !s.codeErr.Visible() {
			t.Fatalf("wrong code %d: no error next to the code", i+1)
		}
	}
	if !s.code.Disabled() || !s.submit.Disabled() {
		t.Errorf("after 5 wrong codes: field disabled %v, Verify disabled %v; want both disabled", s.code.Disabled(), s.submit.Disabled())
	}
	msg := s.message.message()
	if !contains(msg, "Too many wrong codes") || !regexp.MustCompile(`in (4:[45]\d|5:00)\.`).MatchString(msg) || contains(msg, "too long") {
		t.Errorf("message %q; want the lock with its countdown, not the time taken", msg)
	}
	if _, ok := m.ui.current.(*secondFactorScreen); !ok {
		t.Fatal("the lock left the second-factor screen")
	}
	m.clock.advance(2 * time.Minute)
	m.waitFor("the countdown", func() bool { return regexp.MustCompile(`in (2:[45]\d|3:00)\.`).MatchString(s.message.message()) })
	m.clock.advance(3 * time.Minute)
	m.waitFor("the end of the lock", func() bool { return contains(s.message.message(), "Sign in again with your password") })
	if s.back.Disabled() {
		t.Error("Back is disabled at the end of the lock")
	}
	if contains(s.message.message(), "too long") {
		t.Errorf("message %q blames the time taken", s.message.message())
	}
}

// TestOneStepUpDialogAtATime: a second action that asks for a step-up
// while one is open is refused with a message; the first goes on.
func TestOneStepUpDialogAtATime(t *testing.T) {
	m := newMethods(t, Options{}, true, false)
	totpID := m.signInWithApp()
	first, firstResult := m.approvableRun(func(ctx context.Context) error {
		_, err := m.session.DisableToken(ctx, totpID)
		return err
	})
	second := make(chan error, 1)
	main := m.ui.current.(*mainScreen)
	m.ui.run(main.ctx, nil, m.ui.approvable("Again.", nil, func(ctx context.Context) error {
		_, err := m.session.DisableToken(ctx, m.sms.ID)
		return err
	}), func(err error) { second <- err })
	err := m.finished(second)
	if err == nil || !contains(errorMessage(err), "Finish that one first") {
		t.Errorf("second step-up: %v; want it refused while the first is open", err)
	}
	if m.ui.stepUp != first || first.ended {
		t.Fatal("the first step-up dialog closed")
	}
	test.Tap(first.dismiss)
	m.finished(firstResult)
	m.waitFor("the dialog to be forgotten", func() bool { return m.ui.stepUp == nil })
}
