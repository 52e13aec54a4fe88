package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// onAnswer opens the form that answers q, or changes its answer. The
// answer is typed hidden (it is a secret), with the least length shown
// up front; a refusal shows under the field and keeps what was typed.
func (s *questionsScreen) onAnswer(q api.Question) {
	s.message.hide()
	answer, answerErr := newPasswordEntry(), newFieldError()
	answer.SetPlaceHolder(lang.L("Your answer"))
	intro := lang.L("Choose an answer you will remember and others cannot find out about you.")
	if q.Answered() {
		intro = lang.L("Your new answer replaces the old one.")
	}
	body := container.NewVBox(
		questionText(q.Text),
		paragraph(intro),
		field(lang.L("Answer"), answer, answerErr),
		hint(lang.N("At least {{.Count}} character. Upper or lower case and extra spaces do not matter.", q.MinLength, map[string]any{"Count": q.MinLength})),
	)
	title := lang.L("Answer the question")
	if q.Answered() {
		title = lang.L("Change your answer")
	}
	d := newFormDialog(s.ui, s.ctx, title, lang.L("Save answer"), body)
	d.fields["answer"] = answerErr
	d.inputs = []fyne.Disableable{answer}
	var out api.QuestionsResponse
	d.work = func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.AnswerQuestion(ctx, q, answer.Text)
		return err
	}
	d.done = func() { s.changed(d, q, out, lang.L("Your answer is saved.")) }
	answer.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.ui.win.Canvas().Focus(answer)
}
