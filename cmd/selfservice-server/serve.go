package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"selfservice/server"
	"selfservice/server/notify"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", serveSynopsis, stderr)
	dbPath := dbFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8443", "`address` to listen on, host:port")
	tlsCert := fs.String("tls-cert", "", "TLS certificate `file` (PEM); serve HTTPS with --tls-key")
	tlsKey := fs.String("tls-key", "", "TLS private key `file` (PEM)")
	insecure := fs.Bool("insecure-http", false, "allow plain HTTP on a non-loopback address (only behind a proxy that terminates TLS)")
	rpID := fs.String("rp-id", server.DefaultRPID, "WebAuthn relying party `ID`: the domain security keys bind their credentials to")
	publicURL := fs.String("public-url", "", "the `URL` phones reach this server at, put in the authenticator app's QR codes; required unless --listen is a loopback address (default there: its own address)")
	rpOrigins := fs.String("rp-origin", "", "allowed WebAuthn `origins`, comma-separated, such as https://example.com,https://login.example.com:8443 (default https://ID)")
	tenantFile := fs.String("config", "", "the organisation's configuration `file` (JSON: password policy, applications, vault link, verification questions); with --demo and none, the demo's")
	var caps capFlags
	caps.register(fs)
	trusted := fs.String("trusted-proxy", "", "`networks` of the reverse proxies in front, comma-separated CIDRs such as 10.0.0.0/8; their X-Forwarded-For names the client for rate limits and lockouts (default none: the connection's address counts)")
	demo := fs.Bool("demo", false, "add the demo accounts and print their passwords and token secrets")
	demoApprovals := fs.Bool("demo-approvals", false, "with --demo: add the demo's approval policies (step-up for token enroll, disable and delete; the helpdesk user approves enrolling an HOTP token)")
	var delivery deliveryFlags
	delivery.register(fs)
	var keys keyFlags
	keys.register(fs)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if *dbPath == "" {
		return errors.New("serve: give the database file with --db FILE")
	}
	if *demoApprovals && !*demo {
		return errors.New("serve: --demo-approvals goes with --demo, which makes the users the policies name")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("serve: give both --tls-cert and --tls-key, or neither")
	}
	useTLS := *tlsCert != ""
	if !useTLS && !*insecure && !isLoopback(*listen) {
		return fmt.Errorf("serve: %s is not a loopback address, and plain HTTP would expose passwords and session tokens on the network; give --tls-cert and --tls-key, or --insecure-http if a proxy in front terminates TLS", *listen)
	}
	box, err := serveSecretBox(keys, *dbPath, *demo, stderr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if *publicURL == "" {
		if !isLoopback(*listen) {
			return errors.New("serve: give --public-url, the address phones reach this server at (such as https://id.example.com): it goes into the authenticator app's QR codes, and is never taken from a request's Host header")
		}
		scheme := "http"
		if useTLS {
			scheme = "https"
		}
		*publicURL = scheme + "://" + *listen
	}
	proxies, err := parsePrefixes(splitList(*trusted))
	if err != nil {
		return fmt.Errorf("serve: check --trusted-proxy: %w", err)
	}
	cfg := server.Config{Secrets: box, RPID: *rpID, RPOrigins: splitList(*rpOrigins), PublicURL: strings.TrimSuffix(*publicURL, "/"), TrustedProxies: proxies}
	if err := caps.apply(&cfg); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	switch {
	case *tenantFile != "":
		if cfg.Tenant, err = server.LoadTenant(*tenantFile); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	case *demo:
		cfg.Tenant = server.DemoTenant()
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("serve: check --rp-id, --rp-origin and --public-url: %w", err)
	}
	senders, err := delivery.senders(os.Getenv)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	cfg.EmailSender, cfg.SMSSender = senders.email, senders.sms

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = logger
	store, err := server.Open(ctx, *dbPath, server.WithSecretBox(box), server.WithLogger(logger))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer store.Close()
	if *demo {
		accounts, err := server.SeedDemo(ctx, store)
		if err != nil {
			return err
		}
		if err := server.SeedDemoQuestions(ctx, store, cfg.Tenant); err != nil {
			return err
		}
		printDemo(stderr, accounts)
	}
	if *demoApprovals {
		if err := server.SeedDemoApprovals(ctx, store); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "=== DEMO approval policies: run \"selfservice-server approval list --db FILE\" to see them ===")
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	srv := server.New(store, cfg)
	logger.Info("Selfservice API listening", "url", scheme+"://"+ln.Addr().String()+"/api/v1",
		"rp_id", srv.RPID(), "rp_origins", strings.Join(srv.RPOrigins(), ","))
	logger.Info("Sending messages", "email", senders.emailVia, "sms", senders.smsVia)
	logger.Info("Token secrets sealed", "key", box.CurrentKeyID(), "previous_keys", strings.Join(box.KeyIDs()[1:], ","))

	// The background work stops with the API, before the database closes.
	runCtx, stopRun := context.WithCancel(ctx)
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		srv.Run(runCtx)
	}()
	err = server.Serve(ctx, ln, srv.Handler(), *tlsCert, *tlsKey)
	stopRun()
	<-runDone
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("Selfservice API stopped")
	return nil
}

const serveSynopsis = "selfservice-server serve --db FILE --secret-key-file FILE [--previous-secret-key-file FILE] [--listen 127.0.0.1:8443] [--tls-cert FILE --tls-key FILE] [--insecure-http] [--rp-id ID] [--rp-origin URL[,URL]] [--public-url URL] [--trusted-proxy CIDR[,CIDR]] [--config FILE] [--daily-sms-per-user N] [--daily-email-per-user N] [--daily-sms N] [--daily-email N] [--demo [--demo-approvals]] " +
	"[--smtp-host HOST --smtp-from ADDRESS [--smtp-port N] [--smtp-tls starttls|tls|none] [--smtp-user NAME]] [--sms-webhook URL] [--messages-dir DIR]"

// Environment variables that hold the senders' secrets, which are never
// given as flags: a command line is visible to every user of the machine.
const (
	envSMTPPassword      = "SELFSERVICE_SMTP_PASSWORD"
	envSMSWebhookSecret  = "SELFSERVICE_SMS_WEBHOOK_SECRET"
	minWebhookSecretSize = 16
)

// deliveryFlags are the serve options that say how emails and SMS go out.
type deliveryFlags struct {
	smtpHost, smtpUser, smtpFrom, smtpTLS string
	smtpPort                              int
	smsWebhook                            string
	messagesDir                           string
}

func (f *deliveryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.smtpHost, "smtp-host", "", "mail server `host` that sends the emails (codes, authenticator set-up); no email without it")
	fs.IntVar(&f.smtpPort, "smtp-port", 0, "mail server `port` (default 587 for starttls, 465 for tls, 25 for none)")
	fs.StringVar(&f.smtpTLS, "smtp-tls", notify.SMTPStartTLS, "mail server connection `security`: starttls, tls, or none (only to a mail server on this machine)")
	fs.StringVar(&f.smtpUser, "smtp-user", "", "mail server user `name`; its password comes from the environment variable "+envSMTPPassword)
	fs.StringVar(&f.smtpFrom, "smtp-from", "", "sender `address` of the emails, such as \"Selfservice <no-reply@example.com>\"")
	fs.StringVar(&f.smsWebhook, "sms-webhook", "", "`URL` of your SMS gateway: each SMS is POSTed there as JSON, signed with the secret in the environment variable "+envSMSWebhookSecret+"; no SMS without it")
	fs.StringVar(&f.messagesDir, "messages-dir", "", "for development: write the emails and SMS that have no sender above as files into `dir`, instead of sending them")
}

// senders are the Senders of the channels, nil for one that is off, and
// how each goes out, for the log (never a secret or a URL's query).
type senders struct {
	email, sms       notify.Sender
	emailVia, smsVia string
}

// senders builds the senders the flags ask for, reading their secrets
// with getenv.
func (f deliveryFlags) senders(getenv func(string) string) (senders, error) {
	out := senders{emailVia: "off", smsVia: "off"}
	if f.smtpHost != "" {
		password := getenv(envSMTPPassword)
		switch {
		case f.smtpFrom == "":
			return out, errors.New("give the emails' sender address with --smtp-from, such as \"Selfservice <no-reply@example.com>\"")
		case f.smtpUser != "" && password == "":
			return out, fmt.Errorf("--smtp-user needs its password in the environment variable %s", envSMTPPassword)
		case f.smtpUser == "" && password != "":
			return out, fmt.Errorf("%s is set but --smtp-user is not; give the user name the password belongs to", envSMTPPassword)
		}
		smtp, err := notify.NewSMTPSender(notify.SMTPConfig{
			Host: f.smtpHost, Port: f.smtpPort, Username: f.smtpUser, Password: password,
			From: f.smtpFrom, TLS: f.smtpTLS,
		})
		if err != nil {
			return out, fmt.Errorf("check the --smtp options: %w", err)
		}
		out.email = smtp
		out.emailVia = fmt.Sprintf("smtp %s (%s)", f.smtpHost, f.smtpTLS)
	} else if f.smtpUser != "" || f.smtpFrom != "" || f.smtpPort != 0 {
		return out, errors.New("the --smtp options need the mail server's --smtp-host")
	}
	if f.smsWebhook != "" {
		u, err := url.Parse(f.smsWebhook)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			return out, errors.New("--sms-webhook: write the gateway's URL as https://host/path")
		case u.Scheme == "http" && !isLoopback(net.JoinHostPort(u.Hostname(), "0")):
			return out, fmt.Errorf("--sms-webhook: use https:// for %s (http:// is only for a gateway on this machine): the requests carry the codes", u.Hostname())
		case len(getenv(envSMSWebhookSecret)) < minWebhookSecretSize:
			return out, fmt.Errorf("--sms-webhook needs the signing secret, at least %d characters, in the environment variable %s (for example from: openssl rand -hex 32)", minWebhookSecretSize, envSMSWebhookSecret)
		}
		out.sms = notify.NewWebhookSender(f.smsWebhook, getenv(envSMSWebhookSecret), nil)
		out.smsVia = "webhook " + u.Scheme + "://" + u.Host
	}
	if f.messagesDir != "" {
		files := notify.NewFileSender(f.messagesDir)
		via := "files in " + f.messagesDir + " (development)"
		if out.email == nil {
			out.email, out.emailVia = files, via
		}
		if out.sms == nil {
			out.sms, out.smsVia = files, via
		}
	}
	return out, nil
}

// serveSecretBox is the server's secret box: from the key options or the
// environment, or, for a demo given neither, from the key file beside
// the database, made when missing. A real server refuses to start
// without a key rather than keep token secrets readable in its database.
func serveSecretBox(keys keyFlags, dbPath string, demo bool, stderr io.Writer) (*server.SecretBox, error) {
	box, err := keys.box(os.Getenv)
	if err != nil || box != nil {
		return box, err
	}
	if !demo || server.IsPostgresURL(dbPath) {
		return nil, errors.New("no server secret key: the token secrets in the database are sealed with it; " + keyHowTo)
	}
	box, err = server.LocalSecretBox(dbPath)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "=== DEMO: the secret key is in %s ===\n", server.LocalKeyFile(dbPath))
	return box, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// isLoopback reports whether a listen address stays on this machine.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printDemo shows the demo accounts, clearly marked as such.
func printDemo(w io.Writer, accounts server.DemoAccounts) {
	fmt.Fprintln(w, "=== DEMO DATA: for trying Selfservice out, never for real use ===")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  username\tpassword\tTOTP secret (SHA1, 6 digits, 30 s)")
	for _, u := range accounts.Users {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Username, u.Password, u.TOTPSecret)
	}
	if len(accounts.Hardware) > 0 {
		fmt.Fprintln(tw, "  hardware token\t\tTOTP secret (SHA1, 6 digits, 30 s)")
		for _, h := range accounts.Hardware {
			fmt.Fprintf(tw, "  %s\t\t%s\n", h.Serial, h.Secret)
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "=== Add the secret to an authenticator app, or run: oathtool --totp -b SECRET ===")
}

// parsePrefixes reads networks such as 10.0.0.0/8; a bare address is a
// network of one.
func parsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range list {
		if addr, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a network such as 10.0.0.0/8", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// capFlags are the daily caps of SMS and email (0: the server's default).
type capFlags struct {
	smsPerUser, emailPerUser, sms, email int
}

func (f *capFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.smsPerUser, "daily-sms-per-user", 0, "most SMS sent for one user in 24 hours (default 10)")
	fs.IntVar(&f.emailPerUser, "daily-email-per-user", 0, "most emails sent for one user in 24 hours (default 20)")
	fs.IntVar(&f.sms, "daily-sms", 0, "most SMS the deployment sends in 24 hours (default 1000)")
	fs.IntVar(&f.email, "daily-email", 0, "most emails the deployment sends in 24 hours (default 10000)")
}

// apply puts the caps into cfg, refusing a negative one.
func (f capFlags) apply(cfg *server.Config) error {
	for name, v := range map[string]int{"--daily-sms-per-user": f.smsPerUser, "--daily-email-per-user": f.emailPerUser,
		"--daily-sms": f.sms, "--daily-email": f.email} {
		if v < 0 {
			return fmt.Errorf("%s is %d; give a number of messages of 1 or more (0 keeps the default)", name, v)
		}
	}
	cfg.DailySMSPerUser, cfg.DailyEmailPerUser, cfg.DailySMS, cfg.DailyEmail = f.smsPerUser, f.emailPerUser, f.sms, f.email
	return nil
}
