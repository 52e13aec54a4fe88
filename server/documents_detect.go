package server

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gabriel-vasile/mimetype"
	"github.com/richardlehane/mscfb"

	"selfservice/api"
)

// What a document's content is, found from the content itself (never
// from its name or the Content-Type the client sent): mimetype reads the
// first bytes, which settle most formats. Office files are containers
// whose kind only their directory tells, and that may lie anywhere in
// the file: a ZIP archive's (DOCX, XLSX) is at its end, read with
// archive/zip; an OLE compound file's (DOC) is wherever its header
// points, read with mscfb. Both read through content's ReaderAt, so the
// file is never held whole in memory.

// detectHead is how many first bytes mimetype looks at (its own limit).
const detectHead = 3072

// Content types of the kinds told apart by their container's directory.
const (
	mimeZip  = "application/zip"
	mimeOLE  = "application/x-ole-storage"
	mimeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimePptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	mimeDoc  = "application/msword"
	mimeXls  = "application/vnd.ms-excel"
	mimePpt  = "application/vnd.ms-powerpoint"
)

// errDamaged is a container whose directory cannot be read.
var errDamaged = errors.New("damaged container")

// detectContent returns the content type of c, of size bytes, and its
// first bytes.
func detectContent(c io.ReaderAt, size int64) (*mimetype.MIME, []byte, error) {
	head := make([]byte, min(size, detectHead))
	if _, err := c.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	m := mimetype.Detect(head)
	var err error
	switch {
	case inFamily(m, mimeZip):
		m, err = zipKind(c, size, m)
	case inFamily(m, mimeOLE):
		m, err = oleKind(c, m)
	}
	return m, head, err
}

// inFamily reports whether m is the type want or one of its kinds (in
// mimetype's tree: an XML file is also text).
func inFamily(m *mimetype.MIME, want string) bool {
	for ; m != nil; m = m.Parent() {
		if m.Is(want) {
			return true
		}
	}
	return false
}

// zipKind tells an Office Open XML document (its [Content_Types].xml
// and word/, xl/ or ppt/ parts, wherever they are in the archive) from
// another ZIP archive, which head, the type of the first bytes, names.
func zipKind(c io.ReaderAt, size int64, head *mimetype.MIME) (*mimetype.MIME, error) {
	zr, err := zip.NewReader(c, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDamaged, err)
	}
	var hasTypes bool
	kind := ""
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			hasTypes = true
		case kind != "":
		case strings.HasPrefix(f.Name, "word/"):
			kind = mimeDocx
		case strings.HasPrefix(f.Name, "xl/"):
			kind = mimeXlsx
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = mimePptx
		}
	}
	switch {
	case hasTypes && kind != "":
		return mimetype.Lookup(kind), nil
	case head.Is(mimeDocx) || head.Is(mimeXlsx) || head.Is(mimePptx):
		return mimetype.Lookup(mimeZip), nil // it starts like one, but is not
	}
	return head, nil
}

// oleKind tells a Word 97-2003 document (a WordDocument stream at the
// top of the compound file) from other OLE files, which head names.
func oleKind(c io.ReaderAt, head *mimetype.MIME) (*mimetype.MIME, error) {
	r, err := mscfb.New(c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDamaged, err)
	}
	for _, f := range r.File {
		if len(f.Path) != 0 {
			continue
		}
		switch f.Name {
		case "WordDocument":
			return mimetype.Lookup(mimeDoc), nil
		case "Workbook", "Book":
			return mimetype.Lookup(mimeXls), nil
		case "PowerPoint Document":
			return mimetype.Lookup(mimePpt), nil
		}
	}
	if head.Is(mimeDoc) {
		return mimetype.Lookup(mimeOLE), nil
	}
	return head, nil
}

// acceptContent checks that detected, the content of the file called
// fileName, is the format the name's extension says, and returns the
// content type to serve it as. Its error is the message for the user.
func acceptContent(detected *mimetype.MIME, head []byte, fileName string) (string, error) {
	want, ok := api.FormatOf(fileName)
	if !ok {
		return "", errors.New("files of this kind cannot be stored")
	}
	if formatMatches(want, detected, head) {
		if inFamily(detected, "text/plain") {
			// Text keeps the character set found.
			if _, params, ok := strings.Cut(detected.String(), ";"); ok {
				return want.ContentType + ";" + params, nil
			}
		}
		return want.ContentType, nil
	}
	ext := strings.ToLower(path.Ext(fileName))
	if f, ok := formatOfContent(detected); ok {
		return "", fmt.Errorf("This file is %s, not %s as its extension %s says. Choose the right file, or give it the extension .%s.",
			article(f.Name), article(want.Name), ext, f.Extensions[0])
	}
	return "", fmt.Errorf("This file is %s, not %s as its extension %s says. Such files cannot be stored: choose a file of one of these kinds: %s.",
		describeContent(detected), article(want.Name), ext, strings.Join(api.DocumentExtensions(), " "))
}

// formatMatches reports whether content of type detected is of format f.
// Text formats accept their kinds (any text is a text file; an SVG image
// or an RSS feed is XML); the others want their exact type, so that an
// HEIC photo (a kind of MP4 in mimetype's tree) is no MP4 video.
func formatMatches(f api.DocumentFormat, detected *mimetype.MIME, head []byte) bool {
	switch f.ContentType {
	case "text/plain", "application/json":
		return inFamily(detected, f.ContentType)
	case "text/xml":
		return inFamily(detected, "text/xml") || inFamily(detected, "text/plain") && startsWithElement(head)
	}
	return detected.Is(f.ContentType)
}

// startsWithElement reports whether text begins as XML does without a
// declaration: comments and space, then an element.
func startsWithElement(head []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(head))
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return true
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		case xml.Comment, xml.ProcInst, xml.Directive:
		default:
			return false
		}
	}
}

// formatOfContent is the format whose content type detected is.
func formatOfContent(detected *mimetype.MIME) (api.DocumentFormat, bool) {
	for _, f := range api.DocumentFormats {
		if detected.Is(f.ContentType) {
			return f, true
		}
	}
	return api.DocumentFormat{}, false
}

// describeContent names a content type for the user: "a ZIP archive
// (application/zip)", or by its usual extension.
func describeContent(m *mimetype.MIME) string {
	switch {
	case m.Is(mimeZip):
		return "a ZIP archive (application/zip)"
	case m.Is(mimeOLE):
		return "an OLE compound file (application/x-ole-storage)"
	case m.Is("application/octet-stream"):
		return "of a kind that could not be recognised"
	case m.Extension() != "":
		return article(strings.ToUpper(strings.TrimPrefix(m.Extension(), ".")) + " file (" + m.String() + ")")
	}
	return "of the type " + m.String()
}

// article puts "a" or "an" before a name, as it is said: an abbreviation
// in capitals by the sound of its first letter ("an MP4 video", "a PDF
// document"), a word by its first letter ("an Excel workbook").
func article(name string) string {
	word, _, _ := strings.Cut(name, " ")
	vowels := "AEIOUaeiou"
	if len(word) > 1 && strings.ToUpper(word) == word {
		vowels = "AEFHILMNORSX"
	}
	if strings.ContainsRune(vowels, rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
