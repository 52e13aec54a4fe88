package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// The actions of the tokens list. Enable and disable run at once; the
// others open a small dialog, as disable does where approvers must agree
// first.

func (s *tokensScreen) onEnable(t api.Token) {
	s.quickAction(t, lang.L("“{{.Name}}” is enabled: you can sign in with it again.", map[string]any{"Name": tokenName(t)}),
		func(ctx context.Context) error {
			_, err := s.ui.session.EnableToken(ctx, t.ID)
			return err
		})
}

// onDisable disables t at once (after a step-up where the policy asks
// for one). Where approvers must agree first, it asks before sending the
// request, saying so.
func (s *tokensScreen) onDisable(t api.Token) {
	purpose := lang.L("Disabling “{{.Name}}” needs your confirmation.", map[string]any{"Name": tokenName(t)})
	success := lang.L("“{{.Name}}” is disabled: it cannot be used to sign in until you enable it again.", map[string]any{"Name": tokenName(t)})
	work := s.approvable(purpose, func(ctx context.Context) error {
		_, err := s.ui.session.DisableToken(ctx, t.ID)
		return err
	})
	if s.ui.session.ApprovalNeed(api.OpTokenDisable, t.TemplateID).Mode != api.ModeApprovers {
		s.quickAction(t, success, work)
		return
	}
	body := paragraph(lang.L("Once it is disabled, “{{.Name}}” cannot be used to sign in until you enable it again.", map[string]any{"Name": tokenName(t)}))
	d := newFormDialog(s.ui, s.ctx, lang.L("Disable “{{.Name}}”?", map[string]any{"Name": tokenName(t)}), lang.L("Send for approval"),
		s.ui.withApprovalNotice(body, api.OpTokenDisable, t.TemplateID))
	s.runInDialog(d, success, work)
	s.openDialog(d)
}

// runInDialog makes d run work, then close and say the outcome above the
// list: the request when work went to approvers, else success, the list
// loaded again.
func (s *tokensScreen) runInDialog(d *formDialog, success string, work func(context.Context) error) {
	var sent *api.ApprovalRequest // set when work went to approvers
	d.work = func(ctx context.Context) error {
		err := work(ctx)
		if req, ok := api.ApprovalPending(err); ok {
			sent = req
			return nil
		}
		return err
	}
	d.done = func() {
		d.close()
		if sent != nil {
			s.showSent(*sent)
			return
		}
		s.notice.show(bannerSuccess, success, "", nil)
		s.load()
	}
}

// approvable makes work approvable (see UI.approvable), keeping the
// step-up dialog it opens.
func (s *tokensScreen) approvable(purpose string, work func(context.Context) error) func(context.Context) error {
	return s.ui.approvable(purpose, func(d *stepUpDialog) { s.stepUp = d }, work)
}

// quickAction runs work for a row and reports the outcome above the list.
func (s *tokensScreen) quickAction(t api.Token, success string, work func(context.Context) error) {
	s.notice.hide()
	row := s.rows[t.ID]
	row.setBusy(true)
	s.ui.run(s.ctx, s.progress, work, func(err error) {
		row.setBusy(false)
		if req, ok := api.ApprovalPending(err); ok {
			s.showSent(*req)
			return
		}
		if err != nil {
			s.notice.show(bannerError, errorMessage(err), "", nil)
			if errors.Is(err, api.ErrInvalidState) || errors.Is(err, api.ErrNotFound) {
				s.load()
			}
			return
		}
		s.notice.show(bannerSuccess, success, "", nil)
		s.load()
	})
}

// openDialog shows d and remembers it until it closes.
func (s *tokensScreen) openDialog(d *formDialog) {
	s.notice.hide()
	s.dialog = d
	d.dlg.SetOnClosed(func() {
		if s.dialog == d {
			s.dialog = nil
		}
	})
	d.show()
}

func (s *tokensScreen) onTest(t api.Token) {
	switch t.Type {
	case api.TypeFIDO2:
		s.testKey(t)
		return
	case api.TypeSMS, api.TypeEmail:
		s.testSentCode(t)
		return
	case api.TypePush:
		s.testPush(t)
		return
	}
	code, codeErr := newCodeEntry(), newFieldError()
	body := container.NewVBox(
		paragraph(lang.L("Enter the code your authenticator app shows now for “{{.Name}}”. Testing does not change anything.", map[string]any{"Name": tokenName(t)})),
		field(lang.L("Code"), code, codeErr),
	)
	d := newFormDialog(s.ui, s.ctx, lang.L("Test sign-in method"), lang.L("Test"), body)
	d.fields["otp"] = codeErr
	d.codeField = "otp"
	d.inputs = []fyne.Disableable{code}
	d.work = func(ctx context.Context) error {
		_, err := s.ui.session.TestToken(ctx, t.ID, code.Text)
		return err
	}
	d.done = func() {
		d.finish(bannerSuccess, lang.L("The code is correct: “{{.Name}}” works.", map[string]any{"Name": tokenName(t)}))
		s.load() // its last use changed
	}
	code.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.ui.win.Canvas().Focus(code)
}

func (s *tokensScreen) onActivate(t api.Token) {
	switch t.Type {
	case api.TypeFIDO2:
		s.activateKey(t)
		return
	case api.TypeSMS, api.TypeEmail:
		s.activateSentCode(t)
		return
	case api.TypePush:
		s.resumePush(t)
		return
	}
	code, codeErr := newCodeEntry(), newFieldError()
	body := container.NewVBox(
		paragraph(lang.L("Enter the code your authenticator app shows now for “{{.Name}}”.", map[string]any{"Name": tokenName(t)})),
		field(lang.L("Code"), code, codeErr),
	)
	d := newFormDialog(s.ui, s.ctx, lang.L("Activate sign-in method"), lang.L("Activate"), body)
	d.fields["otp"] = codeErr
	d.codeField = "otp"
	d.inputs = []fyne.Disableable{code}
	d.work = func(ctx context.Context) error {
		_, err := s.ui.session.ActivateToken(ctx, t.ID, code.Text)
		return err
	}
	d.done = func() {
		d.close()
		s.notice.show(bannerSuccess, lang.L("“{{.Name}}” is active.", map[string]any{"Name": tokenName(t)}), "", nil)
		s.load()
	}
	code.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.ui.win.Canvas().Focus(code)
}

func (s *tokensScreen) onResync(t api.Token) {
	code1, code1Err := newCodeEntry(), newFieldError()
	code2, code2Err := newCodeEntry(), newFieldError()
	body := container.NewVBox(
		paragraph(lang.L("If “{{.Name}}” keeps producing codes that are not accepted, the server can catch up with it. Enter two codes that follow each other: the one shown now, then wait for the next one.", map[string]any{"Name": tokenName(t)})),
		field(lang.L("First code"), code1, code1Err),
		field(lang.L("Next code"), code2, code2Err),
	)
	d := newFormDialog(s.ui, s.ctx, lang.L("Resync sign-in method"), lang.L("Resync"), body)
	d.fields["otp1"] = code1Err
	d.fields["otp2"] = code2Err
	d.inputs = []fyne.Disableable{code1, code2}
	d.work = func(ctx context.Context) error {
		_, err := s.ui.session.ResyncToken(ctx, t.ID, code1.Text, code2.Text)
		return err
	}
	d.done = func() {
		d.close()
		s.notice.show(bannerSuccess, lang.L("“{{.Name}}” is in step with the server again.", map[string]any{"Name": tokenName(t)}), "", nil)
		s.load()
	}
	code1.OnSubmitted = func(string) { s.ui.win.Canvas().Focus(code2) }
	code2.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.ui.win.Canvas().Focus(code1)
}

func (s *tokensScreen) onRename(t api.Token) {
	name, nameErr := newEntry(), newFieldError()
	name.SetText(t.Description)
	name.SetPlaceHolder(lang.L("For example: Work phone"))
	body := container.NewVBox(
		methodSummary(t.Type, describeToken(t), t.Default),
		paragraph(lang.L("Give this sign-in method a name you will recognise.")),
		field(lang.L("Name"), name, nameErr),
	)
	d := newFormDialog(s.ui, s.ctx, lang.L("Rename sign-in method"), lang.L("Save"), body)
	d.fields["description"] = nameErr
	d.inputs = []fyne.Disableable{name}
	d.work = func(ctx context.Context) error {
		_, err := s.ui.session.RenameToken(ctx, t.ID, name.Text)
		return err
	}
	d.done = func() {
		d.close()
		s.load()
	}
	name.OnSubmitted = func(string) { d.onConfirm() }
	s.openDialog(d)
	s.ui.win.Canvas().Focus(name)
}

func (s *tokensScreen) onDelete(t api.Token) {
	body := paragraph(lang.L("“{{.Name}}” will be removed from your account and its codes will no longer work. This cannot be undone.", map[string]any{"Name": tokenName(t)}))
	switch t.Type {
	case api.TypeFIDO2:
		body.SetText(lang.L("“{{.Name}}” will be removed from your account and the key will no longer sign you in. This cannot be undone.", map[string]any{"Name": tokenName(t)}))
	case api.TypePush:
		body.SetText(lang.L("“{{.Name}}” will be removed from your account and the app on your phone will no longer sign you in. This cannot be undone.", map[string]any{"Name": tokenName(t)}))
	case api.TypeSMS, api.TypeEmail:
		body.SetText(lang.L("“{{.Name}}” will be removed from your account and no more codes will be sent to it. This cannot be undone.", map[string]any{"Name": tokenName(t)}))
	}
	d := newFormDialog(s.ui, s.ctx, lang.L("Delete “{{.Name}}”?", map[string]any{"Name": tokenName(t)}), lang.L("Delete"),
		s.ui.withApprovalNotice(body, api.OpTokenDelete, t.TemplateID))
	d.confirm.Importance = widget.DangerImportance
	s.runInDialog(d, lang.L("“{{.Name}}” is deleted.", map[string]any{"Name": tokenName(t)}),
		s.approvable(lang.L("Deleting “{{.Name}}” needs your confirmation.", map[string]any{"Name": tokenName(t)}),
			func(ctx context.Context) error {
				return s.ui.session.DeleteToken(ctx, t.ID)
			}))
	s.openDialog(d)
}
