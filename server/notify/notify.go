// Package notify sends the server's messages to people: emails through
// SMTP, SMS through an HTTP gateway (a webhook), and, for development and
// the demo, into files. The server never calls a Sender in a request: it
// writes messages to its outbox, and a worker hands them to the Sender of
// their channel, retrying failures.
package notify

import "context"

// Channels a message goes through.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Message is one email or SMS. ID is unique and stable across retries, so
// that a receiver can drop a message it got twice.
type Message struct {
	ID         string
	Channel    string // ChannelEmail or ChannelSMS
	To         string // an email address, or a phone number in international form (+4915112345678)
	Subject    string // email only
	Body       string // plain text
	Attachment *Attachment
}

// Attachment is a file sent with an email (an SMS has none).
type Attachment struct {
	Name        string // e.g. "selfservice-authenticator.png"
	ContentType string // e.g. "image/png"
	Data        []byte
}

// Sender delivers messages of one channel. Send returns nil only when the
// gateway took the message; an error means it may be tried again later.
// Errors never contain the message body.
type Sender interface {
	Send(ctx context.Context, m Message) error
}
