package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selfservice/api"
)

func TestDemoHintShowsTheCodeJustSent(t *testing.T) {
	f := newServerFixture(t)
	f.start(Options{DemoMessages: f.demoMessages})
	s := f.signIn("demo").tokens
	w := startCodeEnrollment(t, f, s, "email-otp", "dana@example.com")

	var hint *demoMessageView
	for _, o := range w.sent.box.Objects {
		if v, ok := o.(*demoMessageView); ok {
			hint = v
		}
	}
	if hint == nil {
		t.Fatal("no demo hint under the code in demo mode")
	}
	want := f.sentCodes("dana@example.com", 1)[0]
	f.waitFor("the code in the hint", func() bool { return hint.current == want })
	if got := richText(hint.text); !contains(got, "written to a folder instead of being sent") {
		t.Errorf("hint %q; want it to say where messages go", got)
	}
	test.Tap(hint.use)
	if got := f.ui.app.Clipboard().Content(); got != want {
		t.Errorf("Copy put %q on the clipboard; want the code", got)
	}
}

func TestDemoHintIsAbsentOutsideDemoMode(t *testing.T) {
	f := newFixture(t, Options{})
	if f.ui.demoMessageHint(t.Context(), api.ChannelSMS) != nil {
		t.Error("a demo hint outside demo mode")
	}
}

func TestNewestOfPicksTheChannelsNewestMessage(t *testing.T) {
	now := time.Now()
	messages := []DemoMessage{
		{Channel: api.ChannelSMS, Body: "111111 is your code", At: now.Add(-time.Minute)},
		{Channel: api.ChannelEmail, Body: "Your code:\n\n    222222", At: now},
		{Channel: api.ChannelSMS, Body: "333333 is your code", At: now.Add(-time.Second)},
	}
	if got := newestOf(messages, api.ChannelSMS, codePattern.FindString); got == nil || codePattern.FindString(got.Body) != "333333" {
		t.Errorf("newest SMS = %+v; want the one with 333333", got)
	}
	if got := newestOf(messages, api.ChannelEmail, codePattern.FindString); got == nil || codePattern.FindString(got.Body) != "222222" {
		t.Errorf("newest email = %+v; want the one with 222222", got)
	}
	if got := newestOf(nil, api.ChannelSMS, codePattern.FindString); got != nil {
		t.Errorf("newest of none = %+v", got)
	}
}
