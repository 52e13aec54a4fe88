package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/app"
	"selfservice/hw"
)

// passkeysTab lists the passkeys (discoverable credentials) on a key by
// relying party, and deletes them. Passkeys that are sign-in methods of
// the signed-in account are marked "This account".
type passkeysTab struct {
	d *keyDetail

	gate   *pinGate
	reload *widget.Button
	notice *banner
	state  *fyne.Container

	loaded  bool
	loading bool
	rps     []hw.RPCredentials
	rows    []*passkeyRow
	dialog  *keyActionDialog // the open delete dialog, if any
}

// passkeyRow is one passkey in the list.
type passkeyRow struct {
	rp      hw.RelyingParty
	cred    hw.Credential
	mine    bool // a sign-in method of the signed-in account
	delete  *widget.Button
	summary string // relying party and user, for tests and messages
}

func newPasskeysTab(d *keyDetail) *passkeysTab {
	t := &passkeysTab{d: d, notice: newBanner(), state: container.NewStack()}
	t.gate = newPINGate(lang.L("The key shows its passkeys only after you enter its PIN."), func(pin string) {
		t.notice.hide()
		t.load(pin)
	})
	t.reload = widget.NewButtonWithIcon(lang.L("Reload"), theme.ViewRefreshIcon(), func() {
		t.notice.hide()
		t.load(t.d.pin)
	})
	return t
}

func (t *passkeysTab) content() fyne.CanvasObject {
	intro := muted(lang.L("Passkeys stored on this key sign you in to websites and apps without a password. Deleting one here cannot be undone."))
	return container.NewPadded(container.NewBorder(container.NewVBox(intro, t.notice), nil, nil, nil, t.state))
}

func (t *passkeysTab) setState(o fyne.CanvasObject) {
	t.state.Objects = []fyne.CanvasObject{o}
	t.state.Refresh()
}

// refresh shows what fits the key now: why it cannot list passkeys, the
// PIN gate, or the list.
func (t *passkeysTab) refresh() {
	info := t.d.info
	switch {
	case !info.SupportsCredentialManagement():
		t.setState(paragraph(lang.L("This key cannot list its passkeys.")))
	case !info.PINSet():
		t.setState(needsPINView(t.d, lang.L("A key shows its passkeys only after you enter its PIN, and this key has no PIN yet.")))
	case t.d.pin == "":
		t.setState(t.gate.box)
	case !t.loaded:
		t.load(t.d.pin)
	}
}

// needsPINView explains that a PIN must be set first, with the way to set it.
func needsPINView(d *keyDetail, why string) fyne.CanvasObject {
	set := widget.NewButtonWithIcon(lang.L("Set PIN"), theme.ContentAddIcon(), d.overview.onSetPIN)
	return container.NewVBox(paragraph(why), container.NewHBox(set))
}

// load lists the passkeys with pin and, when signed in, the account's
// security keys to mark its passkeys.
func (t *passkeysTab) load(pin string) {
	if t.loading {
		return
	}
	t.loading = true
	t.gate.setBusy(true)
	setEnabled(t.reload, false)
	auth, session := t.d.auth, t.d.ui.session
	var rps []hw.RPCredentials
	var mine app.CredentialIDs
	t.d.ui.run(t.d.ctx, t.d.progress, func(ctx context.Context) error {
		var err error
		if rps, err = auth.Credentials(ctx, pin); err != nil {
			return err
		}
		if session.SignedIn() {
			// Best effort: without the list, nothing is marked.
			if tokens, err := session.Tokens(ctx); err == nil {
				mine = app.AccountCredentials(tokens)
			}
		}
		return nil
	}, func(err error) {
		t.loading = false
		t.gate.setBusy(false)
		setEnabled(t.reload, true)
		if err != nil {
			t.failed(err)
			return
		}
		t.gate.pin.SetText("")
		t.d.pin = pin
		t.show(rps, mine)
	})
}

// failed shows why the passkeys could not be listed: under the PIN field
// when it was the PIN.
func (t *passkeysTab) failed(err error) {
	t.loaded = false
	if t.d.gone(err) {
		return
	}
	if t.d.pinFailed(err) {
		t.gate.failed(err)
		t.setState(t.gate.box)
		return
	}
	if msg := errorMessage(err); msg != "" {
		t.notice.show(bannerError, msg, lang.L("Retry"), func() {
			t.notice.hide()
			t.refresh()
		})
	}
}

// show lists rps, marking the passkeys whose ID is in mine.
func (t *passkeysTab) show(rps []hw.RPCredentials, mine app.CredentialIDs) {
	t.loaded = true
	t.rps = rps
	t.rows = nil
	list := container.NewVBox()
	for _, rp := range rps {
		list.Add(t.rpView(rp, mine))
	}
	top := container.NewHBox(t.reload)
	if len(t.rows) == 0 {
		empty := paragraph(lang.L("There are no passkeys on this key. Passkeys appear here when a website or app stores one on the key."))
		t.setState(container.NewVBox(top, empty))
		return
	}
	t.setState(container.NewBorder(top, nil, nil, nil, container.NewVScroll(list)))
}

// rpView is a card with one relying party's passkeys.
func (t *passkeysTab) rpView(rp hw.RPCredentials, mine app.CredentialIDs) fyne.CanvasObject {
	name := rp.RP.ID
	if rp.RP.Name != "" && rp.RP.Name != rp.RP.ID {
		name = rp.RP.Name + " (" + rp.RP.ID + ")"
	}
	box := container.NewVBox(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range rp.Credentials {
		r := &passkeyRow{rp: rp.RP, cred: c, mine: mine.Contains(c.ID), summary: passkeyUser(c.User) + " · " + rp.RP.ID}
		r.delete = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() { t.onDelete(r) })
		t.rows = append(t.rows, r)

		user := widget.NewLabel(passkeyUser(c.User))
		user.Truncation = fyne.TextTruncateEllipsis
		right := container.NewHBox()
		if r.mine {
			right.Add(container.NewCenter(newBadge(lang.L("This account"), theme.ColorNamePrimary)))
		}
		right.Add(r.delete)
		box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), right, user))
	}
	return widget.NewCard("", "", box)
}

// passkeyUser names the account a passkey is for.
func passkeyUser(u hw.User) string {
	switch {
	case u.DisplayName != "" && u.Name != "" && u.DisplayName != u.Name:
		return u.DisplayName + " (" + u.Name + ")"
	case u.Name != "":
		return u.Name
	case u.DisplayName != "":
		return u.DisplayName
	}
	return lang.L("Unnamed account")
}

// onDelete deletes a passkey after confirmation.
func (t *passkeysTab) onDelete(r *passkeyRow) {
	d := t.d
	text := lang.L("The passkey of {{.User}} for {{.Site}} will be deleted from the key. You will no longer be able to sign in to {{.Site}} with it. This cannot be undone.",
		map[string]any{"User": passkeyUser(r.cred.User), "Site": r.rp.ID})
	body := container.NewVBox(paragraph(text))
	if r.mine {
		warning := newBanner()
		warning.show(bannerWarning, lang.L("This passkey is a sign-in method of your account. Once it is deleted the method stops working: remove it from your sign-in methods too."), "", nil)
		body.Add(warning)
	}
	t.notice.hide()
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Delete this passkey?"), lang.L("Delete"), body)
	dlg.confirm.Importance = widget.DangerImportance
	auth, pin, id := d.auth, d.pin, r.cred.ID
	dlg.work = func(ctx context.Context, _ func(hw.Event)) error {
		return auth.DeleteCredential(ctx, pin, id)
	}
	dlg.failed = func(err error) bool {
		if d.pinFailed(err) {
			dlg.close()
			t.gate.failed(err)
			t.setState(t.gate.box)
			return true
		}
		return false
	}
	dlg.done = func() {
		dlg.close()
		t.notice.show(bannerSuccess, lang.L("The passkey for {{.Site}} is deleted.", map[string]any{"Site": r.rp.ID}), "", nil)
		t.load(d.pin)
	}
	t.dialog = dlg
	dlg.show()
}
