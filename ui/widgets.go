package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// widthLayout gives its objects at least a fixed width, so that cards
// with wrapped text keep a readable line length.
type widthLayout struct{ width float32 }

func (l widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(l.width, 0).Max(largestMinSize(objects))
}

// largestMinSize is the smallest size every visible one of objects fits.
func largestMinSize(objects []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	for _, o := range objects {
		if o.Visible() {
			size = size.Max(o.MinSize())
		}
	}
	return size
}

func (l widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// withWidth wraps objects so that they are at least width wide.
func withWidth(width float32, objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(widthLayout{width: width}, objects...)
}

// listArea lays out an area that lists the user's things: its title
// with its main button at the right, the explanation under them, then
// parts (messages, progress, the list), at least width wide, scrolling.
func listArea(width float32, title string, action *widget.Button, intro string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	top := container.NewBorder(nil, nil, nil, action, heading(title))
	box := container.NewVBox(top, paragraph(intro))
	box.Objects = append(box.Objects, parts...)
	return container.NewVScroll(container.NewPadded(withWidth(width, box)))
}

// heading is a screen or card title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// subheading is a section title.
func subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// paragraph is wrapped body text.
func paragraph(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// hint is wrapped secondary text in a small, muted style, such as an
// explanation under a title.
func hint(text string) *widget.RichText {
	return styledText(text, theme.ColorNamePlaceHolder, theme.SizeNameCaptionText)
}

// muted is wrapped secondary text in the body size.
func muted(text string) *widget.RichText {
	return styledText(text, theme.ColorNamePlaceHolder, theme.SizeNameText)
}

// styledText is wrapped text in one colour and size.
func styledText(text string, c fyne.ThemeColorName, size fyne.ThemeSizeName) *widget.RichText {
	t := widget.NewRichText(&widget.TextSegment{
		Text:  text,
		Style: widget.RichTextStyle{ColorName: c, SizeName: size, Inline: true},
	})
	t.Wrapping = fyne.TextWrapWord
	return t
}

// setStyledText changes the text made by styledText.
func setStyledText(t *widget.RichText, text string) {
	t.Segments[0].(*widget.TextSegment).Text = text
	t.Refresh()
}

// fieldError is the red text under a form field; hidden while empty.
type fieldError struct{ *widget.Label }

func newFieldError() fieldError {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	l.Hide()
	return fieldError{l}
}

// set shows msg, or hides the text when msg is "".
func (f fieldError) set(msg string) {
	f.SetText(msg)
	if msg == "" {
		f.Hide()
	} else {
		f.Show()
	}
}

// field stacks a label, an input and its error text.
func field(label string, input fyne.CanvasObject, err fieldError) *fyne.Container {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(l, input, err.Label)
}

// firstOf returns the first non-empty value of m under one of keys.
func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if m[k] != "" {
			return m[k]
		}
	}
	return ""
}

// setEnabled enables or disables a widget.
func setEnabled(w fyne.Disableable, enabled bool) {
	if enabled {
		w.Enable()
	} else {
		w.Disable()
	}
}
