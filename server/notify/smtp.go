package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// SMTP connection security, SMTPConfig.TLS.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded with STARTTLS, which must succeed (port 587)
	SMTPTLS      = "tls"      // TLS from the first byte (port 465)
	SMTPNoTLS    = "none"     // no encryption: only to a mail server on this machine
)

// SMTPConfig says how to reach the mail server that sends the emails.
type SMTPConfig struct {
	Host     string
	Port     int    // 0: 587 for starttls, 465 for tls, 25 for none
	Username string // empty: no authentication
	Password string
	From     string // the sender address, e.g. "Selfservice <no-reply@example.com>"
	TLS      string // SMTPStartTLS (default), SMTPTLS or SMTPNoTLS
	// TLSConfig, when set, is used to check the server's certificate (a
	// private CA, say); nil checks it against the system's roots.
	TLSConfig *tls.Config
}

// SMTPSender sends emails through a mail server.
type SMTPSender struct {
	cfg      SMTPConfig
	from     *mail.Address
	idDomain string // the right side of Message-Ids
}

// NewSMTPSender checks cfg and returns a sender for it. Its errors say
// which setting is wrong; they never show the password.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.TLS == "" {
		cfg.TLS = SMTPStartTLS
	}
	switch {
	case cfg.Host == "":
		return nil, errors.New("SMTP: give the mail server's host name")
	case cfg.TLS != SMTPStartTLS && cfg.TLS != SMTPTLS && cfg.TLS != SMTPNoTLS:
		return nil, fmt.Errorf("SMTP: TLS mode %q is not one of starttls, tls or none", cfg.TLS)
	case cfg.TLS == SMTPNoTLS && !isLoopback(cfg.Host):
		return nil, fmt.Errorf("SMTP: TLS mode none would send passwords and codes unencrypted to %s; it is only allowed for a mail server on this machine (localhost); use starttls or tls", cfg.Host)
	case cfg.Port < 0 || cfg.Port > 65535:
		return nil, fmt.Errorf("SMTP: port %d is not a port number", cfg.Port)
	case cfg.Password != "" && cfg.Username == "":
		return nil, errors.New("SMTP: a password was given without a user name")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("SMTP: the sender address %q is not an email address, such as Selfservice <no-reply@example.com>", cfg.From)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{SMTPStartTLS: gomail.DefaultPortTLS, SMTPTLS: gomail.DefaultPortSSL, SMTPNoTLS: gomail.DefaultPort}[cfg.TLS]
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &SMTPSender{cfg: cfg, from: from, idDomain: domain}, nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send sends m as a plain-text email with its attachment, if any. Its
// Message-Id is derived from m.ID, so a message sent twice (its first
// success was not recorded) has the same Message-Id and a mail system
// that dedupes drops the copy.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.compose(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("SMTP: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("SMTP server %s: %w", s.cfg.Host, err)
	}
	return nil
}

// compose builds the email of m.
func (s *SMTPSender) compose(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("SMTP: the recipient is not an email address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(safeName(m.ID) + "@" + s.idDomain)
	msg.SetBulk() // no out-of-office replies to an automatic message
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if a := m.Attachment; a != nil {
		err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		if err != nil {
			return nil, fmt.Errorf("SMTP: attach %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// options are the go-mail client options of the configuration.
func (s *SMTPSender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port)}
	tlsConfig := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		tlsConfig = s.cfg.TLSConfig.Clone()
		if tlsConfig.ServerName == "" {
			tlsConfig.ServerName = s.cfg.Host
		}
	}
	switch s.cfg.TLS {
	case SMTPTLS:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSConfig(tlsConfig))
	case SMTPStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(tlsConfig))
	case SMTPNoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover // the strongest the server offers
		if s.cfg.TLS == SMTPNoTLS {
			auth = gomail.SMTPAuthPlainNoEnc // allowed: the server is on this machine
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}
