package api

import (
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Documents: the user keeps files of the kinds the organisation lists
// (an identity card, a contract…) with the server. The content is
// checked by what it is, not by its name: a file whose content is not
// of the format its extension says is refused.

// Document is one of the user's documents (GET /account/documents).
type Document struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`      // a DocumentType's ID
	TypeName    string    `json:"type_name"` // its name; the ID when the organisation no longer lists it
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"` // of the detected content, as downloads are served
	Size        int64     `json:"size"`         // bytes
	CreatedAt   time.Time `json:"created_at"`
}

// DocumentType is a kind of document the organisation asks for.
type DocumentType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// DocumentsResponse answers GET /account/documents: the user's documents,
// newest first, the types an upload may name, and the limits an upload
// must keep.
type DocumentsResponse struct {
	Documents    []Document     `json:"documents"`
	Types        []DocumentType `json:"types"`
	MaxSizeBytes int64          `json:"max_size_bytes"` // of one file
	MaxPerUser   int            `json:"max_per_user"`   // documents of one user
}

// DocumentResponse answers an upload: the stored document.
type DocumentResponse struct {
	Document Document `json:"document"`
}

// UploadDocument names an upload, POST /account/documents?type=…&name=…,
// whose body is the file's content.
type UploadDocument struct {
	Type     string // a DocumentType's ID
	FileName string // the file's name, without any folder
}

// DocumentFormat is a format of file the server stores.
type DocumentFormat struct {
	Name        string   // as users know it, "PDF document"
	Extensions  []string // lower-case, without the dot; the first is the usual one
	ContentType string   // what a download of such a file is served as
}

// DocumentFormats are the formats a document may have.
var DocumentFormats = []DocumentFormat{
	{"PDF document", []string{"pdf"}, "application/pdf"},
	{"Word document", []string{"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"Word 97-2003 document", []string{"doc"}, "application/msword"},
	{"Excel workbook", []string{"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"text file", []string{"txt"}, "text/plain"},
	{"JSON file", []string{"json"}, "application/json"},
	{"XML file", []string{"xml"}, "text/xml"},
	{"JPEG image", []string{"jpg", "jpeg"}, "image/jpeg"},
	{"PNG image", []string{"png"}, "image/png"},
	{"GIF image", []string{"gif"}, "image/gif"},
	{"MP4 video", []string{"mp4"}, "video/mp4"},
	{"MPEG video", []string{"mpeg", "mpg"}, "video/mpeg"},
	{"AVI video", []string{"avi"}, "video/x-msvideo"},
}

// DocumentExtensions lists every extension of DocumentFormats, with its dot.
func DocumentExtensions() []string {
	var out []string
	for _, f := range DocumentFormats {
		for _, ext := range f.Extensions {
			out = append(out, "."+ext)
		}
	}
	return out
}

// FormatOf returns the format a file name's extension names, and false
// when it names none of DocumentFormats.
func FormatOf(fileName string) (DocumentFormat, bool) {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(fileName), "."))
	for _, f := range DocumentFormats {
		for _, e := range f.Extensions {
			if e == ext {
				return f, true
			}
		}
	}
	return DocumentFormat{}, false
}

// MaxFileNameLen bounds a document's file name, in bytes: what file
// systems allow.
const MaxFileNameLen = 255

// Validate checks an upload's type and file name. Problems with the file
// (its name, later its size and content) name the field "file".
func (u UploadDocument) Validate() error {
	f := fieldErrors{}
	f.check(u.Type != "", "type", "Choose the type of document.")
	f.check(len(u.Type) <= maxIDLen && printable(u.Type), "type", "This type of document is not known. Choose one of the list.")
	f.check(strings.TrimSpace(u.FileName) != "", "file", "Choose a file.")
	f.check(len(u.FileName) <= MaxFileNameLen, "file", "The file name is too long: rename the file to at most 255 characters.")
	f.check(SafeFileName(u.FileName), "file",
		`The file name may not contain a folder, control characters or any of < > : " / \ | ? *, nor end with a dot or a space. Rename the file.`)
	if _, ok := FormatOf(u.FileName); !ok {
		f.check(false, "file", "Files of this kind cannot be stored. Choose a file of one of these kinds: "+strings.Join(DocumentExtensions(), " ")+".")
	}
	return f.err()
}

// SafeFileName reports whether name can be offered as the name of a
// downloaded file on any system: valid UTF-8 without control or
// formatting characters (which could hide the real extension), no folder
// and none of the characters Windows refuses, not "." or "..", and not
// ending with a dot or a space.
func SafeFileName(name string) bool {
	if !utf8.ValidString(name) || name == "" || strings.TrimSpace(name) != name || strings.HasSuffix(name, ".") {
		return false
	}
	if strings.ContainsAny(name, `<>:"/\|?*`) {
		return false
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
