package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// What a screen reader says for the app's own widgets. Fyne's widgets
// speak for themselves; these draw their text or state, so they say it.
// (Fyne reads the tree with the build tag `accessibility`, on Windows
// and macOS.)

var (
	_ fyne.Accessible = (*badge)(nil)
	_ fyne.Accessible = (*banner)(nil)
	_ fyne.Accessible = (*busyBar)(nil)
	_ fyne.Accessible = (*countdown)(nil)
	_ fyne.Accessible = (*navItem)(nil)
	_ fyne.Accessible = (*qrCode)(nil)
	_ fyne.Accessible = (*keyPulse)(nil)
	_ fyne.Accessible = (*demoMessageView)(nil)
)

func (b *badge) AccessibilityLabel() string             { return b.Text }
func (b *badge) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (b *banner) AccessibilityLabel() string             { return b.message() }
func (b *banner) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (b *busyBar) AccessibilityLabel() string {
	if b.running {
		return lang.L("Working…")
	}
	return ""
}
func (b *busyBar) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (c *countdown) AccessibilityLabel() string {
	return lang.L("{{.Percent}} % of the time left", map[string]any{"Percent": int(c.left*100 + 0.5)})
}
func (c *countdown) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// A navigation entry says its name and what waits there: "To approve, 3
// waiting".
func (n *navItem) AccessibilityLabel() string {
	if n.count.Text == "" {
		return n.name.Text
	}
	return lang.L("{{.Area}}, {{.Count}} waiting", map[string]any{"Area": n.name.Text, "Count": n.count.Text})
}
func (n *navItem) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// A QR code never reads out what it holds (a setup secret, a sign-in
// link): the text next to it says what to do with it.
func (q *qrCode) AccessibilityLabel() string             { return lang.L("QR code") }
func (q *qrCode) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (p *keyPulse) AccessibilityLabel() string {
	if p.pulsing {
		return lang.L("Touch your security key now")
	}
	return lang.L("Security key")
}
func (p *keyPulse) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (v *demoMessageView) AccessibilityLabel() string { return v.found.Text }
func (v *demoMessageView) AccessibilityRole() fyne.AccessibleRole {
	return fyne.AccessibleRoleContainer
}

// An entry says what it holds, or what it asks for while empty; a
// password entry never says what was typed.
func (e *entry) AccessibilityLabel() string {
	if e.Text == "" || e.Password {
		return e.PlaceHolder
	}
	return e.Text
}
func (e *entry) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }
