package ui

import (
	"context"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	reload   *widget.Button
	progress *busyBar        // a reload of a shown list
	notice   *banner         // outcome of the last action
	rule     *banner         // the "keep one active" rule, when it applies
	state    *fyne.Container // loading, failed, empty or the list
	failed   *banner
	list     *fyne.Container
	scroll   *container.Scroll // scrolls list

	tokens []api.Token
	rows   map[string]*tokenRow // by token id
	loaded bool

	// before holds the ids listed when a method was added, so that the
	// next list shows the new one; highlighted is the last one shown so.
	before      map[string]bool
	highlighted string

	dialog     *formDialog       // the open action dialog, if any
	chooser    *enrollChooser    // the open choice of what to add, if any
	wizard     *enrollWizard     // the open authenticator app enrollment, if any
	keyWizard  *keyEnrollWizard  // the open security key enrollment, if any
	codeWizard *codeEnrollWizard // the open SMS or email enrollment, if any
	pushWizard *pushEnrollWizard // the open push app enrollment, if any
	ceremony   *keyDialog        // the open test or activation with a key, if any
	stepUp     *stepUpDialog     // the last step-up dialog opened, if any

	// openContacts shows the Contact details area; nil without it.
	openContacts func()
}

// tokenRow is one token in the list: the main action its status calls
// for as a button, the others it allows in the menu of the More button.
type tokenRow struct {
	token   api.Token
	actions map[api.TokenAction]*rowAction
	*rowActions
	// blocked says why Disable and Delete cannot be used: the user's only
	// active method. "" when they can.
	blocked string
	glow    *canvas.Rectangle // over the row, lit when it was just added
}

// actionChangeAddress moves an SMS or email token's codes to another
// number or address; the server calls it a modification.
const actionChangeAddress api.TokenAction = "change_address"

// actionMakeDefault makes an ACTIVE token the user's default sign-in
// method (tokendefault.go).
const actionMakeDefault api.TokenAction = "make_default"

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
	s.scroll = container.NewVScroll(s.list)
	if u.session.Can(api.PrivTokenEnroll) {
		s.add = widget.NewButtonWithIcon(lang.L("Add sign-in method"), theme.ContentAddIcon(), s.onAdd)
		s.add.Importance = widget.HighImportance
	}
	s.reload = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), s.load)
	return s
}

func (s *tokensScreen) content() fyne.CanvasObject {
	// The title shares its row with Reload only; the add button gets a row
	// of its own under the explanation, so neither is ever squeezed.
	header := container.NewBorder(nil, nil, nil, s.reload, heading(lang.L("Sign-in methods")))
	intro := muted(lang.L("The authenticator apps and tokens you use to prove it's you when you sign in."))
	top := container.NewVBox(header, intro)
	if s.add != nil {
		top.Add(container.NewHBox(s.add))
	}
	top.Add(s.progress)
	top.Add(s.notice)
	top.Add(s.rule)
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
	s.ui.run(s.ctx, bar, func(ctx context.Context) error {
		var err error
		tokens, err = s.ui.session.Tokens(ctx)
		return err
	}, func(err error) {
		setEnabled(s.reload, true)
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
	onlyActive := countActive(tokens) == 1
	for _, t := range tokens {
		r := s.newRow(t, onlyActive && t.Status == api.StatusActive)
		s.rows[t.ID] = r
		s.list.Add(s.rowView(r))
	}
	s.showRule(tokens)
	if len(tokens) == 0 {
		s.setState(s.emptyView())
	} else {
		s.setState(s.scroll)
	}
	s.showAdded()
	if s.onLoaded != nil {
		s.onLoaded(tokens)
	}
}

// showRule explains, when the user has a single active method they may
// disable or delete, why they cannot, and offers the way out: enabling a
// disabled method, or else adding one.
func (s *tokensScreen) showRule(tokens []api.Token) {
	mayRemove := s.ui.session.Can(api.PrivTokenDisable) || s.ui.session.Can(api.PrivTokenDelete)
	if countActive(tokens) != 1 || !mayRemove {
		s.rule.hide()
		return
	}
	only := tokens[slices.IndexFunc(tokens, func(t api.Token) bool { return t.Status == api.StatusActive })]
	privs := s.ui.session.Privileges()
	if i := slices.IndexFunc(tokens, func(t api.Token) bool { return t.Allows(api.ActionEnable, privs) }); i >= 0 {
		spare := tokens[i]
		s.rule.show(bannerInfo, lang.L("“{{.Name}}” is your only active sign-in method, so it cannot be disabled or deleted. Enable “{{.Spare}}” or add another method first.",
			map[string]any{"Name": tokenName(only), "Spare": tokenName(spare)}),
			lang.L("Enable “{{.Name}}”", map[string]any{"Name": tokenName(spare)}), func() { s.onEnable(spare) })
		return
	}
	if s.add != nil {
		s.rule.show(bannerInfo, lang.L("“{{.Name}}” is your only active sign-in method, so it cannot be disabled or deleted. Add another method first.",
			map[string]any{"Name": tokenName(only)}), lang.L("Add sign-in method"), s.onAdd)
		return
	}
	s.rule.show(bannerInfo, lang.L("“{{.Name}}” is your only active sign-in method, so it cannot be disabled or deleted.",
		map[string]any{"Name": tokenName(only)}), "", nil)
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

// newRow makes the actions the token's type, status and the user's
// privileges allow. last says it is the user's only active method, which
// may be neither disabled nor deleted.
func (s *tokensScreen) newRow(t api.Token, last bool) *tokenRow {
	r := &tokenRow{token: t, actions: map[api.TokenAction]*rowAction{}}
	privs := s.ui.session.Privileges()
	var order []*rowAction // the one its status calls for first (Activate, Enable, else Test)
	add := func(a api.TokenAction, label string, icon fyne.Resource, onTap func(api.Token)) {
		if a != actionChangeAddress && a != actionMakeDefault && !t.Allows(a, privs) {
			return
		}
		ra := &rowAction{label: label, icon: icon, run: func() { onTap(t) }}
		ra.important = a == api.ActionActivate || a == api.ActionEnable // the method waits for it
		ra.separate = a == api.ActionDelete
		if last && (a == api.ActionDisable || a == api.ActionDelete) {
			ra.blocked = lang.L("{{.Action}} (your only active method)", map[string]any{"Action": label})
		}
		r.actions[a] = ra
		order = append(order, ra)
	}
	add(api.ActionActivate, lang.L("Activate"), theme.ConfirmIcon(), s.onActivate)
	add(api.ActionEnable, lang.L("Enable"), theme.VisibilityIcon(), s.onEnable)
	add(api.ActionTest, lang.L("Test"), theme.MediaPlayIcon(), s.onTest)
	add(api.ActionResync, lang.L("Resync"), theme.HistoryIcon(), s.onResync)
	add(api.ActionRename, lang.L("Rename"), theme.DocumentCreateIcon(), s.onRename)
	if canMakeDefault(t, privs) {
		add(actionMakeDefault, lang.L("Make default"), theme.RadioButtonCheckedIcon(), s.onMakeDefault)
	}
	if canChangeAddress(t, privs) {
		label := lang.L("Change number")
		if t.Type == api.TypeEmail {
			label = lang.L("Change address")
		}
		add(actionChangeAddress, label, theme.MailComposeIcon(), s.onChangeAddress)
	}
	add(api.ActionDisable, lang.L("Disable"), theme.VisibilityOffIcon(), s.onDisable)
	add(api.ActionDelete, lang.L("Delete"), theme.DeleteIcon(), s.onDelete)
	if last && (r.actions[api.ActionDisable] != nil || r.actions[api.ActionDelete] != nil) {
		r.blocked = lang.L("Your only active sign-in method: it cannot be disabled or deleted.")
	}
	r.rowActions = newRowActions(order)
	return r
}

func (s *tokensScreen) rowView(r *tokenRow) fyne.CanvasObject {
	t := r.token
	icon := widget.NewIcon(tokenIcon(t.Type))
	title := widget.NewLabelWithStyle(tokenTitle(t), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	kind := muted(tokenKind(t))
	kind.Wrapping = fyne.TextWrapOff
	kind.Truncation = fyne.TextTruncateEllipsis
	when := hint(s.tokenDates(t))

	badges := container.NewHBox(newBadge(statusName(t.Status), statusColor(t.Status)))
	if t.Default {
		badges.Objects = append([]fyne.CanvasObject{newBadge(lang.L("Default"), theme.ColorNamePrimary)}, badges.Objects...)
	}
	info := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(badges), title),
		kind,
		when,
	)
	if t.Status == api.StatusPending {
		info.Add(hint(pendingHint(t.Type)))
	}
	if r.blocked != "" {
		info.Add(hint(r.blocked))
	}
	iconBox := container.NewVBox(container.NewGridWrap(fyne.NewSquareSize(40), icon))
	// Over the card: a tint and an outline while it was just added.
	r.glow = canvas.NewRectangle(color.Transparent)
	r.glow.StrokeWidth = 2
	r.glow.CornerRadius = theme.InputRadiusSize()
	card := widget.NewCard("", "", container.NewBorder(nil, nil, iconBox, container.NewVBox(r.content()), info))
	return container.NewStack(card, r.glow)
}

// tokenKind is the line under a token's title that tells it apart: its
// label, or for an SMS or email token where the codes go (masked, as on
// every screen others may see), after its kind unless the title already
// is the kind.
func tokenKind(t api.Token) string {
	what := t.Label
	if channel := t.Type.Channel(); channel != "" && t.Address != "" {
		what = api.MaskAddress(channel, t.Address)
	}
	if t.Description == "" {
		return what
	}
	return tokenTypeName(t.Type) + " · " + what
}

// pendingHint says how to finish setting up a PENDING token.
func pendingHint(t api.TokenType) string {
	switch t {
	case api.TypeFIDO2:
		return lang.L("Setting up this security key was not finished. Activate it with the key, or delete it and add the key again.")
	case api.TypeSMS, api.TypeEmail:
		return lang.L("Setting up was not finished. Activate it with a code we send you, or delete it and add it again.")
	case api.TypePush:
		return lang.L("Connecting your phone was not finished. Activate it to show a new QR code, or delete it and add the app again.")
	}
	return lang.L("Setting up this app was not finished. Activate it with a code, or delete it and add the app again.")
}

// canChangeAddress reports whether the user may move the token's codes to
// another phone number or email address: an SMS or email token, active
// or disabled, and the privilege to modify tokens.
func canChangeAddress(t api.Token, privs []api.Privilege) bool {
	return t.Type.Channel() != "" && api.Has(privs, api.PrivTokenModify) &&
		(t.Status == api.StatusActive || t.Status == api.StatusDisabled)
}

// tokenIcon stands for a kind of token.
func tokenIcon(t api.TokenType) fyne.Resource {
	switch t {
	case api.TypeFIDO2:
		return resources.SecurityKeyIcon
	case api.TypeSMS:
		return resources.TextMessageIcon
	case api.TypeEmail:
		return theme.MailComposeIcon()
	case api.TypePush:
		return resources.PushIcon
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
	added := lang.L("Added {{.When}}", map[string]any{"When": s.ui.dates.when(t.CreatedAt, now)})
	used := lang.L("never used")
	if t.LastUsedAt != nil {
		used = lang.L("last used {{.When}}", map[string]any{"When": s.ui.dates.when(*t.LastUsedAt, now)})
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

// markAdded remembers the methods listed, so that the list after an
// enrollment scrolls to the new one and highlights it.
func (s *tokensScreen) markAdded() {
	s.before = map[string]bool{}
	for _, t := range s.tokens {
		s.before[t.ID] = true
	}
}

// showAdded scrolls to the method that was not listed before an
// enrollment, and lights it up for a moment.
func (s *tokensScreen) showAdded() {
	if s.before == nil {
		return
	}
	before := s.before
	s.before = nil
	i := slices.IndexFunc(s.tokens, func(t api.Token) bool { return !before[t.ID] })
	if i < 0 {
		return
	}
	r := s.rows[s.tokens[i].ID]
	s.highlighted = r.token.ID
	var y float32
	for _, o := range s.list.Objects[:i] {
		y += o.MinSize().Height + theme.Padding()
	}
	s.scroll.ScrollToOffset(fyne.NewPos(0, y))
	red, green, blue, _ := theme.Color(theme.ColorNamePrimary).RGBA()
	fade := fyne.NewAnimation(3*time.Second, func(p float32) {
		// Fully lit for the first half, then fading out.
		alpha := min(1, 2*(1-p))
		r.glow.FillColor = color.NRGBA{R: uint8(red >> 8), G: uint8(green >> 8), B: uint8(blue >> 8), A: uint8(alpha * 40)}
		r.glow.StrokeColor = color.NRGBA{R: uint8(red >> 8), G: uint8(green >> 8), B: uint8(blue >> 8), A: uint8(alpha * 255)}
		r.glow.Refresh()
	})
	fade.Start()
}

// onAdd opens the choice of what to add.
func (s *tokensScreen) onAdd() {
	s.notice.hide()
	c := newEnrollChooser(s.ui, s.ctx, func(t api.TokenTemplate) {
		s.chooser = nil
		s.startEnrollment(t, nil, nil)
	})
	c.dlg.SetOnClosed(func() {
		if s.chooser == c {
			s.chooser = nil
		}
	})
	s.chooser = c
	c.show()
}

// startEnrollment opens the wizard that adds a token of template t,
// preset to finish an approved enrollment when p is not nil; onClose,
// when not nil, is told when it closes.
func (s *tokensScreen) startEnrollment(t api.TokenTemplate, p *enrollPreset, onClose func(activated bool)) {
	closed := func(ready string) func(bool) {
		return func(activated bool) {
			s.wizard, s.keyWizard, s.codeWizard, s.pushWizard = nil, nil, nil, nil
			if activated {
				s.notice.show(bannerSuccess, ready, "", nil)
				s.markAdded()
			}
			s.load()
			if onClose != nil {
				onClose(activated)
			}
		}
	}
	switch {
	case t.Hardware:
		s.onAddHardware()
	case t.Type == api.TypeFIDO2:
		if s.ui.opts.Keys == nil {
			s.notice.show(bannerError, errorMessage(hw.ErrNotCompiledIn), "", nil)
			return
		}
		w := newKeyEnrollWizard(s.ui, s.ctx, t, closed(lang.L("Your security key is set up. Use it the next time you sign in.")))
		w.preset, w.onSent = p, s.showSent
		s.keyWizard = w
		w.show()
	case t.Type == api.TypeSMS || t.Type == api.TypeEmail:
		ready := lang.L("Text message codes are set up. Use them the next time you sign in.")
		if t.Type == api.TypeEmail {
			ready = lang.L("Email codes are set up. Use them the next time you sign in.")
		}
		w := newCodeEnrollWizard(s.ui, s.ctx, t, closed(ready))
		w.preset, w.onSent = p, s.showSent
		s.codeWizard = w
		w.show(s.openContacts)
	case t.Type == api.TypePush:
		w := newPushEnrollWizard(s.ui, s.ctx, t, closed(lang.L("Your phone is connected. Confirm your sign-ins in the app from now on.")))
		w.preset, w.onSent = p, s.showSent
		s.pushWizard = w
		w.show()
	default:
		w := newEnrollWizard(s.ui, s.ctx, t, closed(lang.L("Your authenticator app is set up. Use its codes the next time you sign in.")))
		w.preset, w.onSent = p, s.showSent
		s.wizard = w
		w.show()
	}
}

// showSent tells the user that an action was sent to approvers.
func (s *tokensScreen) showSent(req api.ApprovalRequest) {
	s.notice.show(bannerInfo, sentText(req), "", nil)
}

// finishEnrollment opens the wizard that finishes the approved
// enrollment p, the one of its template's kind. onActivated runs when
// the token is set up.
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
		i := slices.IndexFunc(templates, func(t api.TokenTemplate) bool { return t.ID == p.templateID })
		if i < 0 {
			dialog.ShowInformation(lang.L("Finish enrollment"), lang.L("The approved kind of token can no longer be added. Ask your administrator."), s.ui.win)
			return
		}
		s.startEnrollment(templates[i], p, func(activated bool) {
			if activated {
				onActivated()
			}
		})
	})
}
