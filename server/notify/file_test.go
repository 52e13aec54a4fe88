package notify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFileSenderWritesAndReadsBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "messages")
	f := NewFileSender(dir)
	clock := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	f.now = func() time.Time { clock = clock.Add(time.Second); return clock }

	png := []byte("\x89PNG\r\n\x1a\n not really")
	msgs := []Message{
		{ID: "m-1", Channel: ChannelSMS, To: "+4915112345678", Body: "Your code is 123456"},
		{ID: "m-2", Channel: ChannelEmail, To: "dana@example.com", Subject: "Set up\nBcc: evil@example.com",
			Body:       "Scan the attached code.\n\nThe Selfservice team\n",
			Attachment: &Attachment{Name: "qr.txt", ContentType: "image/png", Data: png}},
		{ID: "../../m-3", Channel: ChannelEmail, To: "e@example.com", Subject: "x", Body: ""},
	}
	for _, m := range msgs {
		if err := f.Send(context.Background(), m); err != nil {
			t.Fatalf("Send(%s): %v", m.ID, err)
		}
	}

	got, err := ReadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("read %d messages, want 3: %+v", len(got), got)
	}
	for i, r := range got {
		want := msgs[i]
		if want.ID == "m-2" {
			want.Subject = "Set up Bcc: evil@example.com" // one header line, no injected one
		}
		if r.ID != want.ID || r.Channel != want.Channel || r.To != want.To || r.Subject != want.Subject || r.Body != want.Body {
			t.Errorf("message %d = %+v, want %+v", i, r.Message, want)
		}
		if wantAt := time.Date(2026, 3, 4, 5, 6, 8+i, 8, time.UTC); !r.At.Equal(wantAt) {
			t.Errorf("message %d At = %v, want %v", i, r.At, wantAt)
		}
	}
	if a := got[1].Attachment; a == nil || a.Name != "qr.txt" || a.ContentType != "image/png" || !bytes.Equal(a.Data, png) {
		t.Errorf("attachment = %+v", a)
	}
	if got[0].Attachment != nil {
		t.Errorf("an SMS came back with an attachment")
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("directory holds %d files, want 3 messages and 1 attachment", len(entries))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
		if strings.Contains(e.Name(), "/") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("unexpected file name %q", e.Name())
		}
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("directory mode = %v, %v; want 0700", info.Mode().Perm(), err)
	}
}

func TestReadMessagesOfMissingDirectoryIsEmpty(t *testing.T) {
	got, err := ReadMessages(filepath.Join(t.TempDir(), "none"))
	if err != nil || len(got) != 0 {
		t.Fatalf("ReadMessages = %v, %v; want none and no error", got, err)
	}
}
