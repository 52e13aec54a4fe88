package server

import (
	"errors"
	"html/template"
	"net/http"

	"selfservice/api"
)

// The page an activation link opens in the browser (GET and POST
// /activate/{token}, outside the API). Opening it activates nothing,
// since mail scanners open links too: its button posts the form, which
// does what POST /auth/register/activate does.

var activatePage = template.Must(template.New("activate").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{.Issuer}}: confirm your account</title>
` + pageStyle + `</head><body><main>
<h1>Confirm your account</h1>
{{if .Done}}<p class="done">Your account <strong>{{.Username}}</strong> is active and your email address confirmed. Sign in to {{.Issuer}} with your username and password.</p>
{{else if .Invalid}}<p class="error">{{.Invalid}}</p>
{{else}}<p>Confirm the email address of the {{.Issuer}} account <strong>{{.Username}}</strong> to activate it. The link works until {{.Expires}} (UTC), once.</p>
<form method="post"><button type="submit">Confirm my account</button></form>{{end}}
</main></body></html>
`))

// activatePageData fills activatePage.
type activatePageData struct {
	Issuer, Username, Expires string
	Invalid                   string // why the link does not work
	Done                      bool
}

// serveActivatePage answers GET and POST /activate/{token}.
func (s *Server) serveActivatePage(w http.ResponseWriter, r *http.Request) {
	if err := s.limitAnonymous(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := r.PathValue("token")
	data := activatePageData{Issuer: s.cfg.Issuer}
	status := http.StatusOK
	link, user, err := s.openLink(r.Context(), linkActivation, token)
	var refused *api.Error // why activating failed
	if err == nil && r.Method == http.MethodPost {
		_, err = s.activate(r.Context(), token)
		data.Done = err == nil
		if !errors.As(err, &refused) || refused.Code != api.CodeLinkInvalid {
			refused = nil
		}
	}
	switch {
	case refused != nil:
		data.Invalid, status = refused.Message, http.StatusGone
	case !api.ValidLinkToken(token) || errors.Is(err, api.ErrLinkInvalid):
		data.Invalid, status = errActivationLinkInvalid().Error(), http.StatusGone
	case err != nil:
		s.writeError(w, r, err)
		return
	default:
		data.Username, data.Expires = user.Username, link.ExpiresAt.UTC().Format("2006-01-02 15:04")
	}
	writePage(w, status, activatePage, data)
}
