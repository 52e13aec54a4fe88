package server

import (
	"context"
	"mime"
	"net/http"
	"slices"
	"time"

	"selfservice/api"
)

// The copy of a user's data (GET /account/export): everything the
// server holds about them but their secrets, as api.AccountExport. It is
// gathered from the store's lists, which are small (the documents'
// content is not in it), and streamed out with json.Encoder.

// exportAccount answers GET /account/export.
func (s *Server) exportAccount(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivPrivacyView); err != nil {
		return err
	}
	ctx := r.Context()
	out, err := s.accountExport(ctx, c)
	if err != nil {
		return err
	}
	name := "selfservice-data-" + c.user.Username + "-" + out.ExportedAt.Format("2006-01-02") + ".json"
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	s.log.InfoContext(ctx, "data exported", "user", c.user.ID)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// accountExport gathers the caller's data.
func (s *Server) accountExport(ctx context.Context, c *caller) (api.AccountExport, error) {
	u := c.user
	out := api.AccountExport{
		FormatVersion: api.ExportFormatVersion,
		ExportedAt:    s.now(),
		User: api.ExportUser{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
			Enrollment: apiUser(u, c.partial).Enrollment, CreatedAt: u.CreatedAt},
	}
	steps := []func(context.Context, *api.AccountExport, string) error{
		s.exportProfile, s.exportContacts, s.exportTokens, s.exportQuestions, s.exportDocuments,
		s.exportRequests, s.exportConsents, s.exportMessages, s.exportInvitations,
	}
	for _, step := range steps {
		if err := step(ctx, &out, u.ID); err != nil {
			return api.AccountExport{}, err
		}
	}
	sessions, err := s.store.UserSessions(ctx, u.ID)
	if err != nil {
		return api.AccountExport{}, err
	}
	out.Sessions = []api.Session{}
	for _, r := range sessions {
		out.Sessions = append(out.Sessions, apiSession(r, c.session))
	}
	signIns, err := s.store.SignIns(ctx, u.ID, 2*activityKeep)
	if err != nil {
		return api.AccountExport{}, err
	}
	out.SignIns = []api.SignInAttempt{}
	for _, r := range signIns {
		out.SignIns = append(out.SignIns, apiSignIn(r))
	}
	return out, nil
}

func (s *Server) exportProfile(ctx context.Context, out *api.AccountExport, userID string) error {
	p, err := s.store.Profile(ctx, userID)
	if err != nil {
		return err
	}
	out.Profile = api.ExportProfile{Fields: p.Fields, Preferences: p.Preferences}
	return nil
}

func (s *Server) exportContacts(ctx context.Context, out *api.AccountExport, userID string) error {
	values, err := s.store.Contacts(ctx, userID)
	if err != nil {
		return err
	}
	out.Contacts = []api.ExportContact{}
	for _, v := range values {
		out.Contacts = append(out.Contacts, api.ExportContact{FieldID: v.FieldID, Value: v.Value, Preferred: v.Preferred,
			VerifiedAt: timeOrNil(v.VerifiedAt), UpdatedAt: v.UpdatedAt})
	}
	changes, err := s.store.ContactChanges(ctx, userID)
	if err != nil {
		return err
	}
	out.ContactChange = []api.ExportContactChange{}
	for _, ch := range changes {
		out.ContactChange = append(out.ContactChange, api.ExportContactChange{FieldID: ch.FieldID, Value: ch.Value, Remove: ch.Remove,
			SentTo: ch.SentTo, SentAt: ch.SentAt, ExpiresAt: ch.ExpiresAt})
	}
	return nil
}

func (s *Server) exportTokens(ctx context.Context, out *api.AccountExport, userID string) error {
	tokens, err := s.store.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	out.Tokens = []api.Token{}
	for _, t := range tokens {
		out.Tokens = append(out.Tokens, apiToken(t))
	}
	return nil
}

func (s *Server) exportQuestions(ctx context.Context, out *api.AccountExport, userID string) error {
	answers, err := s.store.QuestionAnswers(ctx, userID)
	if err != nil {
		return err
	}
	out.Questions = []api.ExportAnswer{}
	for _, a := range answers {
		q, _ := s.cfg.Tenant.Questions.question(a.QuestionID)
		out.Questions = append(out.Questions, api.ExportAnswer{QuestionID: a.QuestionID, Question: q.Text, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt})
	}
	return nil
}

func (s *Server) exportDocuments(ctx context.Context, out *api.AccountExport, userID string) error {
	docs, err := s.store.Documents(ctx, userID)
	if err != nil {
		return err
	}
	out.Documents = []api.Document{}
	for _, d := range docs {
		out.Documents = append(out.Documents, s.documentOut(d))
	}
	return nil
}

// exportRequests lists the requests the user made, with their history
// (the approvers not named), and the decisions they gave on others'.
func (s *Server) exportRequests(ctx context.Context, out *api.AccountExport, userID string) error {
	mine, err := s.store.RequestsOf(ctx, userID)
	if err != nil {
		return err
	}
	out.Requests = []api.ExportRequest{}
	for _, r := range mine {
		req := api.ExportRequest{ID: r.ID, Operation: r.Operation, TargetLabel: r.TargetLabel, Parameters: r.Parameters,
			Status: s.requestStatus(r), CreatedAt: r.CreatedAt, ExecutedAt: timeOrNil(r.ExecutedAt), History: []api.ExportEvent{}}
		for _, h := range r.History {
			req.History = append(req.History, api.ExportEvent{At: h.At, Event: h.Event, ByMe: h.ActorID == userID, Comment: h.Comment})
		}
		out.Requests = append(out.Requests, req)
	}
	theirs, err := s.store.RequestsFor(ctx, userID)
	if err != nil {
		return err
	}
	out.Decisions = []api.ExportDecision{}
	for _, r := range theirs {
		for _, h := range r.History {
			if h.ActorID == userID && slices.Contains([]api.RequestEvent{api.EventApproved, api.EventDeclined}, h.Event) {
				out.Decisions = append(out.Decisions, api.ExportDecision{RequestID: r.ID, Operation: r.Operation, Event: h.Event, Comment: h.Comment, At: h.At})
			}
		}
	}
	return nil
}

func (s *Server) exportConsents(ctx context.Context, out *api.AccountExport, userID string) error {
	var err error
	out.Consents, out.ConsentLog, err = s.consentsOf(ctx, userID)
	return err
}

func (s *Server) exportMessages(ctx context.Context, out *api.AccountExport, userID string) error {
	msgs, err := s.store.MessagesTo(ctx, userID)
	if err != nil {
		return err
	}
	out.Messages = []api.ExportMessage{}
	for _, m := range msgs {
		out.Messages = append(out.Messages, api.ExportMessage{At: m.CreatedAt, Channel: m.Message.Channel, To: m.Message.To,
			Subject: m.Message.Subject, Status: m.Status, SentAt: timeOrNil(m.SentAt)})
	}
	return nil
}

// timeOrNil is t, or nil when it is zero (never happened).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// exportInvitations lists the invitations the user sponsored, with their
// history; never their links.
func (s *Server) exportInvitations(ctx context.Context, out *api.AccountExport, userID string) error {
	recs, err := s.store.Invitations(ctx, userID)
	if err != nil {
		return err
	}
	out.Invitations = []api.Invitation{}
	for _, rec := range recs {
		inv, err := s.apiInvitation(ctx, rec)
		if err != nil {
			return err
		}
		out.Invitations = append(out.Invitations, inv)
	}
	return nil
}
