package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	smtpUser     = "selfservice"
	smtpPassword = "s3cret-mail-password"
)

// received is an email the test mail server accepted.
type received struct {
	from  string
	to    []string
	data  []byte
	tls   bool
	authd bool
}

// mailServer is a real SMTP server (github.com/emersion/go-smtp) on a
// loopback port, with a self-signed certificate and AUTH PLAIN, which it
// offers only once the connection is encrypted.
type mailServer struct {
	addr  string
	port  int
	roots *x509.CertPool
	mu    sync.Mutex
	got   []received
}

// startMailServer starts the server; implicitTLS makes it speak TLS from
// the first byte (port 465 style) instead of offering STARTTLS.
func startMailServer(t *testing.T, implicitTLS bool) *mailServer {
	t.Helper()
	cert, roots := selfSignedCert(t)
	ms := &mailServer{roots: roots}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{server: ms, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.AllowInsecureAuth = false
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicitTLS {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	ms.addr = ln.Addr().String()
	ms.port = ln.Addr().(*net.TCPAddr).Port
	return ms
}

func (ms *mailServer) received() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.got...)
}

type mailSession struct {
	server *mailServer
	conn   *smtp.Conn
	authd  bool
	msg    received
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != smtpUser || password != smtpPassword {
			return errors.New("invalid credentials")
		}
		s.authd = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authd {
		return smtp.ErrAuthRequired
	}
	s.msg = received{from: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = data
	_, s.msg.tls = s.conn.TLSConnectionState()
	s.msg.authd = s.authd
	s.server.mu.Lock()
	s.server.got = append(s.server.got, s.msg)
	s.server.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.msg = received{} }
func (s *mailSession) Logout() error { return nil }

// selfSignedCert makes a certificate for 127.0.0.1 and localhost, and a
// pool that trusts it.
func selfSignedCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test mail server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

func (ms *mailServer) sender(t *testing.T, mode, password string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(SMTPConfig{
		Host: "127.0.0.1", Port: ms.port, Username: smtpUser, Password: password,
		From: "Selfservice <no-reply@example.com>", TLS: mode,
		TLSConfig: &tls.Config{RootCAs: ms.roots, MinVersion: tls.VersionTLS12},
	})
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

func TestSMTPSenderDeliversWithAttachment(t *testing.T) {
	for _, mode := range []string{SMTPStartTLS, SMTPTLS} {
		t.Run(mode, func(t *testing.T) {
			ms := startMailServer(t, mode == SMTPTLS)
			png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR not a real image \xff\xfe")
			m := Message{
				ID: "6f1c2d9e-0b7a-4c3e-9f51-2a8d7e4b1c60", Channel: ChannelEmail, To: "dana@example.com",
				Subject: "Set up the Selfservice Authenticator",
				Body:    "Scan the attached QR code with the app.\nIt works for 10 minutes.\n",
				Attachment: &Attachment{
					Name: "selfservice-authenticator.png", ContentType: "image/png", Data: png,
				},
			}
			if err := ms.sender(t, mode, smtpPassword).Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}

			got := ms.received()
			if len(got) != 1 {
				t.Fatalf("the mail server got %d messages, want 1", len(got))
			}
			r := got[0]
			if !r.tls || !r.authd {
				t.Errorf("tls %v, authenticated %v; want both", r.tls, r.authd)
			}
			if r.from != "no-reply@example.com" || len(r.to) != 1 || r.to[0] != "dana@example.com" {
				t.Errorf("envelope from %q to %q", r.from, r.to)
			}
			parsed, err := mail.ReadMessage(bytes.NewReader(r.data))
			if err != nil {
				t.Fatalf("parse the email: %v", err)
			}
			h := parsed.Header
			if subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subject != m.Subject {
				t.Errorf("Subject = %q", subject)
			}
			if id := h.Get("Message-Id"); id != "<"+m.ID+"@example.com>" {
				t.Errorf("Message-Id = %q, want one derived from the message ID", id)
			}
			if from, err := h.AddressList("From"); err != nil || from[0].Address != "no-reply@example.com" || from[0].Name != "Selfservice" {
				t.Errorf("From = %v, %v", from, err)
			}
			text, attachment := readParts(t, parsed)
			if text != m.Body {
				t.Errorf("text = %q, want %q", text, m.Body)
			}
			if attachment.name != m.Attachment.Name || attachment.contentType != "image/png" || !bytes.Equal(attachment.data, png) {
				t.Errorf("attachment = %q %q %q", attachment.name, attachment.contentType, attachment.data)
			}
		})
	}
}

type part struct {
	name, contentType string
	data              []byte
}

// readParts returns the plain-text body and the attachment of a
// multipart email, decoded.
func readParts(t *testing.T, m *mail.Message) (string, part) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("Content-Type %q, %v; want multipart", m.Header.Get("Content-Type"), err)
	}
	var text string
	var att part
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(p) // quoted-printable is decoded by the reader
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch {
		case p.FileName() != "":
			if p.Header.Get("Content-Transfer-Encoding") == "base64" {
				data, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), ""))
				if err != nil {
					t.Fatalf("decode the attachment: %v", err)
				}
			}
			att = part{name: p.FileName(), contentType: ct, data: data}
		case ct == "text/plain":
			text = strings.ReplaceAll(string(data), "\r\n", "\n")
		}
	}
	return text, att
}

func TestSMTPSenderWrongPasswordErrorHidesIt(t *testing.T) {
	ms := startMailServer(t, false)
	const wrong = "wrong-Pa55word-xyz"
	err := ms.sender(t, SMTPStartTLS, wrong).Send(context.Background(),
		Message{ID: "m-1", Channel: ChannelEmail, To: "dana@example.com", Subject: "Code", Body: "Your code is 424242"})
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	t.Logf("error: %v", err)
	for _, secret := range []string{wrong, smtpPassword, "424242"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows %q", err, secret)
		}
	}
	if len(ms.received()) != 0 {
		t.Error("the mail server took a message without authentication")
	}
}

func TestNewSMTPSenderChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  SMTPConfig
		want string // in the error
	}{
		{"no host", SMTPConfig{From: "a@example.com"}, "host"},
		{"bad mode", SMTPConfig{Host: "mail.example.com", From: "a@example.com", TLS: "ssl"}, "starttls, tls or none"},
		{"plain text off this machine", SMTPConfig{Host: "mail.example.com", From: "a@example.com", TLS: SMTPNoTLS}, "localhost"},
		{"bad from", SMTPConfig{Host: "mail.example.com", From: "no-reply"}, "sender address"},
		{"password without user", SMTPConfig{Host: "mail.example.com", From: "a@example.com", Password: "pw-123"}, "user name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSMTPSender(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewSMTPSender = %v, want an error about %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "pw-123") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
	if _, err := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", From: "a@example.com", TLS: SMTPNoTLS}); err != nil {
		t.Errorf("plain SMTP to this machine refused: %v", err)
	}
}
