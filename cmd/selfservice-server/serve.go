package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"text/tabwriter"

	"selfservice/server"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", "selfservice-server serve --db FILE [--listen 127.0.0.1:8443] [--tls-cert FILE --tls-key FILE] [--insecure-http] [--rp-id ID] [--rp-origin URL[,URL]] [--demo [--demo-approvals]]", stderr)
	dbPath := fs.String("db", "", "SQLite database `file`; created when missing (required)")
	listen := fs.String("listen", "127.0.0.1:8443", "`address` to listen on, host:port")
	tlsCert := fs.String("tls-cert", "", "TLS certificate `file` (PEM); serve HTTPS with --tls-key")
	tlsKey := fs.String("tls-key", "", "TLS private key `file` (PEM)")
	insecure := fs.Bool("insecure-http", false, "allow plain HTTP on a non-loopback address (only behind a proxy that terminates TLS)")
	rpID := fs.String("rp-id", server.DefaultRPID, "WebAuthn relying party `ID`: the domain security keys bind their credentials to")
	rpOrigins := fs.String("rp-origin", "", "allowed WebAuthn `origins`, comma-separated, such as https://example.com,https://login.example.com:8443 (default https://ID)")
	demo := fs.Bool("demo", false, "add the demo accounts and print their passwords and token secrets")
	demoApprovals := fs.Bool("demo-approvals", false, "with --demo: add the demo's approval policies (step-up for token enroll, disable and delete; the helpdesk user approves enrolling an HOTP token)")
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
	cfg := server.Config{RPID: *rpID, RPOrigins: splitList(*rpOrigins)}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("serve: check --rp-id and --rp-origin: %w", err)
	}

	store, err := server.OpenSQLite(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if *demo {
		accounts, err := server.SeedDemo(ctx, store)
		if err != nil {
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
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = logger
	srv := server.New(store, cfg)
	logger.Info("Selfservice API listening", "url", scheme+"://"+ln.Addr().String()+"/api/v1",
		"rp_id", srv.RPID(), "rp_origins", strings.Join(srv.RPOrigins(), ","))
	h := srv.Handler()
	if err := server.Serve(ctx, ln, h, *tlsCert, *tlsKey); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("Selfservice API stopped")
	return nil
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
	tw.Flush()
	fmt.Fprintln(w, "=== Add the secret to an authenticator app, or run: oathtool --totp -b SECRET ===")
}
