package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// addressPicker is where the codes of an SMS or email token go, in the
// first step of its enrollment and in Change address. When the template
// takes only the user's confirmed contact values it offers those, each
// with its field's label, the preferred one chosen; with none to offer
// it says what to add under Contact details, with a button that goes
// there. Otherwise it is a field for any address, which offers the
// confirmed ones.
type addressPicker struct {
	channel string
	label   string // of the field or the choice
	moving  bool   // Change address: the token's own address is not offered
	// openContacts goes to Contact details; nil without that area.
	openContacts func()

	place   *fyne.Container // what is shown: looking up, the choice, or the field
	entry   *widget.SelectEntry
	choice  *widget.RadioGroup // the confirmed values; nil unless the template takes only those
	options []app.AddressOption
	contact *widget.Button // to Contact details; nil unless shown
	err     fieldError
	loaded  bool
	empty   bool // the template takes only confirmed values, and there are none
}

// newAddressPicker makes a picker for channel, looking up until set is
// called; label names the field or the choice.
func newAddressPicker(channel, label string) *addressPicker {
	p := &addressPicker{
		channel: channel,
		label:   label,
		entry:   widget.NewSelectEntry(nil),
		err:     newFieldError(),
	}
	p.entry.SetPlaceHolder("+49 151 12345678")
	if channel == api.ChannelEmail {
		p.entry.SetPlaceHolder("name@example.com")
	}
	p.entry.OnChanged = func(string) { p.err.set("") }
	p.place = container.NewVBox(field(label, muted(lang.L("Looking up your contact details…")), p.err))
	return p
}

func (p *addressPicker) content() fyne.CanvasObject { return p.place }

// set shows what choice offers.
func (p *addressPicker) set(choice app.AddressChoice) {
	p.loaded, p.choice, p.contact, p.options = true, nil, nil, choice.Options
	p.empty = choice.Limited && !choice.Unread && len(choice.Options) == 0
	var objects []fyne.CanvasObject
	switch {
	case p.empty:
		objects = []fyne.CanvasObject{
			widget.NewLabelWithStyle(p.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			styledText(p.noneText(choice.Fields), theme.ColorNameWarning, theme.SizeNameText),
		}
		if p.openContacts != nil {
			p.contact = widget.NewButtonWithIcon(lang.L("Go to Contact details"), theme.MailComposeIcon(), p.openContacts)
			p.contact.Importance = widget.HighImportance
			objects = append(objects, container.NewHBox(p.contact))
		}
	case choice.Limited && !choice.Unread:
		labels := make([]string, len(choice.Options))
		for i, o := range choice.Options {
			labels[i] = o.Label + " · " + o.Value
		}
		p.choice = widget.NewRadioGroup(labels, func(string) { p.err.set("") })
		p.choice.Required = true
		p.choice.SetSelected(labels[0])
		objects = []fyne.CanvasObject{
			field(p.label, p.choice, p.err),
			hint(p.limitText()),
		}
		if p.openContacts != nil {
			p.contact = widget.NewButtonWithIcon(lang.L("Open Contact details"), theme.MailComposeIcon(), p.openContacts)
			p.contact.Importance = widget.LowImportance
			objects = append(objects, container.NewHBox(p.contact))
		}
	default:
		values := make([]string, len(choice.Options))
		for i, o := range choice.Options {
			values[i] = o.Value
		}
		p.entry.SetOptions(values)
		help := lang.L("In international form: a + and the country code, then the number. The codes come by text message to this phone.")
		if p.channel == api.ChannelEmail {
			help = lang.L("The codes come to this address. Choose one you can read when you sign in.")
		}
		if choice.Limited {
			help = lang.L("Your organisation sends these codes only to contact details you have confirmed: enter one of those.")
		} else if len(values) > 0 {
			help += " " + lang.L("The list offers the contact details you have confirmed.")
		}
		objects = []fyne.CanvasObject{field(p.label, p.entry, p.err), hint(help)}
	}
	p.place.Objects = objects
	p.place.Refresh()
}

// noneText says that there is no confirmed value to choose from, and
// what to add.
func (p *addressPicker) noneText(fields []string) string {
	names := strings.Join(fields, ", ")
	if p.moving {
		return lang.L("Your organisation sends these codes only to confirmed contact details ({{.Fields}}), and you have no other one confirmed. Add one under Contact details and confirm it with the code sent to it, then move the codes there.", map[string]any{"Fields": names})
	}
	return lang.L("Your organisation sends these codes only to confirmed contact details ({{.Fields}}), and you have none confirmed yet. Add one under Contact details and confirm it with the code sent to it, then add this sign-in method.", map[string]any{"Fields": names})
}

// limitText explains why only these values are offered.
func (p *addressPicker) limitText() string {
	if p.channel == api.ChannelEmail {
		return lang.L("Your organisation sends these codes only to email addresses you have confirmed. To use another one, add it under Contact details and confirm it there.")
	}
	return lang.L("Your organisation sends these codes only to phone numbers you have confirmed. To use another one, add it under Contact details and confirm it there.")
}

// ready reports whether there is an address to send to.
func (p *addressPicker) ready() bool { return p.loaded && !p.empty }

// address is the value chosen or typed.
func (p *addressPicker) address() string {
	if p.choice == nil {
		return p.entry.Text
	}
	for i, o := range p.options {
		if p.choice.Options[i] == p.choice.Selected {
			return o.Value
		}
	}
	return ""
}

// inputs are what is disabled while a call runs.
func (p *addressPicker) inputs() []fyne.Disableable {
	if p.choice != nil {
		return []fyne.Disableable{p.choice}
	}
	return []fyne.Disableable{p.entry}
}

func (p *addressPicker) setEnabled(enabled bool) {
	for _, in := range p.inputs() {
		setEnabled(in, enabled)
	}
}

// focus puts the keyboard in the free field, when it is shown.
func (p *addressPicker) focus(c fyne.Canvas) {
	if p.loaded && p.choice == nil && !p.empty {
		c.Focus(p.entry)
	}
}
