package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
)

// sentCode is where the user types a code the server sent by SMS or
// email: it says where the code went and how long it works, and offers
// "Send again", disabled with a live countdown until the server allows
// another. The enrollment, the test and the change of address use it.
type sentCode struct {
	ui       *UI
	ctx      context.Context
	progress *busyBar
	send     func(ctx context.Context) (api.CodeDelivery, error) // asks for another code
	report   func(err error)                                     // shows a failure of Send again

	delivery api.CodeDelivery
	sentTo   *widget.Label
	code     *entry
	codeErr  fieldError
	expiry   *widget.RichText
	resend   *widget.Button
	sending  bool
	box      *fyne.Container
}

// newSentCode shows delivery; send asks for another code, report shows
// why that failed. It ticks every second until ctx ends.
func newSentCode(u *UI, ctx context.Context, progress *busyBar, delivery api.CodeDelivery,
	send func(ctx context.Context) (api.CodeDelivery, error), report func(err error)) *sentCode {
	c := &sentCode{
		ui:       u,
		ctx:      ctx,
		progress: progress,
		send:     send,
		report:   report,
		sentTo:   paragraph(""),
		code:     newCodeEntry(),
		codeErr:  newFieldError(),
		expiry:   hint(""),
	}
	c.resend = widget.NewButtonWithIcon(lang.L("Send again"), theme.MailSendIcon(), c.onResend)
	c.box = container.NewVBox(c.sentTo, field(lang.L("Code"), c.code, c.codeErr), container.NewBorder(nil, nil, nil, c.resend, c.expiry))
	if demo := u.demoMessageHint(ctx, delivery.Channel); demo != nil {
		c.box.Add(demo)
	}
	c.set(delivery)
	u.every(ctx, time.Second, c.tick)
	return c
}

func (c *sentCode) content() fyne.CanvasObject { return c.box }

// set shows a new delivery: the code before it no longer works.
func (c *sentCode) set(d api.CodeDelivery) {
	c.delivery = d
	text := lang.L("We sent a code to {{.To}}. Enter it here.", map[string]any{"To": d.SentTo})
	if d.Channel == api.ChannelEmail {
		text = lang.L("We sent a code to {{.To}}. Enter it here; if it is not in your inbox, look in the spam folder.", map[string]any{"To": d.SentTo})
	}
	c.sentTo.SetText(text)
	c.codeErr.set("")
	c.tick()
}

// tick updates the countdowns of Send again and of the code's expiry.
func (c *sentCode) tick() {
	now := c.ui.now()
	if wait := c.delivery.ResendAt.Sub(now); wait > 0 {
		c.resend.SetText(lang.L("Send again in {{.Seconds}} s", map[string]any{"Seconds": int((wait + time.Second - 1) / time.Second)}))
		c.resend.Disable()
	} else {
		c.resend.SetText(lang.L("Send again"))
		setEnabled(c.resend, !c.sending)
	}
	if left := c.delivery.ExpiresAt.Sub(now); left > 0 {
		setStyledText(c.expiry, lang.L("The code works for {{.Left}} more.", map[string]any{"Left": clockDuration(left)}))
	} else {
		setStyledText(c.expiry, lang.L("The code has expired. Send a new one."))
	}
}

// clockDuration shows d as minutes and seconds: "4:05".
func clockDuration(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func (c *sentCode) onResend() {
	if c.resend.Disabled() {
		return
	}
	c.sending = true
	c.resend.Disable()
	var d api.CodeDelivery
	c.ui.run(c.ctx, c.progress, func(ctx context.Context) error {
		var err error
		d, err = c.send(ctx)
		return err
	}, func(err error) {
		c.sending = false
		var apiErr *api.Error
		switch {
		case err == nil:
			c.code.SetText("")
			c.set(d)
			c.ui.win.Canvas().Focus(c.code)
		case errors.As(err, &apiErr) && apiErr.Code == api.CodeResendTooSoon && apiErr.RetryAfter > 0:
			// The server's clock decides: count down from what it says.
			c.delivery.ResendAt = c.ui.now().Add(apiErr.RetryAfter)
			c.tick()
		default:
			c.tick()
			c.report(err)
		}
	})
}

// showError puts a failed check of the code next to the code when it is
// about the code, and reports whether it did.
func (c *sentCode) showError(err error) bool {
	switch {
	case errors.Is(err, api.ErrOTPInvalid):
		c.codeErr.set(lang.L("That code is not correct. Enter the code from the newest message we sent you."))
	case errors.Is(err, api.ErrCodeExpired):
		c.codeErr.set(errorMessage(err))
	case fieldErrors(err)["otp"] != "":
		c.codeErr.set(fieldErrors(err)["otp"])
	default:
		return false
	}
	return true
}

// setBusy disables the entry while the code is checked.
func (c *sentCode) setBusy(busy bool) {
	setEnabled(c.code, !busy)
}
