package server

import (
	"context"
	"net/http"

	"selfservice/api"
)

// Privacy and data, the consents: the organisation's consents
// (Tenant.Consents) with each user's answer. An answer is for the
// consent's version: a new version asks again (not_asked), and the
// answers given stay in the history, which the copy of the user's data
// includes.

// listConsents answers GET /account/consents.
func (s *Server) listConsents(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivPrivacyView); err != nil {
		return err
	}
	recs, err := s.store.Consents(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	out := api.ConsentsResponse{Consents: []api.Consent{}}
	for _, tc := range s.cfg.Tenant.Consents {
		out.Consents = append(out.Consents, apiConsent(tc, findConsent(recs, tc.ID)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// setConsent answers PUT /account/consents/{id}: the answer is for the
// consent's current version.
func (s *Server) setConsent(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivPrivacyUpdate); err != nil {
		return err
	}
	tc, ok := s.cfg.Tenant.consent(r.PathValue("id"))
	if !ok {
		return apiError(api.CodeNotFound, "Your organisation does not ask for this consent (any more). Reload the list of consents.")
	}
	var req api.SetConsentRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := s.store.SetConsent(ctx, ConsentRecord{UserID: c.user.ID, ConsentID: tc.ID, Version: tc.Version, Granted: *req.Granted, ChangedAt: s.now()})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "consent answered", "user", c.user.ID, "consent", tc.ID, "version", tc.Version, "granted", rec.Granted)
	writeJSON(w, http.StatusOK, apiConsent(tc, &rec))
	return nil
}

// findConsent is the answer to the consent id among recs, or nil.
func findConsent(recs []ConsentRecord, id string) *ConsentRecord {
	for i := range recs {
		if recs[i].ConsentID == id {
			return &recs[i]
		}
	}
	return nil
}

// consentsOut lists answers as the copy of the data has them.
func consentsOut(recs []ConsentRecord) []api.ExportConsent {
	out := make([]api.ExportConsent, 0, len(recs))
	for _, c := range recs {
		out = append(out, api.ExportConsent{ID: c.ConsentID, Version: c.Version, Granted: c.Granted, At: c.ChangedAt})
	}
	return out
}

// consentsOf is the user's current answers and their history.
func (s *Server) consentsOf(ctx context.Context, userID string) (current, history []api.ExportConsent, err error) {
	recs, err := s.store.Consents(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	log, err := s.store.ConsentHistory(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	return consentsOut(recs), consentsOut(log), nil
}
