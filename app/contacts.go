package app

import (
	"context"

	"selfservice/api"
)

// Contacts returns the organisation's contact fields and the user's values.
func (s *Session) Contacts(ctx context.Context) (api.ContactsResponse, error) {
	return call(s, func(b Backend) (api.ContactsResponse, error) { return b.Contacts(ctx) })
}

// SetContact sets the value of field f, checked and normalised for its
// type first (a field error on "value"). For a field with verify the
// answer is the change waiting for the code sent to the new value.
func (s *Session) SetContact(ctx context.Context, f api.ContactField, value string) (api.ContactResponse, error) {
	normalized, err := api.NormalizeContact(f.Type, value)
	if err != nil {
		return api.ContactResponse{}, err
	}
	req := api.SetContactRequest{Value: normalized}
	return call(s, func(b Backend) (api.ContactResponse, error) { return b.SetContact(ctx, f.ID, req) })
}

// DeleteContact removes the value of a field, or, for a locked field,
// sends the code that confirms the removal.
func (s *Session) DeleteContact(ctx context.Context, field string) (api.ContactResponse, error) {
	return call(s, func(b Backend) (api.ContactResponse, error) { return b.DeleteContact(ctx, field) })
}

// ConfirmContact makes the field's waiting change with the code sent.
func (s *Session) ConfirmContact(ctx context.Context, field, otp string) (api.ContactResponse, error) {
	req := api.OTPRequest{OTP: api.NormalizeOTP(otp)}
	if err := req.Validate(); err != nil {
		return api.ContactResponse{}, err
	}
	return call(s, func(b Backend) (api.ContactResponse, error) { return b.ConfirmContact(ctx, field, req) })
}

// PreferContact makes the field's value the preferred channel.
func (s *Session) PreferContact(ctx context.Context, field string) (api.ContactResponse, error) {
	return call(s, func(b Backend) (api.ContactResponse, error) { return b.PreferContact(ctx, field) })
}
