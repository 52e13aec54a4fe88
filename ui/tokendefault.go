package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// The default sign-in method: the one the user prefers, which the second
// sign-in step and the step-up choose first.

// canMakeDefault reports whether the user may make t their default: an
// ACTIVE token that is not the default yet, and the privilege to modify
// tokens.
func canMakeDefault(t api.Token, privs []api.Privilege) bool {
	return t.Status == api.StatusActive && !t.Default && api.Has(privs, api.PrivTokenModify)
}

func (s *tokensScreen) onMakeDefault(t api.Token) {
	s.quickAction(t, lang.L("“{{.Name}}” is your default sign-in method: it is chosen first when you sign in.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context) error {
			_, err := s.ui.session.MakeDefault(ctx, t.ID)
			return err
		})
}
