package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"selfservice/api"
	"selfservice/server/notify"
)

// Contact details: the fields are Config.Tenant.ContactFields. A change
// is approvable (contact.update; target: the field). A field with verify
// takes a new value only once the code sent to that value is confirmed;
// until then the old value stays. A locked field's value is removed only
// with the code sent to it. A field with notify tells the old and the new
// address of a change. The SMS and email sign-in methods on a value that
// changes follow it to the new, verified, value.

// listContacts answers GET /account/contacts.
func (s *Server) listContacts(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInfoView); err != nil {
		return err
	}
	out, err := s.contacts(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// contacts are the user's contact details: the fields, the values of
// fields that still exist, and the changes whose code still works.
func (s *Server) contacts(ctx context.Context, userID string) (api.ContactsResponse, error) {
	out := api.ContactsResponse{Fields: slices.Clone(s.cfg.Tenant.ContactFields), Values: []api.ContactValue{}}
	if out.Fields == nil {
		out.Fields = []api.ContactField{}
	}
	values, err := s.store.Contacts(ctx, userID)
	if err != nil {
		return out, err
	}
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return out, err
	}
	for _, v := range values {
		f, ok := s.cfg.Tenant.contactField(v.FieldID)
		if !ok {
			continue // a field the organisation no longer has
		}
		out.Values = append(out.Values, apiContact(f, v, tokens))
	}
	changes, err := s.store.ContactChanges(ctx, userID)
	if err != nil {
		return out, err
	}
	for _, ch := range changes {
		if f, ok := s.cfg.Tenant.contactField(ch.FieldID); ok && s.now().Before(ch.ExpiresAt) {
			out.Change = append(out.Change, s.apiChange(f, ch))
		}
	}
	return out, nil
}

func apiContact(f api.ContactField, v ContactRecord, tokens []TokenRecord) api.ContactValue {
	out := api.ContactValue{Field: v.FieldID, Value: v.Value, Verified: !v.VerifiedAt.IsZero(), Preferred: v.Preferred, UpdatedAt: v.UpdatedAt}
	for _, t := range onAddress(tokens, f.Type.Channel(), v.Value) {
		out.UsedBy = append(out.UsedBy, t.Label)
	}
	return out
}

func (s *Server) apiChange(f api.ContactField, ch ContactChangeRecord) api.ContactChange {
	out := api.ContactChange{Field: ch.FieldID, Remove: ch.Remove, Delivery: api.CodeDelivery{
		Channel:   f.Type.Channel(),
		SentTo:    api.MaskAddress(f.Type.Channel(), ch.SentTo),
		ExpiresAt: ch.ExpiresAt,
		ResendAt:  ch.SentAt.Add(s.cfg.CodeResend),
	}}
	if !ch.Remove {
		out.Value = ch.Value
	}
	return out
}

// onAddress are the SMS or email tokens (not OBSOLETE) whose codes go to
// address on channel.
func onAddress(tokens []TokenRecord, channel, address string) []TokenRecord {
	var out []TokenRecord
	for _, t := range tokens {
		if channel != "" && t.Type.Channel() == channel && t.Address == address && t.Status != api.StatusObsolete {
			out = append(out, t)
		}
	}
	return out
}

// setContact answers PUT /account/contacts/{field}: it stores the new
// value, or, for a field with verify, sends a code to it and stores it
// once confirmed (confirmContact).
func (s *Server) setContact(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	f, err := updatableField(r, c, s.cfg.Tenant)
	if err != nil {
		return err
	}
	var req api.SetContactRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	value, err := api.NormalizeContact(f.Type, req.Value)
	if err != nil {
		return err
	}
	current, found, err := s.contactValue(ctx, c.user.ID, f.ID)
	if err != nil {
		return err
	}
	if found && current.Value == value && (!f.Verify || !current.VerifiedAt.IsZero()) {
		return api.FieldError(map[string]string{"value": "This is the value already."})
	}
	if f.Verify {
		underway, err := s.contactUnderway(ctx, c.user.ID, f.ID, value, false)
		if err != nil {
			return err
		}
		if underway {
			return s.sendContactCode(w, ctx, c, f, grant{}, ContactChangeRecord{UserID: c.user.ID, FieldID: f.ID, Value: value, SentTo: value})
		}
	}
	g, sent, err := s.authorize(w, r, c, contactAction(f, map[string]string{"value": value}))
	if err != nil || sent {
		return err
	}
	if f.Verify {
		return s.sendContactCode(w, ctx, c, f, g, ContactChangeRecord{UserID: c.user.ID, FieldID: f.ID, Value: value, SentTo: value})
	}
	rec := ContactRecord{UserID: c.user.ID, FieldID: f.ID, Value: value, UpdatedAt: s.now()}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		return s.storeContact(ctx, tx, c.user, f, current, found, rec)
	})
	if err != nil {
		return err
	}
	return s.answerContact(w, ctx, c.user.ID, f.ID)
}

// deleteContact answers DELETE /account/contacts/{field}. A mandatory
// value stays; a locked one goes once the code sent to it is confirmed;
// a value that receives a sign-in method's codes stays until the method
// moves or is deleted.
func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	f, err := updatableField(r, c, s.cfg.Tenant)
	if err != nil {
		return err
	}
	if f.Mandatory {
		return apiError(api.CodeInvalidState, fmt.Sprintf("Your organisation requires your %s: change it instead of removing it.", f.Label))
	}
	current, found, err := s.contactValue(ctx, c.user.ID, f.ID)
	if err != nil {
		return err
	}
	if !found {
		return apiError(api.CodeNotFound, fmt.Sprintf("You have no %s to remove. Reload your contact details.", f.Label))
	}
	if err := s.checkNotInUse(ctx, c.user.ID, f, current.Value); err != nil {
		return err
	}
	if f.Locked {
		underway, err := s.contactUnderway(ctx, c.user.ID, f.ID, current.Value, true)
		if err != nil {
			return err
		}
		if underway {
			return s.sendContactCode(w, ctx, c, f, grant{}, ContactChangeRecord{UserID: c.user.ID, FieldID: f.ID, Value: current.Value, Remove: true, SentTo: current.Value})
		}
	}
	g, sent, err := s.authorize(w, r, c, contactAction(f, map[string]string{"remove": "true"}))
	if err != nil || sent {
		return err
	}
	if f.Locked {
		return s.sendContactCode(w, ctx, c, f, g, ContactChangeRecord{UserID: c.user.ID, FieldID: f.ID, Value: current.Value, Remove: true, SentTo: current.Value})
	}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		return s.removeContact(ctx, tx, c.user, f, current)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ContactResponse{Removed: true})
	return nil
}

// confirmContact answers POST /account/contacts/{field}/confirm: the code
// sent for the field's waiting change makes it. A wrong code counts; after
// MaxFailures the change needs a new code.
func (s *Server) confirmContact(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	f, err := updatableField(r, c, s.cfg.Tenant)
	if err != nil {
		return err
	}
	var req api.OTPRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.OTP = api.NormalizeOTP(req.OTP)
	if req.OTP == "" {
		return api.FieldError(map[string]string{"otp": "Enter the code we sent."})
	}
	if err := req.Validate(); err != nil {
		return err
	}
	right := false
	var change ContactChangeRecord
	err = s.store.Atomically(ctx, func(tx Store) error {
		var err error
		change, err = tx.ContactChange(ctx, c.user.ID, f.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			return errNoCodeSent()
		case err != nil:
			return err
		case !s.now().Before(change.ExpiresAt):
			return errCodeExpired()
		case change.Failures >= s.cfg.MaxFailures:
			return errCodeTriedOut()
		}
		right = s.cfg.Secrets.CheckCodeMAC(change.CodeHash, contactCodeMessage(change, req.OTP))
		if !right {
			return nil
		}
		if err := tx.DeleteContactChange(ctx, c.user.ID, f.ID); err != nil {
			return err
		}
		current, found, err := contactIn(ctx, tx, c.user.ID, f.ID)
		if err != nil {
			return err
		}
		if change.Remove {
			if !found || current.Value != change.Value {
				return errNoCodeSent() // the value changed since the code was sent
			}
			return s.removeContact(ctx, tx, c.user, f, current)
		}
		now := s.now()
		return s.storeContact(ctx, tx, c.user, f, current, found,
			ContactRecord{UserID: c.user.ID, FieldID: f.ID, Value: change.Value, VerifiedAt: now, UpdatedAt: now})
	})
	if err != nil {
		return err
	}
	if !right {
		if err := s.store.CountContactFailure(ctx, c.user.ID, f.ID); err != nil {
			return err
		}
		return errSentCodeInvalid()
	}
	if change.Remove {
		writeJSON(w, http.StatusOK, api.ContactResponse{Removed: true})
		return nil
	}
	return s.answerContact(w, ctx, c.user.ID, f.ID)
}

// preferContact answers POST /account/contacts/{field}/preferred: the
// value becomes the user's preferred channel. Only a verified email
// address or phone number can be.
func (s *Server) preferContact(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	f, err := updatableField(r, c, s.cfg.Tenant)
	if err != nil {
		return err
	}
	if f.Type == api.ContactText {
		return apiError(api.CodeNotSupported, fmt.Sprintf("Nothing can be sent to your %s: choose an email address or a phone number.", f.Label))
	}
	current, found, err := s.contactValue(ctx, c.user.ID, f.ID)
	if err != nil {
		return err
	}
	if !found || (f.Verify && current.VerifiedAt.IsZero()) {
		return apiError(api.CodeInvalidState, fmt.Sprintf("Add and confirm your %s first.", f.Label))
	}
	if err := s.store.SetPreferredContact(ctx, c.user.ID, f.ID); err != nil {
		return err
	}
	return s.answerContact(w, ctx, c.user.ID, f.ID)
}

// contactAction is the approvable change of field f.
func contactAction(f api.ContactField, params map[string]string) approvable {
	return approvable{op: api.OpContactUpdate, target: f.ID, label: f.Label, params: params}
}

// sendContactCode consumes g, stores the change and sends its code to
// change.SentTo, in one transaction, and answers with the change.
func (s *Server) sendContactCode(w http.ResponseWriter, ctx context.Context, c *caller, f api.ContactField, g grant, change ContactChangeRecord) error {
	channel := f.Type.Channel()
	if !s.canSend(channel) {
		return errDeliveryUnavailable(channel)
	}
	code := newSentCode(s.cfg.CodeDigits)
	now := s.now()
	change.SentAt, change.ExpiresAt = now, now.Add(s.cfg.CodeTTL)
	change.CodeHash = s.cfg.Secrets.CodeMAC(contactCodeMessage(change, code))
	err := s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		if err := s.checkRecipient(ctx, tx, channel, change.SentTo); err != nil {
			return err
		}
		if err := tx.SaveContactChange(ctx, change); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, c.user.ID, s.codeMessage(channel, change.SentTo, code, purposeAddress), change.ExpiresAt)
	})
	if err != nil {
		return err
	}
	pending := s.apiChange(f, change)
	writeJSON(w, http.StatusOK, api.ContactResponse{Pending: &pending})
	return nil
}

// contactUnderway reports whether the same change of the field (value,
// or its removal) waits for its code; sending that code again needs no
// new approval. It fails with resend_too_soon while the field's last
// code is younger than CodeResend, whatever change it was for.
func (s *Server) contactUnderway(ctx context.Context, userID, fieldID, value string, remove bool) (bool, error) {
	ch, err := s.store.ContactChange(ctx, userID, fieldID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if wait := ch.SentAt.Add(s.cfg.CodeResend).Sub(s.now()); wait > 0 {
		return false, errResendTooSoon(wait)
	}
	return ch.Value == value && ch.Remove == remove && s.now().Before(ch.ExpiresAt) && ch.Failures < s.cfg.MaxFailures, nil
}

// contactCodeMessage is what the stored HMAC of a contact change's code
// covers: the code with the user, the field and the value, so that it
// confirms nothing else.
func contactCodeMessage(ch ContactChangeRecord, code string) string {
	what := "set"
	if ch.Remove {
		what = "remove"
	}
	return "contact\x00" + ch.UserID + "\x00" + ch.FieldID + "\x00" + what + "\x00" + ch.Value + "\x00" + code
}

// storeContact stores rec as the user's value of f in tx. The SMS and
// email tokens on the old value follow a verified new one (which stops
// the user's emergency access code, as any address change does); a
// field with notify tells the old and the new address.
func (s *Server) storeContact(ctx context.Context, tx Store, user UserRecord, f api.ContactField, old ContactRecord, hadOld bool, rec ContactRecord) error {
	if err := tx.SetContact(ctx, rec); err != nil {
		return err
	}
	if !hadOld || old.Value == rec.Value {
		return nil
	}
	if !rec.VerifiedAt.IsZero() {
		if err := s.moveTokens(ctx, tx, user.ID, f, old.Value, rec.Value); err != nil {
			return err
		}
	}
	if !f.Notify {
		return nil
	}
	channel := f.Type.Channel()
	if err := s.enqueueNotice(ctx, tx, user.ID, s.contactNotice(channel, old.Value, f,
		fmt.Sprintf("Your %s in %s was changed from this address to %s.", f.Label, s.cfg.Issuer, api.MaskAddress(channel, rec.Value)))); err != nil {
		return err
	}
	return s.enqueueNotice(ctx, tx, user.ID, s.contactNotice(channel, rec.Value, f,
		fmt.Sprintf("This address is now your %s in %s.", f.Label, s.cfg.Issuer)))
}

// removeContact removes the user's value of f in tx, telling it when f
// has notify.
func (s *Server) removeContact(ctx context.Context, tx Store, user UserRecord, f api.ContactField, old ContactRecord) error {
	if err := tx.DeleteContact(ctx, user.ID, f.ID); err != nil {
		return err
	}
	if !f.Notify {
		return nil
	}
	return s.enqueueNotice(ctx, tx, user.ID, s.contactNotice(f.Type.Channel(), old.Value, f,
		fmt.Sprintf("This address was removed from your %s in %s.", f.Label, s.cfg.Issuer)))
}

// moveTokens moves the user's SMS or email tokens on from to to.
func (s *Server) moveTokens(ctx context.Context, tx Store, userID string, f api.ContactField, from, to string) error {
	tokens, err := tx.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	moved := onAddress(tokens, f.Type.Channel(), from)
	for _, t := range moved {
		if _, err := tx.UpdateToken(ctx, userID, t.ID, func(t *TokenRecord, _ int) error {
			t.Address = to
			return nil
		}); err != nil {
			return err
		}
	}
	if len(moved) == 0 {
		return nil
	}
	return s.deactivateEmergency(ctx, tx, userID, ReasonAddressChanged)
}

// contactNotice is the message that tells address on channel of a
// change of f.
func (s *Server) contactNotice(channel, address string, f api.ContactField, text string) notify.Message {
	text += " If you did not make this change, tell your helpdesk at once."
	if channel == api.ChannelSMS {
		return notify.Message{Channel: notify.ChannelSMS, To: address, Body: text}
	}
	return notify.Message{Channel: notify.ChannelEmail, To: address, Subject: "Your " + f.Label + " was changed", Body: text + "\n"}
}

// checkNotInUse refuses to remove a value that receives a sign-in
// method's codes.
func (s *Server) checkNotInUse(ctx context.Context, userID string, f api.ContactField, value string) error {
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	if used := onAddress(tokens, f.Type.Channel(), value); len(used) > 0 {
		return apiError(api.CodeInvalidState, fmt.Sprintf("The sign-in method “%s” sends its codes to your %s. Move it to another address or delete it first.", used[0].Label, f.Label))
	}
	return nil
}

// contactValue returns the user's value of a field, and whether there is one.
func (s *Server) contactValue(ctx context.Context, userID, fieldID string) (ContactRecord, bool, error) {
	return contactIn(ctx, s.store, userID, fieldID)
}

func contactIn(ctx context.Context, store Store, userID, fieldID string) (ContactRecord, bool, error) {
	values, err := store.Contacts(ctx, userID)
	if err != nil {
		return ContactRecord{}, false, err
	}
	i := slices.IndexFunc(values, func(v ContactRecord) bool { return v.FieldID == fieldID })
	if i < 0 {
		return ContactRecord{}, false, nil
	}
	return values[i], true, nil
}

// answerContact answers with the user's value of a field as stored now.
func (s *Server) answerContact(w http.ResponseWriter, ctx context.Context, userID, fieldID string) error {
	out, err := s.contacts(ctx, userID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(out.Values, func(v api.ContactValue) bool { return v.Field == fieldID })
	if i < 0 {
		return errContactFieldNotFound()
	}
	writeJSON(w, http.StatusOK, api.ContactResponse{Contact: &out.Values[i]})
	return nil
}

// verifiedAddresses are the user's verified values of the fields named,
// which the tokens of a template with these contact fields may use.
func (s *Server) verifiedAddresses(ctx context.Context, userID string, fields []string) ([]string, error) {
	values, err := s.store.Contacts(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range values {
		if slices.Contains(fields, v.FieldID) && !v.VerifiedAt.IsZero() {
			out = append(out, v.Value)
		}
	}
	return out, nil
}

// updatableField is the contact field a call to change names, when the
// caller has info_update.
func updatableField(r *http.Request, c *caller, t Tenant) (api.ContactField, error) {
	if err := c.require(api.PrivInfoUpdate); err != nil {
		return api.ContactField{}, err
	}
	f, ok := t.contactField(r.PathValue("field"))
	if !ok {
		return api.ContactField{}, errContactFieldNotFound()
	}
	return f, nil
}

func errContactFieldNotFound() error {
	return apiError(api.CodeNotFound, "Your organisation has no such contact field. Reload your contact details.")
}
