package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// serverField is the server address on the sign-in screen. With an
// address already known (saved, or preset by IT) it is one quiet line,
// "Server: selfservice.example.com", with Change server beside it: most
// people never change it, so the username comes first. Without one, or
// once Change server is tapped, or when the address is what is wrong, it
// is the entry.
type serverField struct {
	entry   *entry
	err     fieldError
	summary *widget.Label
	change  *widget.Button
	editor  *fyne.Container // label, entry and error
	compact *fyne.Container // the summary line
	focus   func(fyne.Focusable)
	locked  bool // IT set the address (lock_server): never editable
}

func newServerField(address string, focus func(fyne.Focusable)) *serverField {
	f := &serverField{entry: newEntry(), err: newFieldError(), summary: widget.NewLabel(""), focus: focus}
	f.entry.SetPlaceHolder("https://selfservice.example.com")
	f.entry.SetText(address)
	f.summary.Truncation = fyne.TextTruncateEllipsis
	f.change = widget.NewButton(lang.L("Change server"), f.edit)
	f.change.Importance = widget.LowImportance
	f.editor = field(lang.L("Server address"), f.entry, f.err)
	f.compact = container.NewBorder(nil, nil, nil, f.change, f.summary)
	if address == "" {
		f.compact.Hide()
	} else {
		f.summary.SetText(lang.L("Server: {{.Host}}", map[string]any{"Host": serverHost(address)}))
		f.editor.Hide()
	}
	return f
}

func (f *serverField) content() fyne.CanvasObject {
	return container.New(layout.NewVBoxLayout(), f.compact, f.editor)
}

// text is the address as typed, trimmed.
func (f *serverField) text() string { return strings.TrimSpace(f.entry.Text) }

// editing reports whether the entry is shown.
func (f *serverField) editing() bool { return f.editor.Visible() }

// edit shows the entry in place of the summary line and focuses it.
func (f *serverField) edit() {
	f.compact.Hide()
	f.editor.Show()
	f.focus(f.entry)
}

// set shows msg under the entry (revealing it: the address is what the
// user must fix), or clears the error when msg is "".
func (f *serverField) set(msg string) {
	f.err.set(msg)
	if msg != "" && !f.editing() {
		f.edit()
	}
}

func (f *serverField) setEnabled(enabled bool) {
	setEnabled(f.entry, enabled && !f.locked)
	setEnabled(f.change, enabled)
}

// lock keeps the address IT set: no Change server, and an entry that is
// never editable (shown only to say what is wrong with the address).
func (f *serverField) lock() {
	f.locked = true
	f.change.Hide()
	f.entry.Disable()
}

// serverHost is what the summary line names: the host (and port) of the
// address, or the address itself when it does not parse.
func serverHost(address string) string {
	u, err := url.Parse(address)
	if err != nil || u.Host == "" {
		return address
	}
	return u.Host
}
