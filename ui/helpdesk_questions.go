package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// questionCheckCard is the "Check a caller's answer" card of the
// Helpdesk area: look up the questions a caller answered, ask one, type
// what they say, and learn whether it matches, without ever seeing their
// answer. Wrong answers lock the question for checking for a while,
// which the card says.
type questionCheckCard struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	username    *entry
	usernameErr fieldError
	find        *widget.Button
	question    *widget.Select
	questionErr fieldError
	answer      *entry
	answerErr   fieldError
	check       *widget.Button
	result      *banner // the outcome of the latest check
	progress    *busyBar
	message     *banner
	form        *fyne.Container // the question, the answer and Check; hidden until a caller with answers is found

	caller     string             // whose questions are listed; "" before a look-up
	callerName string             // how caller is shown: "Demo Employee (demo)"
	questions  []api.UserQuestion // the caller's answered questions, as in question.Options
}

func newQuestionCheckCard(u *UI) *questionCheckCard {
	c := &questionCheckCard{
		ui:          u,
		ctx:         context.Background(),
		cancel:      func() {},
		usernameErr: newFieldError(),
		questionErr: newFieldError(),
		answer:      newPasswordEntry(),
		answerErr:   newFieldError(),
		result:      newBanner(),
		progress:    newBusyBar(),
		message:     newBanner(),
	}
	c.username = newUsernameEntry(c.onFind)
	c.find = widget.NewButtonWithIcon(lang.L("Show their questions"), theme.SearchIcon(), c.onFind)
	c.question = widget.NewSelect(nil, func(string) { c.onQuestion() })
	c.question.PlaceHolder = lang.L("Choose the question you asked")
	c.answer.SetPlaceHolder(lang.L("What the caller answers"))
	c.answer.OnSubmitted = func(string) { c.onCheck() }
	c.check = widget.NewButtonWithIcon(lang.L("Check the answer"), theme.ConfirmIcon(), c.onCheck)
	c.check.Importance = widget.HighImportance
	c.form = container.NewVBox(
		field(lang.L("Question"), c.question, c.questionErr),
		field(lang.L("Their answer"), c.answer, c.answerErr),
		c.check,
		c.result,
	)
	c.form.Hide()
	return c
}

// card is the card's content, laid out by the Helpdesk area.
func (c *questionCheckCard) card() fyne.CanvasObject {
	return container.NewVBox(
		heading(lang.L("Check a caller's answer")),
		paragraph(lang.L("Make sure a caller is who they say: ask one of their verification questions and type what they answer. You never see their answer, only whether it matches. After too many wrong answers the question is locked for a while.")),
		c.message,
		field(lang.L("Username"), c.username, c.usernameErr),
		c.find,
		c.progress,
		c.form,
	)
}

func (c *questionCheckCard) open(ctx context.Context) {
	c.ctx, c.cancel = context.WithCancel(ctx)
}

// close stops a call under way and forgets the answer typed.
func (c *questionCheckCard) close() {
	c.cancel()
	c.answer.SetText("")
	c.setBusy(false)
}

func (c *questionCheckCard) onFind() {
	if c.find.Disabled() {
		return
	}
	c.message.hide()
	c.usernameErr.set("")
	if !checkUsername(c.username, c.usernameErr) {
		c.showQuestions(api.UserQuestionsResponse{})
		return
	}
	username := c.username.Text
	var out api.UserQuestionsResponse
	c.setBusy(true)
	c.ui.run(c.ctx, c.progress, func(ctx context.Context) error {
		var err error
		out, err = c.ui.session.UserQuestions(ctx, username)
		return err
	}, func(err error) {
		c.setBusy(false)
		if err != nil {
			c.showQuestions(api.UserQuestionsResponse{})
			c.showFindError(err)
			return
		}
		c.showQuestions(out)
	})
}

// showFindError puts what concerns the username next to it; anything
// else goes in the message, with a retry when trying again may help.
func (c *questionCheckCard) showFindError(err error) {
	switch {
	case fieldErrors(err)["username"] != "":
		c.usernameErr.set(fieldErrors(err)["username"])
	case errors.Is(err, api.ErrNotFound):
		c.usernameErr.set(lang.L("There is no user with this username. Check the spelling and try again."))
	case errors.Is(err, api.ErrQuestionForSelf):
		c.usernameErr.set(lang.L("You cannot check your own answers. Ask another helpdesk member."))
	case retryable(err):
		c.message.show(bannerError, errorMessage(err), lang.L("Try again"), c.onFind)
	default:
		c.message.show(bannerError, errorMessage(err), "", nil)
	}
}

// showQuestions fills the choice of questions with those out.Username
// answered; an empty answer clears the form.
func (c *questionCheckCard) showQuestions(out api.UserQuestionsResponse) {
	c.caller, c.callerName, c.questions = out.Username, displayAndUsername(out.DisplayName, out.Username), out.Questions
	c.answer.SetText("")
	c.answerErr.set("")
	c.questionErr.set("")
	c.result.hide()
	var options []string
	for _, q := range out.Questions {
		options = append(options, q.Text)
	}
	c.question.Options = options
	c.question.ClearSelected()
	switch {
	case out.Username == "":
		c.form.Hide()
	case len(out.Questions) == 0:
		c.form.Hide()
		c.message.show(bannerWarning, lang.L("{{.User}} has not answered any verification questions. Make sure it's them another way.", map[string]any{"User": c.callerName}), "", nil)
	default:
		if len(options) == 1 {
			c.question.SetSelectedIndex(0)
		}
		c.form.Show()
	}
}

// selected is the chosen question, if any.
func (c *questionCheckCard) selected() (api.UserQuestion, bool) {
	i := c.question.SelectedIndex()
	if i < 0 || i >= len(c.questions) {
		return api.UserQuestion{}, false
	}
	return c.questions[i], true
}

// onQuestion says up front when the chosen question is locked.
func (c *questionCheckCard) onQuestion() {
	c.result.hide()
	c.questionErr.set("")
	if q, ok := c.selected(); ok && q.LockedUntil != nil && q.LockedUntil.After(c.ui.now()) {
		c.showLocked(q.LockedUntil.Sub(c.ui.now()))
	}
}

func (c *questionCheckCard) onCheck() {
	if c.check.Disabled() {
		return
	}
	c.message.hide()
	c.result.hide()
	c.answerErr.set("")
	c.questionErr.set("")
	q, ok := c.selected()
	if !ok {
		c.questionErr.set(lang.L("Choose the question you asked."))
		return
	}
	caller, name, answer := c.caller, c.callerName, c.answer.Text
	var out api.CheckAnswerResponse
	c.setBusy(true)
	c.ui.run(c.ctx, c.progress, func(ctx context.Context) error {
		var err error
		out, err = c.ui.session.CheckAnswer(ctx, caller, q.ID, answer)
		return err
	}, func(err error) {
		c.setBusy(false)
		if err != nil {
			c.showCheckError(err)
			return
		}
		c.answer.SetText("") // the caller's secret does not stay on screen
		vars := map[string]any{"User": name, "Count": out.AttemptsLeft}
		switch {
		case out.Matches:
			c.result.show(bannerSuccess, lang.L("The answer matches: it is what {{.User}} gave.", vars), "", nil)
		case out.AttemptsLeft == 0:
			c.result.show(bannerError, lang.L("The answer does not match. This question is now locked for checking: ask another question, or make sure it's them another way.", vars), "", nil)
		default:
			c.result.show(bannerError, lang.N("The answer does not match. {{.Count}} more wrong answer locks this question.", out.AttemptsLeft, vars), "", nil)
		}
	})
}

// showCheckError puts what concerns the answer next to it; a lock is the
// result; anything else goes in the message.
func (c *questionCheckCard) showCheckError(err error) {
	var e *api.Error
	switch {
	case fieldErrors(err)["answer"] != "":
		c.answerErr.set(fieldErrors(err)["answer"])
	case errors.As(err, &e) && e.Code == api.CodeTooManyAttempts:
		c.answer.SetText("")
		c.showLocked(e.RetryAfter)
	case retryable(err):
		c.message.show(bannerError, errorMessage(err), lang.L("Try again"), c.onCheck)
	default:
		c.message.show(bannerError, errorMessage(err), "", nil)
	}
}

// showLocked says that the chosen question cannot be checked for wait.
func (c *questionCheckCard) showLocked(wait time.Duration) {
	msg := lang.L("This question is locked after too many wrong answers. Ask another question, or try this one again in {{.Wait}}.", map[string]any{"Wait": formatWait(wait)})
	c.result.show(bannerWarning, msg, "", nil)
}

func (c *questionCheckCard) setBusy(busy bool) {
	for _, w := range []fyne.Disableable{c.username, c.find, c.question, c.answer, c.check} {
		setEnabled(w, !busy)
	}
}
