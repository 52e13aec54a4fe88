package ui

import (
	"context"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/resources"
)

// documentsScreen is the Documents area: the user's documents with their
// type, name, size and date; Upload… (a type and a file chosen in the
// system's file dialog), Download… (to a place chosen in the system's
// save dialog) and Delete, each with its progress and its errors.
type documentsScreen struct {
	ui     *UI
	ctx    context.Context
	cancel context.CancelFunc
	picker filePicker

	upload   *widget.Button
	list     *fyne.Container // a card per document
	rows     []*documentRow
	progress *busyBar
	message  *banner
	loads    loadState // of what the area shows
	transfer *transferBar
	data     api.DocumentsResponse
	loaded   bool
	uploader *uploadDialog // while open
}

// documentRow is one document's card, kept for its buttons.
type documentRow struct {
	doc      api.Document
	download *widget.Button
	delete   *widget.Button
}

func newDocumentsScreen(u *UI) *documentsScreen {
	s := &documentsScreen{
		ui:       u,
		ctx:      context.Background(),
		cancel:   func() {},
		picker:   nativePicker{ui: u},
		list:     container.NewVBox(),
		progress: newBusyBar(),
		message:  newBanner(),
		transfer: newTransferBar(),
	}
	s.upload = widget.NewButtonWithIcon(lang.L("Upload…"), theme.UploadIcon(), s.onUpload)
	s.upload.Importance = widget.HighImportance
	s.upload.Disable() // until the types are known
	if !u.session.Can(api.PrivDocumentsUpdate) {
		s.upload.Hide()
	}
	return s
}

func (s *documentsScreen) content() fyne.CanvasObject {
	return listArea(640, lang.L("Documents"), s.upload,
		lang.L("Documents your organisation asks you to keep here, such as a copy of your identity card. Only you can see them."),
		s.message, s.progress, s.transfer, s.list)
}

func (s *documentsScreen) open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.load()
}

func (s *documentsScreen) close() { s.cancel() }

// load asks for the documents; a failure keeps the list shown.
func (s *documentsScreen) load() {
	loadWithRetry(s.ui, s.ctx, s.progress, s.message, &s.loads, s.load, s.ui.session.Documents, func(out api.DocumentsResponse) {
		s.loaded = true
		s.show(out)
	})
}

func (s *documentsScreen) show(out api.DocumentsResponse) {
	s.data = out
	setEnabled(s.upload, len(out.Types) > 0)
	s.rows = nil
	s.list.Objects = nil
	for _, d := range out.Documents {
		s.list.Add(s.card(d))
	}
	switch {
	case len(out.Documents) > 0:
	case len(out.Types) == 0:
		s.list.Add(paragraph(lang.L("Your organisation has not set up any types of document yet, so there is nothing to upload.")))
	default:
		s.list.Add(paragraph(lang.L("You have no documents here yet. Use Upload… to add one.")))
	}
	s.list.Refresh()
}

// card is one document: its name, type, size and date, and its actions.
func (s *documentsScreen) card(d api.Document) fyne.CanvasObject {
	row := &documentRow{doc: d}
	row.download = widget.NewButtonWithIcon(lang.L("Download…"), theme.DownloadIcon(), func() { s.onDownload(row) })
	row.delete = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() { s.confirmDelete(row) })
	if !s.ui.session.Can(api.PrivDocumentsUpdate) {
		row.delete.Hide()
	}
	s.rows = append(s.rows, row)
	name := widget.NewLabelWithStyle(d.FileName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	details := widget.NewLabel(lang.L("{{.Type}} · {{.Size}} · added {{.When}}", map[string]any{
		"Type": d.TypeName, "Size": formatSize(d.Size), "When": s.ui.dates.when(d.CreatedAt, s.ui.now()),
	}))
	details.SizeName = theme.SizeNameCaptionText
	actions := container.NewHBox(row.download, row.delete)
	return widget.NewCard("", "", container.NewBorder(nil, nil, widget.NewIcon(documentIcon(d.ContentType)), container.NewCenter(actions),
		container.NewVBox(name, details)))
}

// documentIcon shows what kind of file a document is.
func documentIcon(contentType string) fyne.Resource {
	switch {
	case strings.HasPrefix(contentType, "image/"):
		return theme.FileImageIcon()
	case strings.HasPrefix(contentType, "video/"):
		return theme.FileVideoIcon()
	case strings.HasPrefix(contentType, "text/"):
		return theme.FileTextIcon()
	}
	return theme.FileIcon()
}

// setBusy disables what would start another transfer or change the list.
func (s *documentsScreen) setBusy(busy bool) {
	setEnabled(s.upload, !busy && len(s.data.Types) > 0)
	for _, r := range s.rows {
		setEnabled(r.download, !busy)
		setEnabled(r.delete, !busy)
	}
}

func (s *documentsScreen) onDownload(row *documentRow) {
	s.picker.pickSave(lang.L("Save the document"), row.doc.FileName, func(path string) {
		if path != "" {
			s.download(row, path)
		}
	})
}

// download saves the document at path, showing its progress, with a
// retry when it fails.
func (s *documentsScreen) download(row *documentRow, path string) {
	s.message.hide()
	s.setBusy(true)
	ctx, cancel := context.WithCancel(s.ctx)
	s.transfer.start(lang.L("Downloading {{.Name}}…", map[string]any{"Name": row.doc.FileName}), cancel)
	s.ui.run(ctx, nil, func(ctx context.Context) error {
		return s.ui.session.DownloadDocument(ctx, row.doc.ID, path, s.transfer.progress(s.ui.do))
	}, func(err error) {
		defer cancel()
		s.transfer.stop()
		s.setBusy(false)
		if err != nil {
			s.message.show(bannerError, documentErrorMessage(err), lang.L("Try again"), func() { s.download(row, path) })
			return
		}
		s.message.show(bannerSuccess, lang.L("Saved as {{.Path}}.", map[string]any{"Path": path}), "", nil)
	})
	// A cancelled download ends silently (run does not call back): show
	// the list again.
	context.AfterFunc(ctx, func() {
		if s.ctx.Err() == nil {
			s.ui.do(func() { s.transfer.stop(); s.setBusy(false) })
		}
	})
}

// confirmDelete asks before deleting, naming the file.
func (s *documentsScreen) confirmDelete(row *documentRow) {
	s.message.show(bannerWarning,
		lang.L("Delete {{.Name}}? It cannot be brought back; to keep it here again you would upload it again.", map[string]any{"Name": row.doc.FileName}),
		lang.L("Delete document"), func() { s.delete(row) })
}

func (s *documentsScreen) delete(row *documentRow) {
	s.message.hide()
	s.setBusy(true)
	s.ui.run(s.ctx, s.progress, func(ctx context.Context) error {
		return s.ui.session.DeleteDocument(ctx, row.doc.ID)
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.message.show(bannerError, documentErrorMessage(err), lang.L("Try again"), func() { s.delete(row) })
			return
		}
		s.message.show(bannerSuccess, lang.L("{{.Name}} is deleted.", map[string]any{"Name": row.doc.FileName}), "", nil)
		s.load()
	})
}

func (s *documentsScreen) onUpload() {
	s.message.hide()
	s.uploader = newUploadDialog(s)
	s.uploader.show()
}

// documentErrorMessage is errorMessage with the server's own words for
// what concerns the file: they say what it is and what to do.
func documentErrorMessage(err error) string {
	if msg := fieldErrors(err)["file"]; msg != "" {
		return msg
	}
	return errorMessage(err)
}

// formatSize says how large a file is, its number written the way the
// user's language writes numbers: "850 bytes", "12 KB", "3.4 MB" ("3,4 MB"
// in German).
func formatSize(n int64) string {
	switch {
	case n < 1000:
		return lang.N("{{.Count}} bytes", int(n), map[string]any{"Count": n})
	case n < 1000*1000:
		return resources.Number(float64(n)/1000, 0) + " KB"
	case n < 10*1000*1000:
		return resources.Number(float64(n)/1e6, 1) + " MB"
	}
	return resources.Number(float64(n)/1e6, 0) + " MB"
}

// uploadDialog asks for a type and a file, and uploads it.
type uploadDialog struct {
	*formDialog
	screen   *documentsScreen
	types    *widget.Select
	choose   *widget.Button
	file     *widget.Label
	path     string
	transfer *transferBar
}

func newUploadDialog(s *documentsScreen) *uploadDialog {
	d := &uploadDialog{screen: s, file: widget.NewLabel(lang.L("No file chosen")), transfer: newTransferBar()}
	names := make([]string, len(s.data.Types))
	for i, t := range s.data.Types {
		names[i] = t.Name
	}
	d.types = widget.NewSelect(names, nil)
	d.types.PlaceHolder = lang.L("Choose the type of document")
	d.choose = widget.NewButtonWithIcon(lang.L("Choose file…"), theme.FolderOpenIcon(), d.onChoose)
	d.file.Truncation = fyne.TextTruncateEllipsis
	typeErr, fileErr := newFieldError(), newFieldError()
	limits := hint(lang.L("At most {{.Size}}. Formats: {{.Formats}}", map[string]any{
		"Size": formatSize(s.data.MaxSizeBytes), "Formats": formatNames(),
	}))
	body := container.NewVBox(
		field(lang.L("Type"), d.types, typeErr),
		field(lang.L("File"), container.NewBorder(nil, nil, nil, d.choose, d.file), fileErr),
		limits,
		d.transfer,
	)
	d.formDialog = newFormDialog(s.ui, s.ctx, lang.L("Upload a document"), lang.L("Upload"), body)
	d.fields = map[string]fieldError{"type": typeErr, "file": fileErr}
	d.inputs = []fyne.Disableable{d.types, d.choose}
	d.work = d.send
	d.done = func() {
		d.close()
		s.message.show(bannerSuccess, lang.L("{{.Name}} is uploaded.", map[string]any{"Name": filepath.Base(d.path)}), "", nil)
		s.load()
	}
	return d
}

func (d *uploadDialog) onChoose() {
	d.screen.picker.pickOpen(lang.L("Choose a document"), api.DocumentExtensions(), func(path string) {
		if path == "" {
			return
		}
		d.path = path
		d.file.SetText(filepath.Base(path))
		d.fields["file"].set("")
	})
}

// send uploads the chosen file (off the UI thread), showing its progress.
func (d *uploadDialog) send(ctx context.Context) error {
	typeID := ""
	if i := d.types.SelectedIndex(); i >= 0 {
		typeID = d.screen.data.Types[i].ID
	}
	path := d.path
	if path == "" {
		return api.FieldError(map[string]string{"file": lang.L("Choose a file.")})
	}
	d.ui.do(func() {
		d.transfer.start(lang.L("Uploading {{.Name}}…", map[string]any{"Name": filepath.Base(path)}), nil)
	})
	defer d.ui.do(d.transfer.stop)
	_, err := d.ui.session.UploadDocument(ctx, typeID, path, d.screen.data.MaxSizeBytes, d.transfer.progress(d.ui.do))
	return err
}

// formatNames lists the allowed formats by extension: "PDF, DOCX, …".
func formatNames() string {
	var names []string
	for _, ext := range api.DocumentExtensions() {
		names = append(names, strings.ToUpper(ext[1:]))
	}
	return strings.Join(names, ", ")
}
