package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// enrollChooser is the one way into adding a sign-in method: it lists
// every kind the user may add (the server's templates: authenticator
// apps, the push app, text message and email codes, security keys when
// this computer can use them, hardware tokens) with its icon, name and
// description, and hands the one chosen to its wizard.
type enrollChooser struct {
	ui       *UI
	ctx      context.Context
	cancel   context.CancelFunc
	dlg      *dialog.CustomDialog
	message  *banner
	progress *busyBar
	list     *fyne.Container
	choose   func(api.TokenTemplate) // called on the UI thread, after the chooser closed

	templates []api.TokenTemplate // what is listed, in order
	choices   []*widget.Button    // one per template: taps on its card
	cancelBtn *widget.Button
}

func newEnrollChooser(u *UI, parent context.Context, choose func(api.TokenTemplate)) *enrollChooser {
	ctx, cancel := context.WithCancel(parent)
	c := &enrollChooser{
		ui:       u,
		ctx:      ctx,
		cancel:   cancel,
		message:  newBanner(),
		progress: newBusyBar(),
		list:     container.NewVBox(),
		choose:   choose,
	}
	intro := paragraph(lang.L("Choose what you want to use to prove it's you when you sign in."))
	c.cancelBtn = widget.NewButton(lang.L("Cancel"), c.close)
	content := container.NewBorder(container.NewVBox(intro, c.message, c.progress), nil, nil, nil, container.NewVScroll(c.list))
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("Add a sign-in method"), content, u.win)
	c.dlg.SetButtons([]fyne.CanvasObject{c.cancelBtn})
	context.AfterFunc(ctx, func() { u.do(c.dlg.Hide) })
	return c
}

func (c *enrollChooser) show() {
	c.dlg.Resize(fyne.NewSize(600, 560))
	c.ui.keys.showDialog(c.dlg, c.cancelBtn)
	c.load()
}

func (c *enrollChooser) close() {
	c.cancel()
	c.dlg.Hide()
}

// load fetches the templates.
func (c *enrollChooser) load() {
	c.message.hide()
	var templates []api.TokenTemplate
	c.ui.run(c.ctx, c.progress, func(ctx context.Context) error {
		var err error
		templates, err = c.ui.session.Templates(ctx)
		return err
	}, func(err error) {
		if err != nil {
			c.message.show(bannerError, errorMessage(err), lang.L("Retry"), c.load)
			return
		}
		c.showTemplates(addable(templates, c.ui.opts.Keys != nil))
	})
}

// addable keeps the templates this app can enroll, ordered as the
// administrator ordered them: security keys only where the app can use
// them.
func addable(templates []api.TokenTemplate, keys bool) []api.TokenTemplate {
	out := slices.DeleteFunc(slices.Clone(templates), func(t api.TokenTemplate) bool {
		switch t.Type {
		case api.TypeTOTP, api.TypeHOTP, api.TypeSMS, api.TypeEmail, api.TypePush:
			return false
		case api.TypeFIDO2:
			return !keys
		}
		return true
	})
	slices.SortStableFunc(out, func(a, b api.TokenTemplate) int { return a.Order - b.Order })
	return out
}

func (c *enrollChooser) showTemplates(templates []api.TokenTemplate) {
	c.templates = templates
	c.choices = nil
	c.list.RemoveAll()
	if len(templates) == 0 {
		c.list.Add(paragraph(lang.L("There is nothing you can add. Ask your administrator if you need a new sign-in method.")))
		return
	}
	partial := c.ui.session.EnrollmentRequired()
	for _, t := range templates {
		b := widget.NewButton("", func() {
			c.close()
			c.choose(t)
		})
		c.choices = append(c.choices, b)
		c.list.Add(choiceCard(t, unavailable(t, partial), c.needsApprovers(t), b))
	}
}

// needsApprovers says, when adding a token of t waits for approvers,
// that it does; "" otherwise (a step-up follows at once).
func (c *enrollChooser) needsApprovers(t api.TokenTemplate) string {
	if n := c.ui.session.ApprovalNeed(api.OpTokenEnroll, t.ID); n.Mode == api.ModeApprovers {
		return approvalNeedText(n)
	}
	return ""
}

// unavailable says why the user cannot add a token of t now, or "".
// partial is whether the user has no active sign-in method yet.
func unavailable(t api.TokenTemplate, partial bool) string {
	switch {
	case !t.Available():
		return lang.L("You already have the maximum number of these. Delete one you no longer use to add another.")
	case partial && t.Type == api.TypePush:
		return lang.L("Add another sign-in method first: the app on your phone can only be connected once you can confirm it's you with another method.")
	}
	return ""
}

// choiceCard shows a template as a card the whole of which is tapped
// through b: icon, name, description, how many are in use and, when
// adding one waits for approvers, that it does (need). A template the
// user cannot add now is shown disabled, saying why.
func choiceCard(t api.TokenTemplate, why, need string, b *widget.Button) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewPrimaryThemedResource(templateIcon(t))
	name := widget.NewLabelWithStyle(t.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := container.NewVBox(name)
	if t.Description != "" {
		text.Add(hint(t.Description))
	}
	if why == "" {
		text.Add(hint(templateUsage(t)))
		if need != "" {
			text.Add(styledText(need, theme.ColorNamePrimary, theme.SizeNameCaptionText))
		}
	} else {
		b.Disable()
		icon = theme.NewDisabledResource(templateIcon(t))
		name.Importance = widget.LowImportance
		text.Add(styledText(why, theme.ColorNameWarning, theme.SizeNameCaptionText))
	}
	iconBox := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(36), widget.NewIcon(icon)))
	var chevron fyne.CanvasObject
	if why == "" {
		chevron = container.NewCenter(widget.NewIcon(theme.NavigateNextIcon()))
	}
	row := container.NewBorder(nil, nil, iconBox, chevron, text)
	// The button lies under the content, which lets taps through: the
	// whole card is one target, and it shows hover and focus.
	return container.NewStack(b, container.NewPadded(row))
}

// templateIcon stands for what a template adds.
func templateIcon(t api.TokenTemplate) fyne.Resource {
	return tokenIcon(t.Type)
}
