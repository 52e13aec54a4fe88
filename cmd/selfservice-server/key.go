package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"selfservice/server"
)

// The server secret key seals the token seeds in the database and
// protects the sent codes. It comes from a file (--secret-key-file) or
// from the environment, never from a command line, which every user of
// the machine can see.
const (
	envSecretKey          = "SELFSERVICE_SECRET_KEY"
	envPreviousSecretKeys = "SELFSERVICE_PREVIOUS_SECRET_KEYS" // comma-separated
)

const (
	keyNewSynopsis    = "selfservice-server key new [--file FILE]"
	keyRotateSynopsis = "selfservice-server key rotate --db FILE --secret-key-file NEW --previous-secret-key-file OLD"
)

// keyHowTo says how to make a key and give it to the server.
const keyHowTo = "make one with: selfservice-server key new --file /etc/selfservice/secret.key " +
	"(or: (umask 077; head -c 32 /dev/urandom | base64 > /etc/selfservice/secret.key)), " +
	"then give --secret-key-file /etc/selfservice/secret.key, or put the key in the environment variable " + envSecretKey +
	"; keep a backup of it: without it the tokens' secrets cannot be read"

// keyFlags are the options that give the server secret key and the
// previous keys it still reads with.
type keyFlags struct {
	file     string
	previous []string
}

func (f *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "secret-key-file", "", "`file` with the server secret key (32 random bytes in base64 or hex, mode 0600); default the environment variable "+envSecretKey)
	fs.Func("previous-secret-key-file", "`file` with a previous secret key, still read while keys are rotated (repeatable); also the environment variable "+envPreviousSecretKeys+" (comma-separated keys)",
		func(path string) error {
			f.previous = append(f.previous, path)
			return nil
		})
}

// box builds the secret box the options and the environment (read with
// getenv) give; nil, and no error, when they give no key at all.
func (f keyFlags) box(getenv func(string) string) (*server.SecretBox, error) {
	var current server.SecretKey
	var err error
	switch env := getenv(envSecretKey); {
	case f.file != "" && env != "":
		return nil, fmt.Errorf("give the secret key either with --secret-key-file or in %s, not both", envSecretKey)
	case f.file != "":
		current, err = server.LoadSecretKeyFile(f.file)
	case env != "":
		current, err = server.ParseSecretKey(env)
		if err != nil {
			err = fmt.Errorf("%s: %w", envSecretKey, err)
		}
	default:
		if len(f.previous) > 0 || getenv(envPreviousSecretKeys) != "" {
			return nil, errors.New("previous secret keys are given, but no current one; give it with --secret-key-file")
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var previous []server.SecretKey
	for _, path := range f.previous {
		k, err := server.LoadSecretKeyFile(path)
		if err != nil {
			return nil, fmt.Errorf("--previous-secret-key-file: %w", err)
		}
		previous = append(previous, k)
	}
	for _, text := range splitList(getenv(envPreviousSecretKeys)) {
		k, err := server.ParseSecretKey(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", envPreviousSecretKeys, err)
		}
		previous = append(previous, k)
	}
	return server.NewSecretBox(current, previous...)
}

// openExisting opens the existing database of a command that reads or
// writes token secrets, with the key, which it cannot do without.
func (f keyFlags) openExisting(ctx context.Context, command, path string, getenv func(string) string) (*server.SQLStore, *server.SecretBox, error) {
	box, err := f.box(getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", command, err)
	}
	if box == nil {
		return nil, nil, fmt.Errorf("%s needs the server secret key, which seals the token secrets; give --secret-key-file FILE or set %s", command, envSecretKey)
	}
	store, err := openExisting(ctx, command, path, server.WithSecretBox(box))
	return store, box, err
}

// runKey runs "key new" and "key rotate".
func runKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch {
		case args[0] == "new":
			return runKeyNew(args[1:], stdout, stderr)
		case args[0] == "rotate":
			return runKeyRotate(ctx, args[1:], getenv, stdout, stderr)
		case isHelp(args[0]):
			io.WriteString(stderr, usage)
			return nil
		}
	}
	return errors.New(`name a key command: "key new" or "key rotate"; run "selfservice-server --help" for details`)
}

// runKeyNew makes a new secret key: into a new file of mode 0600, or
// onto stdout for a secret store or the environment.
func runKeyNew(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("key new", keyNewSynopsis, stderr)
	file := fs.String("file", "", "write the key into this new `file`, mode 0600, instead of printing it")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if *file == "" {
		k := server.NewSecretKey()
		fmt.Fprintln(stdout, k.Encode())
		fmt.Fprintf(stderr, "Made secret key %s. Keep it where only the server's user can read it.\n", k.ID())
		return nil
	}
	k, err := server.CreateSecretKeyFile(*file)
	if err != nil {
		return fmt.Errorf("key new: %w", err)
	}
	fmt.Fprintf(stderr, "Made secret key %s in %s (mode 0600). Keep a backup of it: without it the tokens' secrets cannot be read.\n", k.ID(), *file)
	return nil
}

// runKeyRotate seals every token secret again under the current key, so
// that the previous keys can be dropped.
func runKeyRotate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("key rotate", keyRotateSynopsis, stderr)
	dbPath := dbFlag(fs)
	var keys keyFlags
	keys.register(fs)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	store, box, err := keys.openExisting(ctx, "key rotate", *dbPath, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.ResealSecrets(ctx)
	if err != nil {
		return fmt.Errorf("key rotate: %w; nothing was changed", err)
	}
	fmt.Fprintf(stdout, "Sealed %d token secret(s) again with key %s; every token secret is sealed with it now.\n", n, box.CurrentKeyID())
	if ids := box.KeyIDs()[1:]; len(ids) > 0 {
		fmt.Fprintf(stdout, "The previous key(s) %s are no longer needed to read them; remove them from the server's configuration once the codes sent before the rotation have expired.\n", strings.Join(ids, ", "))
	}
	return nil
}
