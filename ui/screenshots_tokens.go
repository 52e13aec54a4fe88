package ui

import (
	"errors"
)

// screenshotTokenMenu opens the More menu of the user's only method, its
// Disable and Delete shown off with the reason, shoots "tokens-menu"
// and closes the menu.
func screenshotTokenMenu(tokens *tokensScreen, capture func(string) error) error {
	if len(tokens.tokens) == 0 {
		return errors.New("no sign-in method to show the menu of")
	}
	r := tokens.rows[tokens.tokens[0].ID]
	if r.more == nil {
		return errors.New("the sign-in method has no More menu")
	}
	// The test driver lays nothing out again when a banner appears; the
	// menu goes where More is once it has. Twice: wrapped text knows its
	// height once it has its width.
	for range 2 {
		tokens.ui.win.Content().Refresh()
	}
	r.showMenu()
	defer r.popUp.Hide()
	return capture("tokens-menu")
}
