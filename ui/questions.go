package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// questionsScreen is the Verification questions area: each question of
// the organisation's catalog, answered or not, with Answer or Change,
// Show (after confirming it's the user) and Remove, which is disabled,
// with the reason, while the user has no more answers than they must
// keep. A shown answer goes again with Hide, and when the area closes.
type questionsScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	summary  *widget.Label    // how many answers are asked for and given
	keep     *widget.RichText // why Remove is disabled; hidden while it is not
	missing  *banner          // shown while fewer are given than asked for
	progress *busyBar
	message  *banner
	list     *fyne.Container // a row per question
	loaded   bool

	state      api.QuestionsResponse
	rows       map[string]*questionRow // by question id
	shown      map[string]string       // the answers shown, by question id
	stepUp     *stepUpDialog           // the step-up of the latest Show, while open
	dialogSlot                         // the answer or remove dialog
}

// questionRow is one question of the list.
type questionRow struct {
	status *widget.RichText // answered when, or not answered
	answer *widget.Button   // Answer or Change
	reveal *widget.Button
	hide   *widget.Button
	remove *widget.Button
	shown  *widget.Label // the answer, while shown
}

func newQuestionsScreen(u *UI) *questionsScreen {
	s := &questionsScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		summary:  widget.NewLabel(""),
		keep:     muted(""),
		missing:  newBanner(),
		progress: newBusyBar(),
		message:  newBanner(),
		list:     container.NewVBox(),
		rows:     map[string]*questionRow{},
		shown:    map[string]string{},
	}
	s.summary.Wrapping = fyne.TextWrapWord
	s.summary.TextStyle.Bold = true
	s.summary.Hide()
	s.keep.Hide()
	return s
}

func (s *questionsScreen) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(withWidth(560, container.NewVBox(
		heading(lang.L("Verification questions")),
		paragraph(lang.L("When you call the helpdesk, they may ask you one of these questions to make sure it's you. Nobody at the helpdesk can read your answers: they can only check what you tell them.")),
		s.summary,
		s.keep,
		s.missing,
		s.message,
		s.progress,
		s.list,
	))))
}

func (s *questionsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

// close stops the calls under way, closes the dialogs and hides the
// answers shown.
func (s *questionsScreen) close() {
	s.cancel()
	if s.dialog != nil {
		s.dialog.close()
		s.dialog = nil
	}
	s.shown = map[string]string{}
	s.show(s.state)
}

func (s *questionsScreen) load() {
	s.message.hide()
	var out api.QuestionsResponse
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.Questions(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.message.show(bannerError, errorMessage(err), lang.L("Try again"), s.load)
			return
		}
		s.loaded = true
		s.show(out)
	})
}

// show lists the questions of out.
func (s *questionsScreen) show(out api.QuestionsResponse) {
	s.state = out
	s.rows = map[string]*questionRow{}
	s.list.RemoveAll()
	if !s.loaded {
		return
	}
	if len(out.Questions) == 0 {
		s.summary.Hide()
		s.list.Add(paragraph(lang.L("Your organisation has not set up any verification questions.")))
		return
	}
	s.showSummary()
	for i, q := range out.Questions {
		if i > 0 {
			s.list.Add(widget.NewSeparator())
		}
		s.list.Add(s.row(q))
	}
}

// showSummary says how many answers are asked for and how many given.
func (s *questionsScreen) showSummary() {
	given, needed := s.state.Answered(), s.state.MinCount
	text := lang.N("You have answered {{.Count}} question.", given, map[string]any{"Count": given})
	if needed > 0 {
		text = lang.N("Your organisation asks you to answer at least {{.Count}} question.", needed, map[string]any{"Count": needed}) +
			" " + text
	}
	s.summary.SetText(text)
	s.summary.Show()
	s.keep.Hide()
	if given > 0 && !s.state.CanRemove() {
		setStyledText(s.keep, lang.N("You cannot remove an answer now: you must keep at least {{.Count}} answer. Answer another question first, or change an answer instead.",
			needed, map[string]any{"Count": needed}))
		s.keep.Show()
	}
	s.missing.hide()
	if given < needed {
		missing := needed - given
		s.missing.show(bannerWarning, lang.N("Answer {{.Count}} more question, so that the helpdesk can make sure it's you when you call.", missing,
			map[string]any{"Count": missing}), "", nil)
	}
}

// row is a question with its state and actions.
func (s *questionsScreen) row(q api.Question) fyne.CanvasObject {
	r := &questionRow{
		status: hint(lang.L("Not answered")),
		shown:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
	}
	r.answer = widget.NewButtonWithIcon(lang.L("Answer"), theme.DocumentCreateIcon(), func() { s.onAnswer(q) })
	r.reveal = widget.NewButtonWithIcon(lang.L("Show"), theme.VisibilityIcon(), func() { s.onReveal(q) })
	r.hide = widget.NewButtonWithIcon(lang.L("Hide"), theme.VisibilityOffIcon(), func() { s.onHide(q) })
	r.remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { s.onRemove(q) })
	r.shown.Wrapping = fyne.TextWrapWord
	s.rows[q.ID] = r

	if q.Answered() {
		setStyledText(r.status, lang.L("Answered {{.When}}", map[string]any{"When": s.ui.dates.when(*q.AnsweredAt, s.ui.now())}))
		r.answer.SetText(lang.L("Change"))
		if !s.state.CanRemove() {
			r.remove.Disable() // s.keep says why
		}
	} else {
		r.reveal.Hide()
		r.remove.Hide()
		r.answer.Importance = widget.HighImportance
	}
	if answer, ok := s.shown[q.ID]; ok && q.Answered() {
		r.shown.SetText(lang.L("Your answer: {{.Answer}}", map[string]any{"Answer": answer}))
		r.reveal.Hide()
	} else {
		r.shown.Hide()
		r.hide.Hide()
	}
	buttons := container.NewHBox(r.answer, r.reveal, r.hide, r.remove)
	return container.NewBorder(nil, nil, nil, container.NewCenter(buttons), container.NewVBox(questionText(q.Text), r.status, r.shown))
}

// questionText is a question, in bold, wrapped.
func questionText(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// onReveal shows the answer to q once the user confirmed it's them; the
// server asks every time.
func (s *questionsScreen) onReveal(q api.Question) {
	s.message.hide()
	r := s.rows[q.ID]
	r.reveal.Disable()
	var answer string
	work := s.ui.approvable(lang.L("Showing your answer needs your confirmation, every time."), func(d *stepUpDialog) { s.stepUp = d },
		func(ctx context.Context) error {
			var err error
			answer, err = s.ui.session.RevealAnswer(ctx, q.ID)
			return err
		})
	s.ui.run(s.ctx, s.progress, work, func(err error) {
		r.reveal.Enable()
		s.stepUp = nil
		switch {
		case errors.Is(err, api.ErrApprovalRequired):
			s.message.show(bannerInfo, lang.L("Your answer stays hidden: you did not confirm it's you."), "", nil)
		case err != nil:
			s.message.show(bannerError, errorMessage(err), "", nil)
			if errors.Is(err, api.ErrNotFound) {
				s.load()
			}
		default:
			s.shown[q.ID] = answer
			s.show(s.state)
		}
	})
}

func (s *questionsScreen) onHide(q api.Question) {
	delete(s.shown, q.ID)
	s.show(s.state)
}

// onRemove asks to confirm removing the answer to q.
func (s *questionsScreen) onRemove(q api.Question) {
	s.message.hide()
	body := paragraph(lang.L("Your answer to “{{.Question}}” will be removed. The helpdesk can then no longer ask you this question.", map[string]any{"Question": q.Text}))
	d := newFormDialog(s.ui, s.ctx, lang.L("Remove this answer?"), lang.L("Remove"), body)
	d.confirm.Importance = widget.DangerImportance
	var out api.QuestionsResponse
	d.work = func(ctx context.Context) error {
		var err error
		out, err = s.ui.session.RemoveAnswer(ctx, q.ID)
		return err
	}
	d.done = func() { s.changed(d, q, out, lang.L("Your answer is removed.")) }
	s.openDialog(d)
}

// changed closes d, which changed the answer to q, and shows the list
// out and the message.
func (s *questionsScreen) changed(d *formDialog, q api.Question, out api.QuestionsResponse, message string) {
	s.closeDialog(d)
	delete(s.shown, q.ID)
	s.show(out)
	s.message.show(bannerSuccess, message, "", nil)
}
