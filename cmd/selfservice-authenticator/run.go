package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"selfservice/api"
	"selfservice/authenticator"
)

const usage = `Selfservice Authenticator for the command line: stands in for the app on
your phone.

Usage:
  selfservice-authenticator [--state FILE] provision URI [--name NAME]
  selfservice-authenticator [--state FILE] status
  selfservice-authenticator [--state FILE] pending
  selfservice-authenticator [--state FILE] approve ID [--number N]
  selfservice-authenticator [--state FILE] deny ID
  selfservice-authenticator [--state FILE] scan URI [--deny]

Commands:
  provision  Set the authenticator up with the link of the QR code the
             Selfservice app on your computer shows when you add the
             "Authenticator app with push" (selfservice-push://provision?...),
             or the link an email or SMS brought. --name names this device
             (default: the computer's name). The device key is kept in the
             state file, readable by you only.
  status     Show whom the authenticator is set up for, and whether the
             server still knows it.
  pending    List the requests waiting for your answer: sign-ins, step-ups
             and tests started on the computer, with the app and address
             each came from and the numbers to pick from.
  approve    Confirm a waiting request by its ID (from pending). A sign-in
             or step-up shows a number on the computer: give it with
             --number; a wrong number refuses the request.
  deny       Refuse a waiting request by its ID.
  scan       Sign in on the computer without a password: give the link of
             the QR code it shows (selfservice-push://login?...). --deny
             refuses that sign-in instead.

A URI of "-" is read from standard input, for example from a QR code reader:
  zbarimg --raw -q qr.png | selfservice-authenticator provision -

--state defaults to selfservice-authenticator/device.json in your
configuration directory; use one file per simulated phone.
`

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line is wrong
)

// run is the whole program: it parses args, runs the command and returns
// the exit code. Results go to stdout, errors (saying what to do) to
// stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("selfservice-authenticator", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	state := global.String("state", "", "")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, usage)
			return exitOK
		}
		return usageError(stderr, err.Error())
	}
	if global.NArg() == 0 {
		return usageError(stderr, "name a command: provision, status, pending, approve, deny or scan")
	}
	cmd, rest := global.Arg(0), global.Args()[1:]
	if cmd == "help" || slices.ContainsFunc(rest, isHelp) {
		io.WriteString(stdout, usage)
		return exitOK
	}
	if *state == "" {
		var err error
		if *state, err = defaultStatePath(); err != nil {
			return fail(stderr, err)
		}
	}
	c := &command{ctx: ctx, state: *state, stdin: stdin, stdout: stdout}
	var err error
	switch cmd {
	case "provision":
		err = c.provision(rest)
	case "status":
		err = c.status(rest)
	case "pending":
		err = c.pending(rest)
	case "approve":
		err = c.answer(rest, api.PushApprove)
	case "deny":
		err = c.answer(rest, api.PushDeny)
	case "scan":
		err = c.scan(rest)
	default:
		return usageError(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
	var bad usageErr
	switch {
	case errors.As(err, &bad):
		return usageError(stderr, string(bad))
	case err != nil:
		return fail(stderr, err)
	}
	return exitOK
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

// usageErr is a wrong command line.
type usageErr string

func (e usageErr) Error() string { return string(e) }

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "selfservice-authenticator: %s\nRun \"selfservice-authenticator --help\" for the commands.\n", msg)
	return exitUsage
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "selfservice-authenticator: %s\n", describe(err))
	return exitError
}

// defaultStatePath is the state file in the user's configuration
// directory.
func defaultStatePath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no configuration directory to keep the authenticator in (%v); give a file with --state FILE", err)
	}
	return filepath.Join(dir, "selfservice-authenticator", "device.json"), nil
}

// command is one run of a command.
type command struct {
	ctx    context.Context
	state  string
	stdin  io.Reader
	stdout io.Writer
}

// parseArgs parses a command's arguments: exactly want positional ones,
// with flags before, between or after them.
func parseArgs(fs *flag.FlagSet, args []string, want int, what string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr(fs.Name() + ": " + err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != want {
		return nil, usageErr(fs.Name() + ": give " + what)
	}
	return positional, nil
}

// uri returns arg, or the first line of standard input for "-".
func (c *command) uri(arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("nothing to read on standard input: give the link as an argument, or pipe it in")
	}
	return strings.TrimSpace(line), nil
}

func (c *command) provision(args []string) error {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	name := fs.String("name", "", "")
	pos, err := parseArgs(fs, args, 1, "the link of the set-up QR code: provision URI [--name NAME]")
	if err != nil {
		return err
	}
	if d, err := authenticator.Load(c.state); err == nil {
		return fmt.Errorf("this authenticator is already set up for %s on %s (%s). Use another file with --state, or delete that one first", d.Username, d.ServerURL, c.state)
	}
	uri, err := c.uri(pos[0])
	if err != nil {
		return err
	}
	if *name == "" {
		*name = defaultDeviceName()
	}
	d, err := authenticator.Provision(c.ctx, uri, *name)
	if err != nil {
		return err
	}
	if err := d.Save(c.state); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Set up for %s on %s (token %s, device %q).\nSaved to %s.\n", d.Username, d.ServerURL, d.Label, *name, c.state)
	return nil
}

// defaultDeviceName names the device after the computer.
func defaultDeviceName() string {
	if host, err := os.Hostname(); err == nil && host != "" {
		return host
	}
	return "Selfservice Authenticator"
}

func (c *command) status(args []string) error {
	if _, err := parseArgs(flag.NewFlagSet("status", flag.ContinueOnError), args, 0, "no arguments"); err != nil {
		return err
	}
	d, err := authenticator.Load(c.state)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Set up for %s on %s (token %s).\n", d.Username, d.ServerURL, d.Label)
	pending, err := d.Pending(c.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "The server knows this device; %s.\n", waiting(len(pending)))
	return nil
}

func waiting(n int) string {
	switch n {
	case 0:
		return "no requests are waiting"
	case 1:
		return "1 request is waiting"
	}
	return fmt.Sprintf("%d requests are waiting", n)
}

func (c *command) pending(args []string) error {
	if _, err := parseArgs(flag.NewFlagSet("pending", flag.ContinueOnError), args, 0, "no arguments"); err != nil {
		return err
	}
	d, err := authenticator.Load(c.state)
	if err != nil {
		return err
	}
	pending, err := d.Pending(c.ctx)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		fmt.Fprintln(c.stdout, "No requests are waiting.")
		return nil
	}
	now := time.Now()
	numbered := false
	for _, req := range pending {
		left := req.ExpiresAt.Sub(now).Round(time.Second)
		fmt.Fprintf(c.stdout, "%s  %s  (%s, %s left)\n", req.ID, req.Summary, req.Kind, max(left, 0))
		if from := requestContext(req); from != "" {
			fmt.Fprintf(c.stdout, "    %s\n", from)
		}
		if len(req.Choices) > 0 {
			numbered = true
			fmt.Fprintf(c.stdout, "    Pick the number the computer shows: %s\n", strings.Trim(fmt.Sprint(req.Choices), "[]"))
		}
	}
	if numbered {
		fmt.Fprintln(c.stdout, "Answer with: selfservice-authenticator approve ID --number N, or deny ID.")
	} else {
		fmt.Fprintln(c.stdout, "Answer with: selfservice-authenticator approve ID, or deny ID.")
	}
	return nil
}

// requestContext says where and when a request was started: the app and
// computer it named, its address, the time.
func requestContext(req api.PushRequest) string {
	var parts []string
	if req.Device != "" {
		parts = append(parts, "from "+req.Device)
	}
	if req.IP != "" {
		parts = append(parts, "at "+req.IP)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " ") + ", " + req.CreatedAt.Local().Format("15:04:05")
}

func (c *command) answer(args []string, decision string) error {
	fs := flag.NewFlagSet(decisionVerb(decision), flag.ContinueOnError)
	number := fs.Int("number", 0, "")
	pos, err := parseArgs(fs, args, 1, "the ID of a waiting request (see pending)")
	if err != nil {
		return err
	}
	d, err := authenticator.Load(c.state)
	if err != nil {
		return err
	}
	req, err := d.AnswerByID(c.ctx, pos[0], decision, *number)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s: %s\n", decisionPast(decision), req.Summary)
	return nil
}

func (c *command) scan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	deny := fs.Bool("deny", false, "")
	pos, err := parseArgs(fs, args, 1, "the link of the sign-in QR code: scan URI [--deny]")
	if err != nil {
		return err
	}
	d, err := authenticator.Load(c.state)
	if err != nil {
		return err
	}
	uri, err := c.uri(pos[0])
	if err != nil {
		return err
	}
	decision := api.PushApprove
	if *deny {
		decision = api.PushDeny
	}
	if err := d.ScanLogin(c.ctx, uri, decision); err != nil {
		return err
	}
	if *deny {
		fmt.Fprintln(c.stdout, "Denied: the sign-in on the computer.")
	} else {
		fmt.Fprintf(c.stdout, "Approved: Sign in as %s on the computer.\n", d.Username)
	}
	return nil
}

func decisionVerb(decision string) string {
	if decision == api.PushDeny {
		return "deny"
	}
	return "approve"
}

func decisionPast(decision string) string {
	if decision == api.PushDeny {
		return "Denied"
	}
	return "Approved"
}

// describe says what went wrong and what to do about it.
func describe(err error) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	switch e.Code {
	case api.CodeProvisioningInvalid:
		return "the QR code expired or was already used: ask the desktop for a new one."
	case api.CodeDeviceInvalid:
		return "the server no longer knows this authenticator: its token was disabled or deleted. Set it up again with a new QR code from the desktop."
	case api.CodePushExpired:
		return "the request expired before you answered: start again on the computer."
	case api.CodeInvalidState:
		return "the request was already answered."
	case api.CodeNotFound:
		return "there is no such request for this authenticator: list the waiting ones with pending."
	case api.CodeUnreachable:
		return "the server cannot be reached: check the network, and that the server runs. (" + e.Error() + ")"
	case api.CodeInvalidRequest:
		if msg := e.FieldErrors()["timestamp"]; msg != "" {
			return "this computer's clock is more than 5 minutes off the server's: set the right time and try again."
		}
		if msg := e.FieldErrors()["number"]; msg != "" {
			return msg
		}
	}
	return e.Error()
}
