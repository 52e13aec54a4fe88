package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// passwordRules lists the rules of the server's password policy that the
// app can check itself (api.PasswordPolicy.Check, the server's own code),
// each ticked once the password typed keeps it. The Password area and the
// password reset at sign-in show it under the new password.
type passwordRules struct {
	box  *fyne.Container // one line per rule
	kept map[string]bool // the rules the password keeps, by api.Rule…
}

func newPasswordRules() *passwordRules {
	return &passwordRules{box: container.NewVBox(), kept: map[string]bool{}}
}

// show lists the rules of policy, ticking those password keeps for the
// user username.
func (r *passwordRules) show(policy api.PasswordPolicy, password, username string) {
	broken := map[string]bool{}
	for _, p := range policy.Check(password, username) {
		broken[p.Rule] = true
	}
	line := func(rule, text string) fyne.CanvasObject {
		icon := widget.NewIcon(theme.ConfirmIcon())
		label := widget.NewLabel(text)
		label.Wrapping = fyne.TextWrapWord
		label.SizeName = theme.SizeNameCaptionText
		r.kept[rule] = !broken[rule] && password != ""
		if r.kept[rule] {
			icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		} else {
			icon.SetResource(theme.RadioButtonIcon()) // still to do: an empty circle
		}
		return container.NewBorder(nil, nil, icon, nil, label)
	}
	r.box.Objects = []fyne.CanvasObject{
		line(api.RuleLength, lang.L("At least {{.Count}} characters", map[string]any{"Count": policy.MinLength})),
		line(api.RuleClasses, lang.L("At least {{.Count}} of: lower-case letters, upper-case letters, digits, other characters", map[string]any{"Count": policy.MinClasses})),
		line(api.RuleUsername, lang.L("Not your username")),
	}
	r.box.Refresh()
}
