package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
)

// fingerprintEnrollment is the dialog that adds a fingerprint: the user
// lays a finger on the sensor again and again while it tells how each
// sample went, until the key has enough.
type fingerprintEnrollment struct {
	dlg     *keyActionDialog
	name    *entry
	samples *widget.ProgressBar
	taken   int
	added   hw.Fingerprint
}

// onAdd opens the enrollment of a new fingerprint.
func (t *fingerprintsTab) onAdd() {
	d := t.d
	t.notice.hide()
	e := &fingerprintEnrollment{name: newEntry(), samples: widget.NewProgressBar()}
	e.name.SetPlaceHolder(lang.L("For example: Right index finger"))
	nameErr := newFieldError()
	e.samples.Hide()
	body := container.NewVBox(
		paragraph(lang.L("Give the fingerprint a name, then start. When asked, lay your finger flat on the key's sensor, lift it, and lay it down again, until the key has enough samples.")),
		field(lang.L("Name (optional)"), e.name, nameErr),
		e.samples,
	)
	dlg := newKeyActionDialog(d.ui, d.ctx, lang.L("Add fingerprint"), lang.L("Start"), body)
	e.dlg = dlg
	dlg.inputs = []fyne.Disableable{e.name}
	dlg.check = func() bool {
		msg := checkFingerprintName(e.name.Text, false)
		nameErr.set(msg)
		if msg == "" {
			e.taken = 0
			e.samples.SetValue(0)
			e.samples.Show()
		}
		return msg == ""
	}
	auth, pin := d.auth, d.pin
	dlg.work = func(ctx context.Context, events func(hw.Event)) error {
		var err error
		e.added, err = auth.EnrollFingerprint(ctx, pin, e.name.Text, events)
		return err
	}
	dlg.event = e.onEvent
	dlg.failed = func(err error) bool {
		e.samples.Hide()
		return t.pinDialogFailed(dlg, err)
	}
	dlg.done = func() {
		e.samples.SetValue(1)
		dlg.finish(bannerSuccess, lang.L("“{{.Name}}” is enrolled. The key can now check this finger instead of asking for the PIN.", map[string]any{"Name": fingerprintName(e.added)}))
		t.loaded = false
		d.loadInfo()
	}
	e.name.OnSubmitted = func(string) { dlg.onConfirm() }
	t.dialog = dlg
	t.enroll = e
	dlg.show()
	d.ui.win.Canvas().Focus(e.name)
}

// onEvent says what to do next and moves the progress bar.
func (e *fingerprintEnrollment) onEvent(ev hw.Event) string {
	switch ev.Kind {
	case hw.TouchKey:
		if e.taken == 0 {
			return lang.L("Lay your finger flat on the key's sensor.")
		}
		return ""
	case hw.FingerprintSample:
		if ev.Sample == hw.SampleGood {
			e.taken++
		}
		if total := e.taken + ev.SamplesRemaining; total > 0 {
			e.samples.SetValue(float64(e.taken) / float64(total))
		}
		return sampleText(ev)
	}
	return ""
}

// sampleText says how a fingerprint sample went and what comes next.
func sampleText(ev hw.Event) string {
	if ev.SamplesRemaining == 0 && ev.Sample == hw.SampleGood {
		return lang.L("That was the last sample. Saving the fingerprint…")
	}
	next := lang.N("Lift your finger and lay it down again: {{.Count}} more samples needed.", ev.SamplesRemaining, map[string]any{"Count": ev.SamplesRemaining})
	var advice string
	switch ev.Sample {
	case hw.SampleGood:
		return lang.L("Good.") + " " + next
	case hw.SampleTooHigh, hw.SampleTooLow, hw.SampleTooLeft, hw.SampleTooRight, hw.SampleTooSkewed:
		advice = lang.L("Your finger was not centred on the sensor.")
	case hw.SampleTooFast:
		advice = lang.L("Your finger moved too fast. Hold it still a moment longer.")
	case hw.SampleTooSlow, hw.SampleTooShort:
		advice = lang.L("The sensor did not get a clear sample. Press a little longer.")
	case hw.SampleExists:
		advice = lang.L("This finger is already enrolled. Use another finger.")
	case hw.SampleNoUserActive, hw.SampleNoUpTransient:
		advice = lang.L("The sensor did not feel a finger. Lift your finger completely, then lay it down.")
	default:
		advice = lang.L("That sample was not usable.")
	}
	return advice + " " + next
}
