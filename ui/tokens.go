package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/hw"
	"selfservice/resources"
)

// tokensScreen lists the user's tokens (sign-in methods) with the actions
// each one allows, and starts the enrollment of a new one.
type tokensScreen struct {
	ui       *UI
	ctx      context.Context
	onLoaded func([]api.Token) // told about every list loaded

	add      *widget.Button // nil without the token_enroll privilege
	addKey   *widget.Button // nil without token_enroll or security keys; shown when a key template exists
	addHW    *widget.Button // nil without token_enroll; shown when a hardware token can be added
	reload   *widget.Button
	progress *busyBar        // a reload of a shown list
	notice   *banner         // outcome of the last action
	rule     *banner         // the "keep one active" rule, when it applies
	state    *fyne.Container // loading, failed, empty or the list
	failed   *banner
	list     *fyne.Container

	tokens []api.Token
	rows   map[string]*tokenRow // by token id
	loaded bool

	dialog    *formDialog      // the open action dialog, if any
	wizard    *enrollWizard    // the open enrollment, if any
	keyWizard *keyEnrollWizard // the open security key enrollment, if any
	ceremony  *keyDialog       // the open test or activation with a key, if any
	stepUp    *stepUpDialog    // the last step-up dialog opened, if any
}

// tokenRow is one token in the list, with the buttons of the actions it
// allows.
type tokenRow struct {
	token   api.Token
	actions map[api.TokenAction]*widget.Button
	buttons []*widget.Button
}

func newTokensScreen(u *UI, onLoaded func([]api.Token)) *tokensScreen {
	s := &tokensScreen{
		ui:       u,
		onLoaded: onLoaded,
		progress: newBusyBar(),
		notice:   newBanner(),
		rule:     newBanner(),
		state:    container.NewStack(),
		failed:   newBanner(),
		list:     container.NewVBox(),
		rows:     map[string]*tokenRow{},
	}
	if u.session.Can(api.PrivTokenEnroll) {
		s.add = widget.NewButtonWithIcon(lang.L("Add authenticator app"), theme.ContentAddIcon(), s.onAdd)
		s.add.Importance = widget.HighImportance
		if u.opts.Keys != nil {
			s.addKey = widget.NewButtonWithIcon(lang.L("Add security key"), resources.SecurityKeyIcon, s.onAddKey)
			s.addKey.Hide() // until a security key template is known
		}
		s.addHW = widget.NewButtonWithIcon(lang.L("Add hardware token"), theme.ContentAddIcon(), s.onAddHardware)
		s.addHW.Hide() // until a hardware template is known
	}
	s.reload = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), s.load)
	return s
}

func (s *tokensScreen) content() fyne.CanvasObject {
	// The title shares its row with Reload only; the add buttons get a row
	// of their own under the explanation, so neither is ever squeezed.
	header := container.NewBorder(nil, nil, nil, s.reload, heading(lang.L("Sign-in methods")))
	intro := muted(lang.L("The authenticator apps and tokens you use to prove it's you when you sign in."))
	actions := container.NewHBox()
	for _, b := range []*widget.Button{s.add, s.addKey, s.addHW} {
		if b != nil {
			actions.Add(b)
		}
	}
	top := container.NewVBox(header, intro, actions, s.progress, s.notice, s.rule)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, s.state))
}

// load fetches the list. A list already shown stays while it reloads.
func (s *tokensScreen) load() {
	bar := s.progress
	if !s.loaded {
		bar = newBusyBar()
		s.setState(loadingView(bar))
	}
	setEnabled(s.reload, false)
	var tokens []api.Token
	askTemplates, canAddKey, canAddHW := s.addKey != nil || s.addHW != nil, false, false
	s.ui.run(s.ctx, bar, func(ctx context.Context) error {
		var err error
		tokens, err = s.ui.session.Tokens(ctx)
		if err != nil || !askTemplates {
			return err
		}
		// Best effort: without the templates the buttons stay hidden.
		templates, tplErr := s.ui.session.Templates(ctx)
		canAddKey = tplErr == nil && len(keyTemplates(templates)) > 0
		canAddHW = tplErr == nil && canClaimHardware(templates)
		return nil
	}, func(err error) {
		setEnabled(s.reload, true)
		if s.addKey != nil && err == nil {
			s.addKey.Hidden = !canAddKey
			s.addKey.Refresh()
		}
		if s.addHW != nil && err == nil {
			s.addHW.Hidden = !canAddHW
			s.addHW.Refresh()
		}
		if err != nil {
			s.loaded = false
			s.failed.show(bannerError, errorMessage(err), lang.L("Retry"), s.load)
			s.setState(container.NewVBox(s.failed))
			return
		}
		s.show(tokens)
	})
}

func (s *tokensScreen) setState(o fyne.CanvasObject) {
	s.state.Objects = []fyne.CanvasObject{o}
	s.state.Refresh()
}

// loadingView is shown while the list loads for the first time.
func loadingView(bar *busyBar) fyne.CanvasObject {
	text := widget.NewLabelWithStyle(lang.L("Loading your sign-in methods…"), fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(withWidth(280, container.NewVBox(text, bar)))
}

// show puts tokens on screen.
func (s *tokensScreen) show(tokens []api.Token) {
	s.loaded = true
	s.tokens = tokens
	s.rows = map[string]*tokenRow{}
	s.list.RemoveAll()
	for _, t := range tokens {
		r := s.newRow(t)
		s.rows[t.ID] = r
		s.list.Add(s.rowView(r))
	}
	mayRemove := s.ui.session.Can(api.PrivTokenDisable) || s.ui.session.Can(api.PrivTokenDelete)
	if countActive(tokens) == 1 && mayRemove {
		s.rule.show(bannerInfo, lang.L("You have one active sign-in method. You must keep at least one active sign-in method, so add another one before you disable or delete it."), "", nil)
	} else {
		s.rule.hide()
	}
	if len(tokens) == 0 {
		s.setState(s.emptyView())
	} else {
		s.setState(container.NewVScroll(s.list))
	}
	if s.onLoaded != nil {
		s.onLoaded(tokens)
	}
}

func (s *tokensScreen) emptyView() fyne.CanvasObject {
	icon := widget.NewIcon(theme.NewDisabledResource(resources.AuthenticatorIcon))
	text := widget.NewLabelWithStyle(lang.L("You have no sign-in methods yet."), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(64), icon)), text)
	if s.add != nil {
		more := paragraph(lang.L("Add an authenticator app on your phone: you will use its codes to sign in."))
		more.Alignment = fyne.TextAlignCenter
		box.Add(more)
	}
	return container.NewCenter(withWidth(360, box))
}

// newRow makes the buttons of the actions the token's type, status and
// the user's privileges allow.
func (s *tokensScreen) newRow(t api.Token) *tokenRow {
	r := &tokenRow{token: t, actions: map[api.TokenAction]*widget.Button{}}
	privs := s.ui.session.Privileges()
	add := func(a api.TokenAction, label string, icon fyne.Resource, onTap func(api.Token)) {
		if !t.Allows(a, privs) {
			return
		}
		b := widget.NewButtonWithIcon(label, icon, func() { onTap(t) })
		r.actions[a] = b
		r.buttons = append(r.buttons, b)
	}
	add(api.ActionActivate, lang.L("Activate"), theme.ConfirmIcon(), s.onActivate)
	add(api.ActionTest, lang.L("Test"), theme.MediaPlayIcon(), s.onTest)
	add(api.ActionResync, lang.L("Resync"), theme.HistoryIcon(), s.onResync)
	add(api.ActionEnable, lang.L("Enable"), theme.VisibilityIcon(), s.onEnable)
	add(api.ActionDisable, lang.L("Disable"), theme.VisibilityOffIcon(), s.onDisable)
	add(api.ActionRename, lang.L("Rename"), theme.DocumentCreateIcon(), s.onRename)
	add(api.ActionDelete, lang.L("Delete"), theme.DeleteIcon(), s.onDelete)
	return r
}

func (s *tokensScreen) rowView(r *tokenRow) fyne.CanvasObject {
	t := r.token
	icon := widget.NewIcon(tokenIcon(t.Type))
	title := widget.NewLabelWithStyle(tokenTitle(t), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	kind := muted(t.Label)
	if t.Description != "" {
		kind = muted(tokenTypeName(t.Type) + " · " + t.Label)
	}
	kind.Wrapping = fyne.TextWrapOff
	kind.Truncation = fyne.TextTruncateEllipsis
	when := hint(s.tokenDates(t))

	info := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(newBadge(statusName(t.Status), statusColor(t.Status))), title),
		kind,
		when,
	)
	switch {
	case t.Status == api.StatusPending && t.Type == api.TypeFIDO2:
		info.Add(hint(lang.L("Setting up this security key was not finished. Activate it with the key, or delete it and add the key again.")))
	case t.Status == api.StatusPending:
		info.Add(hint(lang.L("Setting up this app was not finished. Activate it with a code, or delete it and add the app again.")))
	}
	if len(r.buttons) > 0 {
		buttons := container.NewHBox()
		for _, b := range r.buttons {
			buttons.Add(b)
		}
		info.Add(buttons)
	}
	iconBox := container.NewVBox(container.NewGridWrap(fyne.NewSquareSize(40), icon))
	return widget.NewCard("", "", container.NewBorder(nil, nil, iconBox, nil, info))
}

// tokenIcon stands for a kind of token.
func tokenIcon(t api.TokenType) fyne.Resource {
	switch t {
	case api.TypeFIDO2:
		return resources.SecurityKeyIcon
	case api.TypeEmergency:
		return theme.WarningIcon()
	}
	return resources.AuthenticatorIcon
}

// tokenTitle is the user's name for the token, or else its kind.
func tokenTitle(t api.Token) string {
	if t.Description != "" {
		return t.Description
	}
	return tokenTypeName(t.Type)
}

// tokenName names the token in messages: the user's name for it, or
// else its label, which tells tokens apart.
func tokenName(t api.Token) string {
	if t.Description != "" {
		return t.Description
	}
	return t.Label
}

// tokenDates says when the token was added and last used.
func (s *tokensScreen) tokenDates(t api.Token) string {
	now := s.ui.now()
	added := lang.L("Added {{.When}}", map[string]any{"When": humanTime(t.CreatedAt, now)})
	used := lang.L("never used")
	if t.LastUsedAt != nil {
		used = lang.L("last used {{.When}}", map[string]any{"When": humanTime(*t.LastUsedAt, now)})
	}
	return added + " · " + used
}

// statusColor is the theme colour of a status badge.
func statusColor(st api.TokenStatus) fyne.ThemeColorName {
	switch st {
	case api.StatusActive:
		return theme.ColorNameSuccess
	case api.StatusPending:
		return theme.ColorNameWarning
	case api.StatusObsolete:
		return theme.ColorNameError
	}
	return theme.ColorNamePlaceHolder
}

// setBusy disables a row's buttons while one of its actions runs.
func (r *tokenRow) setBusy(busy bool) {
	for _, b := range r.buttons {
		setEnabled(b, !busy)
	}
}

// onAdd opens the enrollment wizard.
func (s *tokensScreen) onAdd() {
	s.notice.hide()
	s.openWizard(nil, nil)
}

// openWizard opens the enrollment wizard, preset to finish an approved
// enrollment when p is not nil; onClose, when not nil, is told too.
func (s *tokensScreen) openWizard(p *enrollPreset, onClose func(activated bool)) {
	w := newEnrollWizard(s.ui, s.ctx, func(activated bool) {
		s.wizard = nil
		if activated {
			s.notice.show(bannerSuccess, lang.L("Your authenticator app is set up. Use its codes the next time you sign in."), "", nil)
		}
		s.load()
		if onClose != nil {
			onClose(activated)
		}
	})
	w.preset = p
	w.onSent = s.showSent
	s.wizard = w
	w.show()
}

// onAddKey opens the security key enrollment.
func (s *tokensScreen) onAddKey() {
	s.notice.hide()
	s.openKeyWizard(nil, nil)
}

// openKeyWizard opens the security key enrollment, preset to finish an
// approved enrollment when p is not nil; onClose, when not nil, is told
// too.
func (s *tokensScreen) openKeyWizard(p *enrollPreset, onClose func(activated bool)) {
	w := newKeyEnrollWizard(s.ui, s.ctx, func(activated bool) {
		s.keyWizard = nil
		if activated {
			s.notice.show(bannerSuccess, lang.L("Your security key is set up. Use it the next time you sign in."), "", nil)
		}
		s.load()
		if onClose != nil {
			onClose(activated)
		}
	})
	w.preset = p
	w.onSent = s.showSent
	s.keyWizard = w
	w.show()
}

// showSent tells the user that an action was sent to approvers.
func (s *tokensScreen) showSent(req api.ApprovalRequest) {
	s.notice.show(bannerInfo, sentText(req), "", nil)
}

// finishEnrollment opens the wizard that finishes the approved
// enrollment p: the security key wizard for a security-key template,
// else the authenticator app wizard. onActivated runs when the token is
// set up.
func (s *tokensScreen) finishEnrollment(p *enrollPreset, onActivated func()) {
	s.notice.hide()
	var templates []api.TokenTemplate
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		var err error
		templates, err = s.ui.session.Templates(ctx)
		return err
	}, func(err error) {
		if err != nil {
			dialog.ShowInformation(lang.L("Finish enrollment"), errorMessage(err), s.ui.win)
			return
		}
		isKey := false
		for _, t := range templates {
			if t.ID == p.templateID {
				isKey = t.Type == api.TypeFIDO2
			}
		}
		if isKey && s.ui.opts.Keys == nil {
			dialog.ShowInformation(lang.L("Finish enrollment"), errorMessage(hw.ErrNotCompiledIn), s.ui.win)
			return
		}
		done := func(activated bool) {
			if activated {
				onActivated()
			}
		}
		if isKey {
			s.openKeyWizard(p, done)
		} else {
			s.openWizard(p, done)
		}
	})
}
