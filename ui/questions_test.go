package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The demo server's catalog is server/demo_tenant.json, and the demo
// employee starts with answers to its first two questions (first-pet:
// Biscuit, first-street: Harbour Lane); two answers must be kept.

// questionsArea signs demo in and opens Verification questions.
func questionsArea(t *testing.T, f *fixture) *questionsScreen {
	t.Helper()
	m := f.signIn("demo")
	f.showArea(m, "Verification questions")
	s := m.questions
	f.waitFor("the questions", func() bool { return s.loaded && len(s.rows) > 0 })
	return s
}

func TestQuestionsAreaAnswersAndRemoves(t *testing.T) {
	f := newFixture(t, Options{})
	s := questionsArea(t, f)
	if !contains(s.summary.Text, "at least 2 questions") || !contains(s.summary.Text, "answered 2 questions") || s.missing.Visible() {
		t.Errorf("summary %q (missing shown %v); want 2 asked for, 2 given", s.summary.Text, s.missing.Visible())
	}
	pet, teacher := s.rows["first-pet"], s.rows["first-teacher"]
	if pet.answer.Text != "Change" || !pet.reveal.Visible() || !pet.remove.Disabled() || !s.keep.Visible() || !contains(richText(s.keep), "at least 2 answers") {
		t.Errorf("an answered question at the minimum: %q, show %v, remove disabled %v, why %q", pet.answer.Text, pet.reveal.Visible(), pet.remove.Disabled(), richText(s.keep))
	}
	if teacher.answer.Text != "Answer" || teacher.reveal.Visible() || teacher.remove.Visible() {
		t.Errorf("an unanswered question: %q, show %v, remove %v; want Answer only", teacher.answer.Text, teacher.reveal.Visible(), teacher.remove.Visible())
	}

	// A refusal shows under the field and keeps what was typed.
	test.Tap(teacher.answer)
	d := s.dialog
	if d == nil || !contains(textOf(d.content), "At least 3 characters") {
		t.Fatalf("the answer dialog does not say the least length: %q", textOf(d.content))
	}
	input := d.inputs[0].(interface{ SetText(string) })
	input.SetText("ab")
	test.Tap(d.confirm)
	f.waitFor("the refusal", func() bool { return d.fields["answer"].Visible() })
	if !contains(d.fields["answer"].Text, "at least 3") || s.dialog != d {
		t.Errorf("answer error %q; want the least length, with the dialog open", d.fields["answer"].Text)
	}
	input.SetText("biscuit")
	test.Tap(d.confirm)
	f.waitFor("the server's refusal", func() bool { return contains(d.fields["answer"].Text, "another question") })
	input.SetText("Smith")
	test.Tap(d.confirm)
	f.waitFor("the answer to be saved", func() bool { return s.dialog == nil && s.state.Answered() == 3 })
	if !contains(s.message.message(), "saved") || s.rows["first-teacher"].answer.Text != "Change" || s.rows["first-pet"].remove.Disabled() || s.keep.Visible() {
		t.Errorf("after a third answer: message %q, Remove disabled %v; want it enabled", s.message.message(), s.rows["first-pet"].remove.Disabled())
	}

	test.Tap(s.rows["first-pet"].remove)
	d = s.dialog
	test.Tap(d.confirm)
	f.waitFor("the removal", func() bool { return s.dialog == nil && s.state.Answered() == 2 })
	if s.rows["first-pet"].answer.Text != "Answer" || !s.rows["first-street"].remove.Disabled() || !s.keep.Visible() {
		t.Errorf("after removing: first-pet %q, first-street remove disabled %v", s.rows["first-pet"].answer.Text, s.rows["first-street"].remove.Disabled())
	}
}

func TestQuestionsAreaShowsAnAnswerAfterAStepUp(t *testing.T) {
	f := newFixture(t, Options{})
	s := questionsArea(t, f)
	pet := s.rows["first-pet"]

	// Cancelled, the answer stays hidden.
	test.Tap(pet.reveal)
	d := f.stepUpDialogOf(func() *stepUpDialog { return s.stepUp })
	test.Tap(d.dismiss)
	f.waitFor("the cancellation", func() bool { return s.stepUp == nil })
	if !contains(s.message.message(), "stays hidden") || s.rows["first-pet"].shown.Visible() {
		t.Errorf("after cancelling: message %q, answer shown %v", s.message.message(), s.rows["first-pet"].shown.Visible())
	}

	test.Tap(s.rows["first-pet"].reveal)
	f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	f.waitFor("the answer", func() bool { return s.rows["first-pet"].shown.Visible() })
	pet = s.rows["first-pet"]
	if !contains(pet.shown.Text, "Biscuit") || !pet.hide.Visible() || pet.reveal.Visible() {
		t.Errorf("shown %q, Hide %v, Show %v; want the answer with Hide", pet.shown.Text, pet.hide.Visible(), pet.reveal.Visible())
	}
	test.Tap(pet.hide)
	pet = s.rows["first-pet"]
	if pet.shown.Visible() || !pet.reveal.Visible() {
		t.Error("Hide left the answer on screen")
	}
	// Leaving the area hides a shown answer too.
	s.shown["first-pet"] = "Biscuit"
	s.close()
	if s.rows["first-pet"].shown.Visible() {
		t.Error("the answer stays shown after the area closed")
	}
}

func TestQuestionAreasFollowThePrivileges(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	if m.questions == nil || m.check != nil || m.areaIndex("Helpdesk") >= 0 {
		t.Errorf("demo: questions %v, check card %v; want the area and no check", m.questions != nil, m.check != nil)
	}
	m.onSignOut()
	m = f.signIn("helpdesk")
	if m.questions != nil || m.areaIndex("Verification questions") >= 0 || m.check == nil {
		t.Errorf("helpdesk: questions area %v, check card %v; want only the check", m.questions != nil, m.check != nil)
	}
}

func TestHelpdeskChecksACallersAnswer(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	f.showArea(m, "Helpdesk")
	c := m.check
	find := func(username string) {
		c.username.SetText(username)
		test.Tap(c.find)
		f.waitFor("the look-up", func() bool { return !c.find.Disabled() })
	}
	for _, tt := range []struct{ username, want string }{
		{" ", "person who is calling"},
		{"helpdesk", "your own answers"},
		{"nobody", "no user with this username"},
	} {
		find(tt.username)
		if !contains(c.usernameErr.Text, tt.want) || c.form.Visible() {
			t.Errorf("looking up %q: %q, form shown %v; want %q", tt.username, c.usernameErr.Text, c.form.Visible(), tt.want)
		}
	}
	find("demo")
	if !c.form.Visible() || len(c.question.Options) != 2 || c.question.Selected != "" {
		t.Fatalf("demo's questions %v (form shown %v); want 2 to choose from", c.question.Options, c.form.Visible())
	}
	test.Tap(c.check)
	if !contains(c.questionErr.Text, "Choose the question") {
		t.Errorf("checking without a question: %q", c.questionErr.Text)
	}
	c.question.SetSelectedIndex(0) // What was the name of your first pet?
	check := func(answer string) {
		test.Type(c.answer, answer)
		test.Tap(c.check)
		f.waitFor("the check", func() bool { return !c.check.Disabled() && (c.result.Visible() || c.message.Visible()) })
	}
	check("  BISCUIT ")
	if c.result.kind != bannerSuccess || !contains(c.result.message(), "matches") || c.answer.Text != "" {
		t.Errorf("the right answer: %q (answer left %q); want a match and the field emptied", c.result.message(), c.answer.Text)
	}
	check("Rex")
	if c.result.kind != bannerError || !contains(c.result.message(), "4 more wrong answers") {
		t.Errorf("a wrong answer: %q; want 4 attempts left", c.result.message())
	}
	for range 4 {
		check("Rex")
	}
	if !contains(c.result.message(), "now locked") {
		t.Errorf("the fifth wrong answer: %q; want the lock", c.result.message())
	}
	check("Biscuit")
	if c.result.kind != bannerWarning || !contains(c.result.message(), "locked") || !contains(c.result.message(), "60 minutes") {
		t.Errorf("checking a locked question: %q; want it locked for an hour", c.result.message())
	}
}
