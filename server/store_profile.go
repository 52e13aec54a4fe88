package server

import (
	"context"

	"selfservice/api"
)

// ProfileStore keeps the users' profiles: the display name, the values
// of the organisation's profile fields and the preferences.
type ProfileStore interface {
	// Profile returns a user's profile, or ErrNotFound.
	Profile(ctx context.Context, userID string) (ProfileRecord, error)
	// UpdateProfile loads a user's profile, calls change with it, and
	// saves what change left: the display name, the preferences and the
	// field values (an empty value is removed). When change fails
	// nothing is saved and its error is returned. ErrNotFound as for
	// Profile.
	UpdateProfile(ctx context.Context, userID string, change func(p *ProfileRecord) error) (ProfileRecord, error)
}

// ProfileRecord is a stored profile. Fields maps the IDs of the
// organisation's profile fields to their values; a field without a value
// is absent. Values of fields the organisation no longer has are kept
// (they come back if it adds the field again) but never shown.
type ProfileRecord struct {
	DisplayName string
	Preferences api.Preferences
	Fields      map[string]string
}
