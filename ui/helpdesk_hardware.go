package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// hardwareCard is the Hardware tokens card of the Helpdesk area: look up
// the hardware tokens a person holds and take one back (broken, lost,
// handed in), so that it can be given to someone else. Their last active
// sign-in method goes only after a second confirmation, and only when the
// server allows forcing it (after a recent sign-in).
type hardwareCard struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc

	username    *entry
	usernameErr fieldError
	find        *widget.Button
	progress    *busyBar
	message     *banner
	devices     *fyne.Container // the devices of holder, one row each

	holder     string                    // whose devices are listed; "" before the first look-up
	holderName string                    // how holder is shown: "Demo Employee (demo)"
	rows       map[string]*widget.Button // the Unassign button of each listed serial
	dialog     *formDialog               // the open confirmation, nil when none
}

func newHardwareCard(u *UI) *hardwareCard {
	c := &hardwareCard{
		ui:          u,
		ctx:         context.Background(),
		cancel:      func() {},
		usernameErr: newFieldError(),
		progress:    newBusyBar(),
		message:     newBanner(),
		devices:     container.NewVBox(),
		rows:        map[string]*widget.Button{},
	}
	c.username = newUsernameEntry(c.onFind)
	c.find = widget.NewButtonWithIcon(lang.L("Show hardware tokens"), theme.SearchIcon(), c.onFind)
	return c
}

// card is the card's content, laid out by the Helpdesk area.
func (c *hardwareCard) card() fyne.CanvasObject {
	return container.NewVBox(
		heading(lang.L("Hardware tokens")),
		paragraph(lang.L("Take back a hardware token that is broken, lost or handed in. It is removed from the person's sign-in methods, and can then be given to someone else.")),
		c.message,
		field(lang.L("Username"), c.username, c.usernameErr),
		c.find,
		c.progress,
		c.devices,
	)
}

func (c *hardwareCard) open(ctx context.Context) {
	c.ctx, c.cancel = context.WithCancel(ctx)
}

// close stops a call under way and closes the confirmation.
func (c *hardwareCard) close() {
	c.cancel()
	c.setBusy(false)
	if c.dialog != nil {
		c.dialog.close()
		c.dialog = nil
	}
}

func (c *hardwareCard) onFind() {
	if c.find.Disabled() {
		return
	}
	c.message.hide()
	c.usernameErr.set("")
	if !checkUsername(c.username, c.usernameErr) {
		c.showDevices(api.HardwareDevicesResponse{})
		return
	}
	username := c.username.Text
	var out api.HardwareDevicesResponse
	c.setBusy(true)
	c.ui.run(c.ctx, c.progress, func(ctx context.Context) error {
		var err error
		out, err = c.ui.session.UserHardwareTokens(ctx, username)
		return err
	}, func(err error) {
		c.setBusy(false)
		if err != nil {
			c.showFindError(err)
			return
		}
		c.showDevices(out)
	})
}

// showFindError puts what concerns the username next to it; anything
// else goes in the message, with a retry when trying again may help.
func (c *hardwareCard) showFindError(err error) {
	c.showDevices(api.HardwareDevicesResponse{})
	switch {
	case fieldErrors(err)["username"] != "":
		c.usernameErr.set(fieldErrors(err)["username"])
	case errors.Is(err, api.ErrNotFound):
		c.usernameErr.set(lang.L("There is no user with this username. Check the spelling and try again."))
	case errors.Is(err, api.ErrHardwareForSelf):
		c.usernameErr.set(lang.L("You cannot take back your own hardware tokens here. Delete one under Sign-in methods, or ask another helpdesk member."))
	case retryable(err):
		c.message.show(bannerError, errorMessage(err), lang.L("Try again"), c.onFind)
	default:
		c.message.show(bannerError, errorMessage(err), "", nil)
	}
}

// showDevices lists the devices of out.Username; an empty answer clears
// the list.
func (c *hardwareCard) showDevices(out api.HardwareDevicesResponse) {
	c.holder, c.holderName = out.Username, displayAndUsername(out.DisplayName, out.Username)
	c.rows = map[string]*widget.Button{}
	c.devices.RemoveAll()
	if out.Username == "" {
		return
	}
	if len(out.Devices) == 0 {
		c.devices.Add(paragraph(lang.L("{{.User}} holds no hardware tokens.", map[string]any{"User": c.holderName})))
		return
	}
	for _, d := range out.Devices {
		unassign := widget.NewButtonWithIcon(lang.L("Unassign"), theme.ContentRemoveIcon(), func() { c.onUnassign(d) })
		unassign.Importance = widget.DangerImportance
		c.rows[d.Serial] = unassign
		name := widget.NewLabelWithStyle(d.Serial, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		about := hint(c.deviceSummary(d))
		c.devices.Add(container.NewBorder(nil, nil, nil, container.NewCenter(unassign), container.NewVBox(name, about)))
	}
}

// deviceSummary says what kind of device it is, its state and its last
// use.
func (c *hardwareCard) deviceSummary(d api.HardwareDevice) string {
	kind := lang.L("Time-based codes")
	if d.Type == api.TypeHOTP {
		kind = lang.L("Codes at the press of a button")
	}
	used := lang.L("never used")
	if d.LastUsedAt != nil {
		used = lang.L("last used {{.When}}", map[string]any{"When": c.ui.dates.when(*d.LastUsedAt, c.ui.now())})
	}
	return strings.Join([]string{kind, statusName(d.Status), used}, " · ")
}

// onUnassign asks to confirm taking d back from the listed person. When
// it is their last active sign-in method, the dialog says so and, if the
// server allows it, offers to take it anyway.
func (c *hardwareCard) onUnassign(d api.HardwareDevice) {
	holder := c.holder
	vars := map[string]any{"Serial": d.Serial, "User": c.holderName}
	body := paragraph(lang.L("The hardware token {{.Serial}} will be taken back from {{.User}}. It is removed from their sign-in methods, and its codes no longer sign them in. The token can then be given to someone else.", vars))
	dlg := newFormDialog(c.ui, c.ctx, lang.L("Unassign {{.Serial}} from {{.User}}?", vars), lang.L("Unassign"), body)
	dlg.confirm.Importance = widget.DangerImportance
	force := false
	var refused error // the last-active refusal of the latest try
	var out api.HardwareDevicesResponse
	dlg.work = func(ctx context.Context) error {
		var err error
		out, err = c.ui.session.UnassignHardwareToken(ctx, holder, d.Serial, force)
		if refused = nil; errors.Is(err, api.ErrLastActiveToken) {
			refused = err
			return nil
		}
		return err
	}
	dlg.done = func() {
		switch {
		case refused != nil && api.ForceAllowed(refused):
			force = true
			dlg.message.show(bannerWarning, lang.L("{{.Serial}} is the last active sign-in method of {{.User}}. Without it they can sign in with their password only, to add a new method. Unassign it anyway only if they cannot add another method first.", vars), "", nil)
			dlg.confirm.SetText(lang.L("Unassign anyway"))
		case refused != nil:
			dlg.finish(bannerWarning, lang.L("{{.Serial}} is the last active sign-in method of {{.User}}. Let them add another method first. To unassign it anyway, sign out and sign in again, then try again at once.", vars))
		default:
			dlg.close()
			c.dialog = nil
			c.message.show(bannerSuccess, lang.L("{{.Serial}} is unassigned from {{.User}} and can be given to someone else.", vars), "", nil)
			c.showDevices(out)
		}
	}
	c.dialog = dlg
	dlg.show()
}

func (c *hardwareCard) setBusy(busy bool) {
	for _, w := range []fyne.Disableable{c.username, c.find} {
		setEnabled(w, !busy)
	}
}
