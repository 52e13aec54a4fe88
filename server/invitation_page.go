package server

import (
	"errors"
	"html/template"
	"net/http"

	"selfservice/api"
)

// The page an invitation link opens in the browser (GET and POST
// /invite/{token}, outside the API): who invites the invitee, and a
// form for the username (proposed from their name) and the password,
// typed twice, that works without JavaScript. Looking at it creates
// nothing, since mail scanners open links too; sending the form creates
// the account (acceptInvitation).

var invitationPage = template.Must(template.New("invite").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{.Issuer}}: your invitation</title>
` + pageStyle + `</head><body><main>
<h1>Your invitation</h1>
{{if .Done}}<p class="done">Your account <strong>{{.Username}}</strong> is ready. Open {{.Issuer}} and sign in with your username and password: it asks you first to set up a way to confirm it is you, such as an authenticator app.</p>
{{else if .Invalid}}<p class="error">{{.Invalid}}</p>
{{else}}<p>Hello {{.Name}}, <strong>{{.Sponsor}}</strong> invited you to {{.Issuer}} ({{.Template}}). Choose your username and password to create your account. The link works until {{.Expires}} (UTC), once.</p>
<form method="post" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="64" value="{{.Username}}">
{{with .UsernameError}}<p class="error">{{.}}</p>{{end}}
<ul><li>At least {{.Policy.MinLength}} characters</li><li>At least {{.Policy.MinClasses}} of: lower-case letters, upper-case letters, digits, other characters</li>
<li>Not your username, not easy to guess</li></ul>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required maxlength="{{.MaxLen}}">
{{with .PasswordError}}<p class="error">{{.}}</p>{{end}}
<label for="confirm">Type it again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="{{.MaxLen}}">
{{with .ConfirmError}}<p class="error">{{.}}</p>{{end}}
<button type="submit">Create my account</button>
</form>{{end}}
</main></body></html>
`))

// invitationPageData fills invitationPage.
type invitationPageData struct {
	Issuer, Name, Sponsor, Template, Expires, Username string
	Policy                                             api.PasswordPolicy
	MaxLen                                             int
	Invalid                                            string // why the link does not work
	UsernameError, PasswordError, ConfirmError         string
	Done                                               bool
}

// serveInvitationPage answers GET and POST /invite/{token}.
func (s *Server) serveInvitationPage(w http.ResponseWriter, r *http.Request) {
	if err := s.limitAnonymous(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := r.PathValue("token")
	data := invitationPageData{Issuer: s.cfg.Issuer, Policy: s.cfg.Tenant.PasswordPolicy, MaxLen: api.MaxPasswordLen}
	status := http.StatusOK
	opened, err := s.openInvitation(r.Context(), token)
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == api.CodeLinkInvalid:
		data.Invalid, status = apiErr.Message, http.StatusGone
	case err != nil:
		s.writeError(w, r, err)
		return
	default:
		sponsor := opened.sponsor.DisplayName
		if sponsor == "" {
			sponsor = opened.sponsor.Username
		}
		data.Name, data.Sponsor, data.Template, data.Username = opened.inv.Name, sponsor, opened.tpl.Name, opened.username
		data.Expires = opened.inv.ExpiresAt.UTC().Format("2006-01-02 15:04")
	}
	if data.Invalid == "" && r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxResetForm)
		data.Username = r.PostFormValue("username")
		password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
		switch {
		case password == "":
			data.PasswordError, status = "Choose a password.", http.StatusBadRequest
		case confirm != password:
			data.ConfirmError, status = "The two passwords are not the same. Type them again.", http.StatusBadRequest
		default:
			var user UserRecord
			user, err = s.acceptInvitation(r.Context(), token, data.Username, password)
			data.Username = user.Username
		}
		switch {
		case err == nil && status == http.StatusOK:
			data.Done = true
		case errors.As(err, &apiErr) && apiErr.FieldErrors()["username"] != "":
			data.Username = r.PostFormValue("username")
			data.UsernameError, status = apiErr.FieldErrors()["username"], http.StatusBadRequest
		case errors.As(err, &apiErr) && apiErr.FieldErrors()["password"] != "":
			data.Username = r.PostFormValue("username")
			data.PasswordError, status = apiErr.FieldErrors()["password"], http.StatusBadRequest
		case errors.As(err, &apiErr) && (apiErr.Code == api.CodeLinkInvalid || apiErr.Code == api.CodeInvalidState):
			data.Invalid, status = apiErr.Message, http.StatusGone
		case err != nil:
			s.writeError(w, r, err)
			return
		}
	}
	writePage(w, status, invitationPage, data)
}
