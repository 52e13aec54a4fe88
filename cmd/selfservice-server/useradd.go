package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"selfservice/server"
)

func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stderr io.Writer) error {
	fs := newFlagSet("user add", "selfservice-server user add --db FILE --username NAME [--display-name TEXT] [--role employee] --password-stdin", stderr)
	dbPath := dbFlag(fs)
	username := fs.String("username", "", "the user's sign-in `name`: lower-case letters, digits, '.', '_', '-', '@' (required)")
	displayName := fs.String("display-name", "", "the `name` the app shows (default: the username)")
	role := fs.String("role", server.RoleEmployee, "`role`: "+strings.Join(server.Roles(), " or "))
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if *dbPath == "" {
		return errors.New("user add: give the database file with --db FILE")
	}
	if *username == "" {
		return errors.New("user add: give the user's name with --username NAME")
	}
	if !*passwordStdin {
		return errors.New("user add: pass the password on standard input and add --password-stdin (a password on the command line would be visible to other users and kept in the shell history)")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}

	store, err := server.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := server.AddUser(ctx, store, *username, *displayName, *role, password)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(stderr, "Added user %s (%s) with role %s. They enroll a first token when they sign in.\n", u.Username, u.DisplayName, u.Role)
	return nil
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user add: read the password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("user add: standard input holds no password; write it on the first line")
	}
	return password, nil
}
