package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selfservice/resources"
	"selfservice/server/docsample"
)

// fakePicker stands in for the system's file dialogs, which cannot run
// in tests: it "chooses" the paths it is given at once.
type fakePicker struct {
	open, save string // "" is a cancelled dialog
	saveName   string // the name the save dialog was offered
	extensions []string
}

func (p *fakePicker) pickOpen(_ string, extensions []string, chosen func(string)) {
	p.extensions = extensions
	chosen(p.open)
}

func (p *fakePicker) pickSave(_, name string, chosen func(string)) {
	p.saveName = name
	chosen(p.save)
}

// documentsArea signs the demo employee in and shows the Documents area
// with its list loaded.
func documentsArea(t *testing.T) (*fixture, *documentsScreen, *fakePicker) {
	t.Helper()
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.documents
	if s == nil {
		t.Fatal("no Documents area for the demo employee")
	}
	picker := &fakePicker{}
	s.picker = picker
	f.showArea(m, "Documents")
	f.waitFor("the documents", func() bool { return s.loaded })
	return f, s, picker
}

func tempFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDocumentsListTheDemoDocuments(t *testing.T) {
	_, s, _ := documentsArea(t)
	if len(s.rows) != 2 {
		t.Fatalf("%d documents listed, want the demo's 2", len(s.rows))
	}
	text := labelsText(s.list)
	for _, want := range []string{"Employment contract 2024.pdf", "Employment contract", "Identity card.png", "Identity card", "bytes", "added"} {
		if !strings.Contains(text, want) {
			t.Errorf("the list %q does not show %q", text, want)
		}
	}
}

func TestUploadADocumentAfterARefusal(t *testing.T) {
	f, s, picker := documentsArea(t)
	test.Tap(s.upload)
	d := s.uploader

	// No type chosen: said next to the type.
	picker.open = tempFile(t, "passport.pdf", docsample.PNG())
	test.Tap(d.choose)
	test.Tap(d.confirm)
	f.waitFor("the type error", func() bool { return d.fields["type"].Visible() })

	// A PNG named .pdf: the server's refusal next to the file, the type kept.
	d.types.SetSelected("Passport")
	test.Tap(d.confirm)
	f.waitFor("the file error", func() bool { return d.fields["file"].Visible() && !d.confirm.Disabled() })
	if msg := d.fields["file"].Text; !strings.Contains(msg, "PNG image") {
		t.Errorf("file error %q does not say the file is a PNG image", msg)
	}
	if d.types.Selected != "Passport" {
		t.Errorf("the type became %q after the refusal", d.types.Selected)
	}
	if !slices.Contains(picker.extensions, ".pdf") || !slices.Contains(picker.extensions, ".docx") {
		t.Errorf("the file dialog offered %v", picker.extensions)
	}

	// The right file goes up, and the list shows it.
	picker.open = tempFile(t, "passport.png", docsample.PNG())
	test.Tap(d.choose)
	if d.file.Text != "passport.png" || d.fields["file"].Visible() {
		t.Errorf("after choosing again: %q, error shown %v", d.file.Text, d.fields["file"].Visible())
	}
	test.Tap(d.confirm)
	f.waitFor("the new document", func() bool { return len(s.rows) == 3 })
	if s.rows[0].doc.FileName != "passport.png" || s.rows[0].doc.TypeName != "Passport" {
		t.Errorf("newest document %+v", s.rows[0].doc)
	}
	if !strings.Contains(s.message.message(), "passport.png") {
		t.Errorf("message %q", s.message.message())
	}
}

func TestDownloadAndDeleteADocument(t *testing.T) {
	f, s, picker := documentsArea(t)
	row := s.rows[len(s.rows)-1] // the contract, the older one
	target := filepath.Join(t.TempDir(), "contract.pdf")

	// A cancelled save dialog does nothing.
	test.Tap(row.download)
	if s.transfer.Visible() || s.message.message() != "" {
		t.Error("a cancelled save dialog started a download")
	}

	picker.save = target
	test.Tap(row.download)
	f.waitFor("the download", func() bool { return strings.Contains(s.message.message(), "Saved as") })
	if picker.saveName != row.doc.FileName {
		t.Errorf("the save dialog offered %q", picker.saveName)
	}
	if got, err := os.ReadFile(target); err != nil || !bytes.HasPrefix(got, []byte("%PDF-")) || int64(len(got)) != row.doc.Size {
		t.Errorf("saved %d bytes (%v); want the %d of the PDF", len(got), err, row.doc.Size)
	}
	if s.transfer.Visible() || row.download.Disabled() {
		t.Error("the download's progress is still shown")
	}

	// Delete asks first, naming the file.
	test.Tap(row.delete)
	if msg := s.message.message(); !strings.Contains(msg, row.doc.FileName) || !s.message.action.Visible() {
		t.Fatalf("no confirmation naming the file: %q", msg)
	}
	test.Tap(s.message.action)
	f.waitFor("the deletion", func() bool { return len(s.rows) == 1 })
	if s.rows[0].doc.ID == row.doc.ID {
		t.Error("the deleted document is still listed")
	}

	// A download that fails says so, with a retry.
	picker.save = filepath.Join(t.TempDir(), "missing folder", "x.pdf")
	test.Tap(s.rows[0].download)
	f.waitFor("the failure", func() bool { return s.message.message() != "" && !s.rows[0].download.Disabled() })
	if !strings.Contains(s.message.message(), "cannot be saved") || s.message.action.Text != "Try again" {
		t.Errorf("failure %q with action %q", s.message.message(), s.message.action.Text)
	}
}

func TestHelpdeskHasNoDocumentsArea(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	if m.documents != nil || m.areaIndex("Documents") >= 0 {
		t.Error("helpdesk staff see the Documents area")
	}
}

func TestFormatSize(t *testing.T) {
	if err := resources.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n    int64
		want string
	}{{1, "1 byte"}, {850, "850 bytes"}, {12_300, "12 KB"}, {3_400_000, "3.4 MB"}, {40_000_000, "40 MB"}} {
		if got := formatSize(c.n); got != c.want {
			t.Errorf("formatSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	// In German, the sizes are written as German writes numbers.
	resources.UseLanguage("de")
	t.Cleanup(func() { resources.UseLanguage("en") })
	for _, c := range []struct {
		n    int64
		want string
	}{{1, "1 Byte"}, {850, "850 Byte"}, {3_400_000, "3,4 MB"}, {2_500_000_000, "2.500 MB"}} {
		if got := formatSize(c.n); got != c.want {
			t.Errorf("German formatSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// labelsText joins the text of the labels in o.
func labelsText(o fyne.CanvasObject) string {
	var texts []string
	for _, c := range test.LaidOutObjects(o) {
		if l, ok := c.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	return strings.Join(texts, " | ")
}
