package ui

import (
	"encoding/hex"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/hw"
	"selfservice/resources"
)

// keyOverview is the first tab of a key: what it is, what it can do, and
// its PIN.
type keyOverview struct {
	d *keyDetail

	title   *widget.Label
	subject *widget.RichText
	virtual *banner // says that the virtual key is not a real one
	facts   []keyFact
	grid    *fyne.Container

	pinStatus *widget.Label
	pinHint   *widget.RichText
	setPIN    *widget.Button
	changePIN *widget.Button
	dialog    *keyActionDialog // the open PIN dialog, if any
}

// keyFact is one line of what a key says about itself.
type keyFact struct {
	label, value string
}

func newKeyOverview(d *keyDetail) *keyOverview {
	o := &keyOverview{
		d:         d,
		title:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		subject:   muted(""),
		virtual:   newBanner(),
		grid:      container.NewGridWithColumns(2),
		pinStatus: widget.NewLabel(""),
		pinHint:   hint(""),
	}
	o.title.SizeName = theme.SizeNameSubHeadingText
	o.subject.Wrapping = fyne.TextWrapOff
	o.setPIN = widget.NewButtonWithIcon(lang.L("Set PIN"), theme.ContentAddIcon(), o.onSetPIN)
	o.setPIN.Importance = widget.HighImportance
	o.changePIN = widget.NewButtonWithIcon(lang.L("Change PIN"), theme.DocumentCreateIcon(), o.onChangePIN)
	return o
}

func (o *keyOverview) content() fyne.CanvasObject {
	icon := container.NewGridWrap(fyne.NewSquareSize(40), widget.NewIcon(resources.SecurityKeyIcon))
	header := container.NewBorder(nil, nil, container.NewCenter(icon), nil, container.NewVBox(o.title, o.subject))
	pin := widget.NewCard("", "", container.NewBorder(nil, nil,
		widget.NewLabelWithStyle(lang.L("PIN"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewCenter(container.NewHBox(o.setPIN, o.changePIN)),
		container.NewVBox(o.pinStatus, o.pinHint),
	))
	details := widget.NewCard("", "", container.NewVBox(subheading(lang.L("About this key")), o.grid))
	return container.NewVScroll(container.NewVBox(header, o.virtual, pin, details))
}

// refresh shows the key's info as read last.
func (o *keyOverview) refresh() {
	dev, info := o.d.dev, o.d.info
	o.title.SetText(deviceName(dev))
	setStyledText(o.subject, strings.Join(nonEmpty(dev.Manufacturer, transportName(dev.Transport)), " · "))
	if dev.Transport == hw.TransportVirtual {
		o.virtual.show(bannerInfo, lang.L("This is the virtual security key of the demo: it lives in a file on this computer and stands in for a real key. Do not use it to protect real accounts."), "", nil)
	} else {
		o.virtual.hide()
	}

	o.facts = keyFacts(dev, info)
	// Two columns: what the key is, then what it can do.
	what, can := container.New(layout.NewFormLayout()), container.New(layout.NewFormLayout())
	for i, f := range o.facts {
		column := what
		if i >= identityFacts {
			column = can
		}
		column.Add(widget.NewLabelWithStyle(f.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		value := widget.NewLabel(f.value)
		value.Wrapping = fyne.TextWrapWord
		column.Add(value)
	}
	o.grid.Objects = []fyne.CanvasObject{what, can}
	o.grid.Refresh()

	status, explanation := pinState(info)
	o.pinStatus.SetText(status)
	setStyledText(o.pinHint, explanation)
	o.setPIN.Hide()
	o.changePIN.Hide()
	switch {
	case !info.SupportsPIN():
	case !info.PINSet():
		o.setPIN.Show()
	default:
		o.changePIN.Show()
		setEnabled(o.changePIN, info.PINRetries != 0)
	}
}

// pinState says whether the key has a PIN and what that means.
func pinState(info hw.Info) (status, explanation string) {
	switch {
	case !info.SupportsPIN():
		return lang.L("This key has no PIN."), lang.L("It cannot have one: it only asks you to touch it.")
	case !info.PINSet():
		return lang.L("No PIN is set."), lang.L("Anyone who has the key can use it. Set a PIN to protect your passkeys; once set, only a reset removes it.")
	case info.PINRetries == 0:
		return lang.L("The PIN is blocked."), lang.L("Too many wrong PINs were entered. Only a reset makes the key usable again, and a reset deletes everything on it.")
	case info.PINRetries > 0:
		return lang.L("A PIN is set."), lang.N("{{.Count}} attempts are left before the key locks.", info.PINRetries, map[string]any{"Count": info.PINRetries})
	}
	return lang.L("A PIN is set."), ""
}

// identityFacts is how many of keyFacts say what the key is; the others
// say what it can do.
const identityFacts = 5

// keyFacts lists what a key says about itself, for people.
func keyFacts(dev hw.DeviceInfo, info hw.Info) []keyFact {
	yesNo := func(ok bool) string {
		if ok {
			return lang.L("Yes")
		}
		return lang.L("No")
	}
	facts := []keyFact{
		{lang.L("Product"), deviceName(dev)},
		{lang.L("Manufacturer"), orUnknown(dev.Manufacturer)},
		{lang.L("Connection"), orUnknown(transportName(dev.Transport))},
		{lang.L("FIDO versions"), orUnknown(strings.Join(versionNames(info.Versions), ", "))},
		{lang.L("Model (AAGUID)"), formatAAGUID(info.AAGUID)},
		{lang.L("Passkeys stored on the key"), yesNo(info.SupportsResidentKeys())},
		{lang.L("Passkey management"), yesNo(info.SupportsCredentialManagement())},
		{lang.L("Fingerprints"), fingerprintState(info)},
	}
	if info.SupportsPIN() && info.PINSet() && info.PINRetries >= 0 {
		facts = append(facts, keyFact{lang.L("PIN attempts left"), fmt.Sprint(info.PINRetries)})
	}
	return facts
}

// fingerprintState says whether the key can check fingerprints.
func fingerprintState(info hw.Info) string {
	switch {
	case !info.SupportsFingerprints():
		return lang.L("No sensor")
	case info.BuiltInUV():
		return lang.L("Enrolled: the key checks your fingerprint")
	}
	return lang.L("Sensor present, no fingerprint enrolled")
}

// transportName is how a key is connected, for people.
func transportName(transport string) string {
	switch transport {
	case hw.TransportUSB:
		return lang.L("USB")
	case hw.TransportNFC:
		return lang.L("NFC")
	case hw.TransportInternal:
		return lang.L("Built into this computer (Windows Hello)")
	case hw.TransportVirtual:
		return lang.L("Virtual key (demo)")
	}
	return transport
}

// versionNames names the protocol versions a key speaks.
func versionNames(versions []string) []string {
	names := map[string]string{
		"U2F_V2":       "U2F",
		"FIDO_2_0":     "FIDO 2.0",
		"FIDO_2_1_PRE": "FIDO 2.1 (preview)",
		"FIDO_2_1":     "FIDO 2.1",
		"FIDO_2_2":     "FIDO 2.2",
	}
	out := make([]string, 0, len(versions))
	for _, v := range versions {
		if n, ok := names[v]; ok {
			v = n
		}
		out = append(out, v)
	}
	return out
}

// formatAAGUID writes a key model's AAGUID as a UUID. A key that keeps
// its model private reports zeros.
func formatAAGUID(aaguid []byte) string {
	if len(aaguid) != 16 {
		if len(aaguid) == 0 {
			return lang.L("Not reported")
		}
		return hex.EncodeToString(aaguid)
	}
	if strings.Trim(hex.EncodeToString(aaguid), "0") == "" {
		return lang.L("Not reported")
	}
	h := hex.EncodeToString(aaguid)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func orUnknown(s string) string {
	if s == "" {
		return lang.L("Unknown")
	}
	return s
}

// nonEmpty returns the values that are not "".
func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
