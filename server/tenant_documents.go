package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"selfservice/api"
)

// TenantDocuments is the documents section of the organisation's
// configuration: the types of document users may upload, the limits, and
// where the content is kept. Metadata is always in the database; the
// content goes there too ("database", the default: chunks of 256 KiB, so
// that backups and several servers need nothing else) or into files in a
// directory ("directory": keeps large files out of the database; several
// servers must then share the directory).
type TenantDocuments struct {
	Types      []api.DocumentType `json:"types"`
	MaxSizeMB  int                `json:"max_size_mb"`  // of one file, default 10
	MaxPerUser int                `json:"max_per_user"` // documents of one user, default 50
	Storage    string             `json:"storage"`      // "database" (default) or "directory"
	Directory  string             `json:"directory"`    // an absolute path, with storage "directory"
}

// Where the content of documents is kept.
const (
	StorageDatabase  = "database"
	StorageDirectory = "directory"
)

// Bounds of the documents section.
const (
	defaultDocumentMaxMB    = 10
	maxDocumentMaxMB        = 1024
	defaultDocumentsPerUser = 50
	maxDocumentsPerUser     = 10_000
	maxDocumentTypes        = 100
)

// documentTypeID is the form of a type's id: it goes into URLs and files.
var documentTypeID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// check lists what is wrong with the section, each naming its field.
// A directory must exist and be writable now: a server that could not
// store a file would only find out at the first upload.
func (d TenantDocuments) check() error {
	var errs []error
	if len(d.Types) > maxDocumentTypes {
		errs = append(errs, fmt.Errorf("documents.types: at most %d", maxDocumentTypes))
	}
	seen := map[string]bool{}
	for i, t := range d.Types {
		where := fmt.Sprintf("documents.types[%d]", i)
		switch {
		case !documentTypeID.MatchString(t.ID):
			errs = append(errs, fmt.Errorf("%s.id: %q is not an id: 1 to 40 of a-z, 0-9, _ and -, starting with a letter or digit", where, t.ID))
		case seen[t.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is listed twice", where, t.ID))
		}
		seen[t.ID] = true
		if strings.TrimSpace(t.Name) == "" || utf8.RuneCountInString(t.Name) > 100 {
			errs = append(errs, fmt.Errorf("%s.name: give a name of 1 to 100 characters", where))
		}
	}
	if d.MaxSizeMB < 0 || d.MaxSizeMB > maxDocumentMaxMB {
		errs = append(errs, fmt.Errorf("documents.max_size_mb: 1 to %d (0: the default, %d)", maxDocumentMaxMB, defaultDocumentMaxMB))
	}
	if d.MaxPerUser < 0 || d.MaxPerUser > maxDocumentsPerUser {
		errs = append(errs, fmt.Errorf("documents.max_per_user: 1 to %d (0: the default, %d)", maxDocumentsPerUser, defaultDocumentsPerUser))
	}
	switch d.Storage {
	case "", StorageDatabase:
		if d.Directory != "" {
			errs = append(errs, errors.New(`documents.directory: only with "storage": "directory"`))
		}
	case StorageDirectory:
		if err := checkDocumentDirectory(d.Directory); err != nil {
			errs = append(errs, fmt.Errorf("documents.directory: %w", err))
		}
	default:
		errs = append(errs, fmt.Errorf(`documents.storage: %q is neither "database" nor "directory"`, d.Storage))
	}
	return errors.Join(errs...)
}

// checkDocumentDirectory checks that dir is an absolute path of a
// directory the server can write to, by writing a file there.
func checkDocumentDirectory(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("%q is not an absolute path", dir)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%q cannot be used: %w (create it first, writable by the server only)", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%q is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("the server cannot write to %q: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// isZero reports whether the section configures nothing.
func (d TenantDocuments) isZero() bool {
	return len(d.Types) == 0 && d.MaxSizeMB == 0 && d.MaxPerUser == 0 && d.Storage == "" && d.Directory == ""
}

// maxBytes is the largest file a user may upload.
func (d TenantDocuments) maxBytes() int64 {
	mb := d.MaxSizeMB
	if mb == 0 {
		mb = defaultDocumentMaxMB
	}
	return int64(mb) << 20
}

// maxPerUser is how many documents a user may keep.
func (d TenantDocuments) maxPerUser() int {
	if d.MaxPerUser == 0 {
		return defaultDocumentsPerUser
	}
	return d.MaxPerUser
}

// storage is where new documents' content goes.
func (d TenantDocuments) storage() string {
	if d.Storage == "" {
		return StorageDatabase
	}
	return d.Storage
}

// typeName is the name of the type id, or id when it is no longer listed.
func (d TenantDocuments) typeName(id string) (string, bool) {
	for _, t := range d.Types {
		if t.ID == id {
			return t.Name, true
		}
	}
	return id, false
}
