package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// tapRowAction uses ra of a row as a user does: with its button, or with
// its entry in the More menu.
func tapRowAction(t *testing.T, r *rowActions, ra *rowAction) {
	t.Helper()
	if ra == r.primary {
		test.Tap(r.button)
		return
	}
	test.Tap(r.more)
	if r.popUp == nil || !r.popUp.Visible() {
		t.Fatal("More opened no menu")
	}
	test.Tap(r.popUp.Items[slices.Index(r.menu.Items, ra.item)].(fyne.Tappable))
}

// rowActionEnabled reports whether ra of a row can be used now.
func rowActionEnabled(r *rowActions, ra *rowAction) bool {
	if ra == r.primary {
		return !r.button.Disabled()
	}
	return !r.more.Disabled() && !ra.item.Disabled
}
