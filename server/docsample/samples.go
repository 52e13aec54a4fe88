// Package docsample makes small files of every format a document may
// have, and files that only pretend to be one: the demo's documents, and
// samples for the tests of the server, its client and the app. It
// generates them: nothing is read from disk.
package docsample

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"unicode/utf16"
)

// Samples are tiny valid files of each allowed format, by file name (one
// for each extension).
func Samples() map[string][]byte {
	return map[string][]byte{
		"scan.pdf":      PDF("A scanned document"),
		"letter.docx":   OOXML("word/document.xml", 0),
		"letter.doc":    OLE("WordDocument", 0),
		"budget.xlsx":   OOXML("xl/workbook.xml", 0),
		"notes.txt":     []byte("Some notes, in plain text.\n"),
		"data.json":     []byte(`{"name": "Ada", "skills": ["math"]}`),
		"data.xml":      []byte(`<?xml version="1.0" encoding="UTF-8"?><person><name>Ada</name></person>`),
		"photo.jpg":     JPEG(),
		"photo.jpeg":    JPEG(),
		"badge.png":     PNG(),
		"animation.gif": GIF(),
		"clip.mp4":      MP4(),
		"clip.mpeg":     MPEG(),
		"clip.mpg":      MPEG(),
		"recording.avi": AVI(),
	}
}

// PDF is a one-page PDF document showing text.
func PDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 24 Tf 72 720 Td (%s) Tj ET", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(text))
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// OOXML is an Office Open XML package (a DOCX with part
// "word/document.xml", an XLSX with "xl/workbook.xml"). With padding > 0
// its first part carries that many more bytes, stored uncompressed, so
// that the part naming its kind lies past the first bytes of the file.
func OOXML(part string, padding int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	types := `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>` +
		"<!--" + strings.Repeat(" ", padding) + "-->"
	for _, f := range []struct{ name, body string }{
		{"[Content_Types].xml", types},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`},
		{part, `<?xml version="1.0" encoding="UTF-8"?><document/>`},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		io.WriteString(w, f.body)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Zip is a ZIP archive of one text file: no Office document.
func Zip() []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("readme.txt")
	io.WriteString(w, "hello")
	zw.Close()
	return b.Bytes()
}

// OLE is a compound file (the container of Word 97-2003 documents) with
// one empty stream called stream at its top. It has a header, a sector of
// the allocation table and a directory sector; with padding > 0 that many
// free sectors come before the directory, so that it lies past the first
// bytes of the file.
func OLE(stream string, padding int) []byte {
	const (
		sector     = 512
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	le := binary.LittleEndian
	dirSector := uint32(1 + padding)
	header := make([]byte, sector)
	copy(header, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(header[24:], 0x003E) // minor version
	le.PutUint16(header[26:], 3)      // major version: 512-byte sectors
	le.PutUint16(header[28:], 0xFFFE) // little-endian
	le.PutUint16(header[30:], 9)      // sector shift
	le.PutUint16(header[32:], 6)      // mini sector shift
	le.PutUint32(header[44:], 1)      // FAT sectors
	le.PutUint32(header[48:], dirSector)
	le.PutUint32(header[56:], 4096) // mini stream cutoff
	le.PutUint32(header[60:], endOfChain)
	le.PutUint32(header[68:], endOfChain)
	le.PutUint32(header[76:], 0) // the FAT is sector 0
	for i := 80; i < sector; i += 4 {
		le.PutUint32(header[i:], freeSect)
	}

	fat := make([]byte, sector)
	for i := 0; i < sector; i += 4 {
		le.PutUint32(fat[i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4*dirSector:], endOfChain)

	dir := make([]byte, sector)
	entry := func(i int, name string, typ byte, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], endOfChain)
	}
	entry(0, "Root Entry", 5, 1)
	entry(1, stream, 2, noStream)
	for i := 2; i < 4; i++ {
		le.PutUint32(dir[i*128+68:], noStream)
		le.PutUint32(dir[i*128+72:], noStream)
		le.PutUint32(dir[i*128+76:], noStream)
	}

	var b bytes.Buffer
	b.Write(header)
	b.Write(fat)
	b.Write(make([]byte, padding*sector))
	b.Write(dir)
	return b.Bytes()
}

// Picture is a small picture: a card with a photo and lines of text.
func Picture() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 96, 60))
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Set(x, y, c)
			}
		}
	}
	fill(0, 0, 96, 60, color.RGBA{0xE8, 0xF0, 0xFA, 0xFF})
	fill(0, 0, 96, 10, color.RGBA{0x1F, 0x5F, 0xAF, 0xFF})
	fill(8, 18, 34, 50, color.RGBA{0x9A, 0xB0, 0xC8, 0xFF})
	for i, w := range []int{46, 38, 42} {
		fill(42, 20+i*10, 42+w, 24+i*10, color.RGBA{0x60, 0x70, 0x80, 0xFF})
	}
	return img
}

// PNG, JPEG and GIF are Picture in each format.
func PNG() []byte {
	var b bytes.Buffer
	png.Encode(&b, Picture())
	return b.Bytes()
}

func JPEG() []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, Picture(), nil)
	return b.Bytes()
}

func GIF() []byte {
	var b bytes.Buffer
	gif.Encode(&b, Picture(), nil)
	return b.Bytes()
}

// MP4 is the start of an MP4 video: its ftyp box and an empty mdat.
func MP4() []byte {
	b := []byte{0, 0, 0, 0x18}
	b = append(b, "ftypisom"...)
	b = append(b, 0, 0, 2, 0)
	b = append(b, "isommp41"...)
	return append(b, 0, 0, 0, 8, 'm', 'd', 'a', 't')
}

// MPEG is the start of an MPEG program stream: a pack header.
func MPEG() []byte {
	return append([]byte{0, 0, 1, 0xBA, 0x44, 0, 4, 0, 4, 1, 1, 0x89, 0xC3, 0xF8}, make([]byte, 32)...)
}

// AVI is the start of an AVI video: its RIFF header and a LIST.
func AVI() []byte {
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = append(b, "AVI LIST"...)
	b = binary.LittleEndian.AppendUint32(b, 4)
	return append(b, "hdrl"...)
}

// ELF is the start of a Linux program: no document.
func ELF() []byte {
	return append([]byte{0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 56)...)
}

// Reader streams size bytes of a PDF-looking document (its header, then
// text) without holding them: for large uploads.
func Reader(size int64) io.Reader {
	head := "%PDF-1.4\n"
	line := strings.Repeat("0123456789abcdef", 4) + "\n"
	body := io.LimitReader(repeat{line: line}, size-int64(len(head)))
	return io.MultiReader(strings.NewReader(head), body)
}

type repeat struct{ line string }

func (r repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r.line)
	}
	return n, nil
}
