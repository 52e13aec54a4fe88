package notify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// FileSender "sends" messages by writing them into a directory, one
// human-readable file each, for development and the desktop app's demo
// mode, where there is no mail server or SMS gateway. The files hold the
// codes they carry in clear: they are written readable by their owner
// only (0600, in a 0700 directory).
type FileSender struct {
	dir string
	now func() time.Time
}

// NewFileSender returns a sender writing into dir, which it creates
// (0700) when missing. A directory it cannot create makes each Send fail
// with the reason, so that the outbox keeps the message and says why.
func NewFileSender(dir string) *FileSender {
	os.MkdirAll(dir, 0o700) //nolint:errcheck // Send tries again and reports the error
	return &FileSender{dir: dir, now: time.Now}
}

// stampLayout names files by the time they were written, in UTC, so that
// sorting the names sorts the messages oldest first.
const stampLayout = "20060102-150405.000000000"

// Headers of a message file.
const (
	headerTo         = "To"
	headerChannel    = "Channel"
	headerSubject    = "Subject"
	headerMessageID  = "Message-Id"
	headerDate       = "Date"
	headerAttachment = "Attachment"      // the attachment's file, beside the message
	headerAttachName = "Attachment-Name" // its name as sent
	headerAttachType = "Attachment-Type"
)

// Send writes m as <dir>/<UTC yyyymmdd-hhmmss.nnnnnnnnn>-<channel>-<id>.txt:
// the headers To, Channel, Subject, Message-Id and Date, a blank line and
// the body; its attachment, if any, goes beside it as
// <same name without .txt>-<attachment name>. The message file appears
// only once complete (written under a temporary name, then renamed), so
// a reader never sees half a message.
func (f *FileSender) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("create the messages directory: %w", err)
	}
	at := f.now().UTC()
	base := at.Format(stampLayout) + "-" + safeName(m.Channel) + "-" + safeName(m.ID)

	var head bytes.Buffer
	writeHeader(&head, headerTo, m.To)
	writeHeader(&head, headerChannel, m.Channel)
	if m.Subject != "" {
		writeHeader(&head, headerSubject, m.Subject)
	}
	writeHeader(&head, headerMessageID, m.ID)
	writeHeader(&head, headerDate, at.Format(time.RFC1123Z))
	if a := m.Attachment; a != nil {
		attachFile := base + "-" + safeName(a.Name)
		if err := writeFileAtomic(f.dir, attachFile, a.Data); err != nil {
			return fmt.Errorf("write the attachment: %w", err)
		}
		writeHeader(&head, headerAttachment, attachFile)
		writeHeader(&head, headerAttachName, a.Name)
		writeHeader(&head, headerAttachType, a.ContentType)
	}
	head.WriteString("\n")
	head.WriteString(m.Body)
	if err := writeFileAtomic(f.dir, base+".txt", head.Bytes()); err != nil {
		return fmt.Errorf("write the message: %w", err)
	}
	return nil
}

// writeHeader writes one "Name: value" line; line breaks in the value
// become spaces, so a value cannot add headers of its own.
func writeHeader(b *bytes.Buffer, name, value string) {
	value = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(value)
	fmt.Fprintf(b, "%s: %s\n", name, value)
}

// writeFileAtomic writes data to dir/name (0600) through a temporary
// file that no reader picks up.
func writeFileAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// safeName keeps letters, digits, '.', '_' and '-' of s (others become
// '_'), so that a name cannot leave the directory or hide a file.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
	s = strings.TrimLeft(s, ".")
	if s == "" {
		return "_"
	}
	return s
}

// Received is a message a FileSender wrote, with when it wrote it.
// ReadMessages returns these rather than bare Messages because a reader
// such as the demo's message panel shows when each one came; the
// embedded Message keeps m.Body, m.To and the rest at hand.
type Received struct {
	Message
	At time.Time // when it was written, UTC
}

// messageFile matches the name of a message file (not of an attachment
// or of a file being written).
var messageFile = regexp.MustCompile(`^(\d{8}-\d{6}\.\d{9})-(email|sms)-[A-Za-z0-9_.-]+\.txt$`)

// ReadMessages reads back the messages a FileSender wrote into dir,
// oldest first, with their attachments. A directory that does not exist
// holds no messages: that is not an error.
func ReadMessages(dir string) ([]Received, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the messages directory: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() && messageFile.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)

	// An attachment may itself be named like a message (its name ends in
	// .txt): every message names its attachment's file, and those are
	// left out.
	type parsed struct {
		name string
		r    Received
		err  error
	}
	all := make([]parsed, 0, len(names))
	attachments := map[string]bool{}
	for _, name := range names {
		r, attachFile, err := readMessage(dir, name)
		if attachFile != "" {
			attachments[attachFile] = true
		}
		all = append(all, parsed{name, r, err})
	}
	var out []Received
	for _, p := range all {
		if attachments[p.name] {
			continue
		}
		if p.err != nil {
			return nil, fmt.Errorf("read message %s: %w", p.name, p.err)
		}
		out = append(out, p.r)
	}
	return out, nil
}

// readMessage reads one message file and its attachment, returning the
// attachment's file name too.
func readMessage(dir, name string) (Received, string, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return Received{}, "", err
	}
	stamp := messageFile.FindStringSubmatch(name)[1]
	at, err := time.Parse(stampLayout, stamp)
	if err != nil {
		return Received{}, "", fmt.Errorf("the time in the file name: %w", err)
	}
	head, body, ok := bytes.Cut(data, []byte("\n\n"))
	if !ok {
		return Received{}, "", fmt.Errorf("no blank line after the headers")
	}
	headers := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(head))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			return Received{}, "", fmt.Errorf("header line without \": \"")
		}
		headers[key] = value
	}
	r := Received{
		Message: Message{
			ID:      headers[headerMessageID],
			Channel: headers[headerChannel],
			To:      headers[headerTo],
			Subject: headers[headerSubject],
			Body:    string(body),
		},
		At: at.UTC(),
	}
	if r.ID == "" || r.Channel == "" {
		return Received{}, "", fmt.Errorf("no %s or %s header", headerMessageID, headerChannel)
	}
	attachFile := headers[headerAttachment]
	if attachFile != "" {
		if safeName(attachFile) != attachFile {
			return Received{}, "", fmt.Errorf("attachment file name %q is not a plain file name", attachFile)
		}
		data, err := os.ReadFile(filepath.Join(dir, attachFile))
		if err != nil {
			return Received{}, attachFile, fmt.Errorf("its attachment: %w", err)
		}
		r.Attachment = &Attachment{
			Name:        headers[headerAttachName],
			ContentType: headers[headerAttachType],
			Data:        data,
		}
	}
	return r, attachFile, nil
}
