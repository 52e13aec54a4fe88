package server

import (
	"errors"
	"html/template"
	"net/http"

	"selfservice/api"
)

// The page a reset link opens in the browser (GET and POST
// /reset/{token}, outside the API): a form for the new password, typed
// twice, that works without JavaScript. Looking at it uses nothing up;
// sending the form does what POST /auth/password-reset/finish does. The
// app does the same with the link pasted into it.

// maxResetForm bounds the form's body.
const maxResetForm = 4 << 10

var resetPage = template.Must(template.New("reset").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{.Issuer}}: reset your password</title>
` + pageStyle + `</head><body><main>
<h1>Reset your password</h1>
{{if .Done}}<p class="done">Your password is set, and every session of your account is signed out. Sign in to {{.Issuer}} with the new password.</p>
{{else if .Invalid}}<p class="error">{{.Invalid}}</p>
{{else}}<p>Choose a new password for <strong>{{.Username}}</strong>. The link works until {{.Expires}} (UTC), once.</p>
<ul><li>At least {{.Policy.MinLength}} characters</li><li>At least {{.Policy.MinClasses}} of: lower-case letters, upper-case letters, digits, other characters</li>
<li>Not your username, not easy to guess, not one of your last passwords</li></ul>
<form method="post" autocomplete="off">
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required maxlength="{{.MaxLen}}">
{{with .PasswordError}}<p class="error">{{.}}</p>{{end}}
<label for="confirm">Type it again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="{{.MaxLen}}">
{{with .ConfirmError}}<p class="error">{{.}}</p>{{end}}
<button type="submit">Set the password</button>
</form>{{end}}
</main></body></html>
`))

// resetPageData fills resetPage.
type resetPageData struct {
	Issuer, Username, Expires   string
	Policy                      api.PasswordPolicy
	MaxLen                      int
	Invalid                     string // why the link does not work
	PasswordError, ConfirmError string
	Done                        bool
}

// serveResetPage answers GET and POST /reset/{token}.
func (s *Server) serveResetPage(w http.ResponseWriter, r *http.Request) {
	if err := s.limitAnonymous(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := r.PathValue("token")
	data := resetPageData{Issuer: s.cfg.Issuer, Policy: s.cfg.Tenant.PasswordPolicy, MaxLen: api.MaxPasswordLen}
	status := http.StatusOK
	link, user, err := s.openLink(r.Context(), linkPasswordReset, token)
	switch {
	case !api.ValidLinkToken(token) || errors.Is(err, api.ErrLinkInvalid):
		data.Invalid, status = "This link has expired or was already used. In "+s.cfg.Issuer+", choose Forgot password? on the sign-in screen to get a new one.", http.StatusGone
	case err != nil:
		s.writeError(w, r, err)
		return
	default:
		data.Username, data.Expires = user.Username, link.ExpiresAt.UTC().Format("2006-01-02 15:04")
	}
	if data.Invalid == "" && r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxResetForm)
		password, confirm := r.PostFormValue("new_password"), r.PostFormValue("confirm")
		switch {
		case password == "":
			data.PasswordError, status = "Enter the new password.", http.StatusBadRequest
		case confirm != password:
			data.ConfirmError, status = "The two passwords are not the same. Type them again.", http.StatusBadRequest
		default:
			_, err = s.resetWithLink(r, token, password)
		}
		var apiErr *api.Error
		switch {
		case err == nil && status == http.StatusOK:
			data.Done = true
		case errors.As(err, &apiErr) && apiErr.FieldErrors()["new_password"] != "":
			data.PasswordError, status = apiErr.FieldErrors()["new_password"], http.StatusBadRequest
		case errors.As(err, &apiErr) && apiErr.Code == api.CodeLinkInvalid:
			data.Invalid, status = apiErr.Message, http.StatusGone
		case err != nil:
			s.writeError(w, r, err)
			return
		}
	}
	writePage(w, status, resetPage, data)
}

// pageStyle is the look of the pages a link opens.
const pageStyle = `<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #b8bec9;border-radius:6px}
button{margin-top:1.2rem;width:100%;padding:.7rem;font-size:1rem;border:0;border-radius:6px;background:#2563eb;color:#fff}
.error{color:#b42318;margin:.3rem 0 0}.done{color:#067647}ul{padding-left:1.2rem;color:#4a5160}
</style>`

// writePage sends a page a link opens: never cached, without scripts,
// framing or a referrer, its forms posting only to this server.
func writePage(w http.ResponseWriter, status int, page *template.Template, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	page.Execute(w, data) // the browser went away if this fails
}
