package server

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"selfservice/api"
)

// The user's profile: GET and PATCH /account/profile. What may be changed
// is Config.Tenant.Profile: the display name when the organisation
// allows it, the fields it marks editable, and the preferences among the
// languages and date formats it offers (any IANA time zone). A PATCH is
// checked whole first; any refusal names its part and stores nothing.

// getProfile answers GET /account/profile.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivProfileView); err != nil {
		return err
	}
	p, err := s.store.Profile(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.cfg.Tenant.Profile.view(p))
	return nil
}

// updateProfile answers PATCH /account/profile with the changed profile.
func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivProfileUpdate); err != nil {
		return err
	}
	var req api.UpdateProfileRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	tp := s.cfg.Tenant.Profile
	// Every wrong part is named: the form's refusals, then the
	// organisation's for the parts the form passed.
	fields := tp.refusals(req)
	var invalid *api.Error
	if errors.As(req.Validate(), &invalid) {
		maps.Copy(fields, invalid.FieldErrors())
	}
	if len(fields) > 0 {
		return fieldsError(fields, slices.Sorted(maps.Keys(fields))...)
	}
	p, err := s.store.UpdateProfile(r.Context(), c.user.ID, func(p *ProfileRecord) error {
		applyProfile(req, p)
		return nil
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "Profile changed", "user", c.user.ID, "parts", strings.Join(changedParts(req), ","))
	writeJSON(w, http.StatusOK, tp.view(p))
	return nil
}

// view is the profile p as its user sees it: the organisation's fields in
// its order, with their values.
func (tp TenantProfile) view(p ProfileRecord) api.Profile {
	out := api.Profile{
		DisplayName:         p.DisplayName,
		DisplayNameEditable: tp.DisplayNameEditable,
		Fields:              []api.ProfileField{},
		Preferences:         p.Preferences,
		Languages:           tp.languages(),
		DateFormats:         tp.dateFormats(),
	}
	for _, f := range tp.Fields {
		f, _ = tp.field(f.ID)
		out.Fields = append(out.Fields, api.ProfileField{
			ID: f.ID, Label: f.Label, Value: p.Fields[f.ID], Editable: f.Editable, MaxLength: f.MaxLength,
		})
	}
	return out
}

// refusals lists what of req the organisation does not allow, by field
// error key (see api.UpdateProfileRequest).
func (tp TenantProfile) refusals(req api.UpdateProfileRequest) map[string]string {
	fields := map[string]string{}
	if req.DisplayName != nil && !tp.DisplayNameEditable {
		fields["display_name"] = "Your display name is set by your organisation; you cannot change it here."
	}
	for id, value := range req.Fields {
		key := api.ProfileFieldKey(id)
		f, ok := tp.field(id)
		switch {
		case !ok:
			fields[key] = fmt.Sprintf("Your profile has no field %q.", id)
		case !f.Editable:
			fields[key] = fmt.Sprintf("%s is set by your organisation; you cannot change it here.", f.Label)
		case utf8.RuneCountInString(strings.TrimSpace(value)) > f.MaxLength:
			fields[key] = fmt.Sprintf("%s is at most %d characters.", f.Label, f.MaxLength)
		}
	}
	if req.Language != nil && *req.Language != "" && !slices.Contains(tp.languages(), *req.Language) {
		fields["language"] = "Choose one of the languages offered: " + strings.Join(tp.languages(), ", ") + "."
	}
	if req.DateFormat != nil && *req.DateFormat != "" && !slices.Contains(tp.dateFormats(), *req.DateFormat) {
		fields["date_format"] = "Choose one of the date formats offered."
	}
	return fields
}

// applyProfile makes the changes of req, already checked, to p.
func applyProfile(req api.UpdateProfileRequest, p *ProfileRecord) {
	if req.DisplayName != nil {
		p.DisplayName = strings.TrimSpace(*req.DisplayName)
	}
	for id, value := range req.Fields {
		p.Fields[id] = strings.TrimSpace(value)
	}
	if req.Language != nil {
		p.Preferences.Language = *req.Language
	}
	if req.TimeZone != nil {
		p.Preferences.TimeZone = *req.TimeZone
	}
	if req.DateFormat != nil {
		p.Preferences.DateFormat = *req.DateFormat
	}
}

// changedParts names what req changes, for the log: never the values.
func changedParts(req api.UpdateProfileRequest) []string {
	var parts []string
	if req.DisplayName != nil {
		parts = append(parts, "display_name")
	}
	for _, id := range slices.Sorted(maps.Keys(req.Fields)) {
		parts = append(parts, api.ProfileFieldKey(id))
	}
	if req.Language != nil {
		parts = append(parts, "language")
	}
	if req.TimeZone != nil {
		parts = append(parts, "time_zone")
	}
	if req.DateFormat != nil {
		parts = append(parts, "date_format")
	}
	return parts
}

// SetProfileField sets the profile field fieldID of the user username to
// value ("" empties it), for the organisation: any field of tenant,
// editable by the user or not. Its errors say what to fix.
func SetProfileField(ctx context.Context, store Store, tenant Tenant, username, fieldID, value string) error {
	f, ok := tenant.Profile.field(fieldID)
	if !ok {
		var ids []string
		for _, f := range tenant.Profile.Fields {
			ids = append(ids, f.ID)
		}
		if len(ids) == 0 {
			return fmt.Errorf("the configuration has no profile fields; give the one serve reads with --config FILE")
		}
		return fmt.Errorf("the configuration has no profile field %q (it has %s)", fieldID, strings.Join(ids, ", "))
	}
	value = strings.TrimSpace(value)
	req := api.UpdateProfileRequest{Fields: map[string]string{fieldID: value}}
	var invalid *api.Error
	if errors.As(req.Validate(), &invalid) {
		return errors.New(strings.TrimSuffix(invalid.FieldErrors()[api.ProfileFieldKey(fieldID)], "."))
	}
	if utf8.RuneCountInString(value) > f.MaxLength {
		return fmt.Errorf("%s is at most %d characters", f.Label, f.MaxLength)
	}
	u, err := store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("there is no user %q", username)
	}
	if err != nil {
		return err
	}
	_, err = store.UpdateProfile(ctx, u.ID, func(p *ProfileRecord) error {
		p.Fields[fieldID] = value
		return nil
	})
	return err
}
