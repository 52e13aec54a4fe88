package api

import "testing"

func TestFormatOfAndSafeFileName(t *testing.T) {
	for _, c := range []struct {
		name   string
		format string // "" for none
		safe   bool
	}{
		{"scan.PDF", "PDF document", true},
		{"photo.jpeg", "JPEG image", true},
		{"clip.mpg", "MPEG video", true},
		{"Zeugnis Müller – 日本.docx", "Word document", true},
		{"archive.tar.gz", "", true},
		{"noextension", "", true},
		{"dir/a.pdf", "PDF document", false},
		{`dir\a.pdf`, "PDF document", false},
		{"a\tb.pdf", "PDF document", false},
		{"invoice\u202efdp.exe", "", false},
		{" a.pdf", "PDF document", false},
		{"a.pdf.", "", false},
		{"..", "", false},
		{"\xff.pdf", "PDF document", false},
	} {
		f, ok := FormatOf(c.name)
		if got := map[bool]string{true: f.Name}[ok]; got != c.format {
			t.Errorf("FormatOf(%q) = %q, want %q", c.name, got, c.format)
		}
		if got := SafeFileName(c.name); got != c.safe {
			t.Errorf("SafeFileName(%q) = %v, want %v", c.name, got, c.safe)
		}
	}
}
