package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowAction is one action of a list's row.
type rowAction struct {
	label string
	icon  fyne.Resource
	run   func()
	// important fills the action's button: the row waits for it.
	important bool
	// separate sets the action apart in the menu from those above it, as
	// Delete is.
	separate bool
	// blocked, when not "", is what the menu says of an action that is
	// shown but cannot be used ("Delete (your only active method)"); its
	// button, when it is the primary action, is off.
	blocked string
	item    *fyne.MenuItem // its menu entry; nil for the primary one
}

// rowActions are the actions of a list's row: the first one, the one
// the row calls for, as a button, and the others in the menu of a More
// button, which the keyboard moves in (arrows, Return, Escape).
type rowActions struct {
	order   []*rowAction      // as the menu lists them, the primary one first
	primary *rowAction        // nil without any action
	button  *widget.Button    // the primary action's; nil without one
	more    *widget.Button    // opens menu; nil without other actions
	menu    *fyne.Menu        // the other actions
	popUp   *widget.PopUpMenu // the menu once More opened it
}

// newRowActions makes the buttons of actions, the primary one first.
func newRowActions(actions []*rowAction) *rowActions {
	r := &rowActions{order: actions}
	if len(actions) == 0 {
		return r
	}
	r.primary = actions[0]
	r.button = widget.NewButtonWithIcon(r.primary.label, r.primary.icon, r.primary.run)
	if r.primary.important {
		r.button.Importance = widget.HighImportance
	}
	if r.primary.blocked != "" {
		r.button.Disable()
	}
	rest := actions[1:]
	if len(rest) == 0 {
		return r
	}
	r.menu = fyne.NewMenu("")
	for _, a := range rest {
		if a.separate && len(r.menu.Items) > 0 {
			r.menu.Items = append(r.menu.Items, fyne.NewMenuItemSeparator())
		}
		label := a.label
		if a.blocked != "" {
			label = a.blocked
		}
		a.item = fyne.NewMenuItemWithIcon(label, a.icon, a.run)
		a.item.Disabled = a.blocked != ""
		r.menu.Items = append(r.menu.Items, a.item)
	}
	r.more = widget.NewButtonWithIcon(lang.L("More"), theme.MoreHorizontalIcon(), nil)
	r.more.OnTapped = r.showMenu
	return r
}

// content is the row's buttons side by side.
func (r *rowActions) content() *fyne.Container {
	buttons := container.NewHBox()
	if r.button != nil {
		buttons.Add(r.button)
	}
	if r.more != nil {
		buttons.Add(r.more)
	}
	return buttons
}

// showMenu opens the menu of the row's other actions under More.
func (r *rowActions) showMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(r.more)
	if c == nil {
		return
	}
	r.popUp = widget.NewPopUpMenu(r.menu, c)
	// Under More, its right edge at More's, as More is at the row's end.
	r.popUp.ShowAtRelativePosition(fyne.NewPos(r.more.Size().Width-r.popUp.MinSize().Width, r.more.Size().Height), r.more)
}

// setBusy disables the row's buttons while one of its actions runs.
func (r *rowActions) setBusy(busy bool) {
	if r.button != nil {
		setEnabled(r.button, !busy && r.primary.blocked == "")
	}
	if r.more != nil {
		setEnabled(r.more, !busy)
	}
}
