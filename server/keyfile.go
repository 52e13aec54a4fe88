package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
)

// Files that hold secrets (the key file, the database and its -wal and
// -shm files) are private to the server's user: mode 0600.

const privateMode fs.FileMode = 0o600

// maxKeyFileSize bounds what LoadSecretKeyFile reads: a key in hex with a
// newline is 65 bytes.
const maxKeyFileSize = 1 << 10

// LocalKeyFile is where the secret key of the database at dbPath is kept
// when the server makes one itself (StartLocal, serve --demo): beside the
// database, named after it.
func LocalKeyFile(dbPath string) string {
	return dbPath + ".key"
}

// LoadSecretKeyFile reads the key file at path. It refuses a file that
// its group or others may read or write: the key opens every token seed.
func LoadSecretKeyFile(path string) (SecretKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return SecretKey{}, fmt.Errorf("secret key file %s is not a regular file", path)
	}
	if loose(info.Mode()) {
		return SecretKey{}, fmt.Errorf("secret key file %s can be read by other users (mode %04o); make it private with: chmod 600 %s",
			path, info.Mode().Perm(), path)
	}
	text, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize))
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key file: %w", err)
	}
	k, err := ParseSecretKey(string(text))
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key file %s: %w", path, err)
	}
	return k, nil
}

// CreateSecretKeyFile writes a new random key to a new file at path, mode
// 0600, and returns it; it never replaces a file.
func CreateSecretKeyFile(path string) (SecretKey, error) {
	k := NewSecretKey()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if err != nil {
		return SecretKey{}, fmt.Errorf("create the secret key file: %w", err)
	}
	_, err = io.WriteString(f, k.Encode()+"\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return SecretKey{}, fmt.Errorf("write the secret key file: %w", err)
	}
	return k, nil
}

// EnsureSecretKeyFile loads the key file at path, first creating it with
// a new key when there is none (created reports that).
func EnsureSecretKeyFile(path string) (k SecretKey, created bool, err error) {
	k, err = CreateSecretKeyFile(path)
	if err == nil {
		return k, true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return k, false, err
	}
	k, err = LoadSecretKeyFile(path)
	return k, false, err
}

// loose reports whether a file's group or others have any access to it.
// Windows has no such mode bits (its files inherit their folder's ACL).
func loose(mode fs.FileMode) bool {
	return runtime.GOOS != "windows" && mode.Perm()&0o077 != 0
}

// makePrivate creates the file at path with mode 0600 when create is set
// and there is none, and takes the group's and others' access away from
// one that has it, with a warning.
func makePrivate(path string, create bool, log *slog.Logger) error {
	if create {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateMode)
		if err == nil {
			return f.Close()
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !loose(info.Mode()) {
		return nil
	}
	log.Warn("Database file could be read by other users; making it private (mode 0600)", "file", path, "mode", fmt.Sprintf("%04o", info.Mode().Perm()))
	return os.Chmod(path, info.Mode().Perm()&^0o077)
}
