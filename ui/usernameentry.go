package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// newUsernameEntry is the field where helpdesk staff type another
// person's username: it checks as they type that it can be one, and
// onSubmit (Enter) looks them up.
func newUsernameEntry(onSubmit func()) *entry {
	e := newEntry()
	e.SetPlaceHolder(lang.L("Username, like jdoe"))
	e.Validator = func(text string) error {
		if name := api.NormalizeUsername(text); name != "" && !api.ValidUsername(name) {
			return errors.New(lang.L("A username has up to 64 letters, digits and the characters . _ - @."))
		}
		return nil
	}
	e.OnSubmitted = func(string) { onSubmit() }
	return e
}

// checkUsername reports whether e holds what can be a username (an empty
// field is left to the call, which asks for one); otherwise it says why
// under the field (err), and nothing is sent.
func checkUsername(e *entry, err fieldError) bool {
	if problem := e.Validate(); problem != nil {
		err.set(problem.Error())
		return false
	}
	return true
}
