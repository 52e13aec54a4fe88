package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// The verification questions' shots.

// screenshotQuestions captures "questions": the Verification questions
// area of the demo account, with the form that answers its first
// question not answered yet open and an answer typed.
func screenshotQuestions(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.questions == nil {
		return errors.New("the demo account has no Verification questions area")
	}
	main.nav.Select(main.areaIndex(lang.L("Verification questions")))
	s := main.questions
	if err := wait("the questions", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	i := slices.IndexFunc(s.state.Questions, func(q api.Question) bool { return !q.Answered() })
	if !s.loaded || i < 0 {
		return errors.New("the demo account's questions did not load with one to answer: " + s.message.message())
	}
	s.onAnswer(s.state.Questions[i])
	d := s.dialog
	d.inputs[0].(*entry).SetText("Mrs Okafor")
	if err := capture("questions"); err != nil {
		return err
	}
	s.closeDialog(d)
	return nil
}

// screenshotQuestionCheck captures "helpdesk-check": signed in as the
// demo helpdesk account (main is its window), the Helpdesk area with
// the demo employee's first answer checked.
func screenshotQuestionCheck(main *mainScreen, demoUser string, capture func(string) error, wait func(string, func() bool) error) error {
	c := main.check
	if c == nil {
		return errors.New("the helpdesk account cannot check answers")
	}
	main.nav.Select(main.areaIndex(lang.L("Helpdesk")))
	c.username.SetText(demoUser)
	c.onFind()
	if err := wait("the caller's questions", func() bool { return !c.find.Disabled() }); err != nil {
		return err
	}
	if !c.form.Visible() {
		return errors.New("the demo account has no answers to check: " + c.message.message() + c.usernameErr.Text)
	}
	c.question.SetSelectedIndex(0)
	c.answer.SetText("biscuit")
	c.onCheck()
	if err := wait("the check", func() bool { return !c.check.Disabled() }); err != nil {
		return err
	}
	if !c.result.Visible() {
		return errors.New("checking the demo answer failed: " + c.message.message())
	}
	if scroll, ok := main.area.Objects[0].(*container.Scroll); ok {
		scroll.ScrollToBottom()
	}
	return capture("helpdesk-check")
}
