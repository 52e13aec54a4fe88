package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
	"selfservice/server/notify"
)

// Sponsored invitations (Tenant.Invitations): an employee invites
// someone who has no account yet. Creating one is approvable
// (api.OpInvitationCreate): without a policy it is sent at once, under
// a step-up once the sponsor confirms, under approvers it waits
// IN_APPROVAL and execute sends it when approved. Its link is a one-time
// link of its sponsor with the invitation as subject (purpose
// linkInvitation): a resend replaces it, and the invitation page
// (invitation_page.go) takes it only while the invitation is SENT. A
// sponsor sees only their own invitations; anyone else's is not found.
// An address that has an account, or an open invitation, cannot be
// invited again: the sponsor is told so, since they are an employee
// of the organisation who may look the person up anyway.

// linkInvitation is the purpose of an invitation link.
const linkInvitation = "invitation"

// listInvitationTemplates answers GET /invitation-templates.
func (s *Server) listInvitationTemplates(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationCreate); err != nil {
		return err
	}
	if err := s.invitationsOffered(); err != nil {
		return err
	}
	policy, err := policyFor(r.Context(), s.store, api.OpInvitationCreate, "")
	if err != nil {
		return err
	}
	out := api.InvitationTemplatesResponse{Templates: []api.InvitationTemplate{}, Approval: policy.Mode}
	for _, tpl := range s.cfg.Tenant.Invitations.Templates {
		out.Templates = append(out.Templates, s.apiInvitationTemplate(tpl))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiInvitationTemplate is tpl as the sponsor sees it, its fields named
// as the profile names them.
func (s *Server) apiInvitationTemplate(tpl InvitationTemplate) api.InvitationTemplate {
	out := api.InvitationTemplate{ID: tpl.ID, Name: tpl.Name, Description: tpl.Description, Fields: []api.InvitationField{},
		LinkDays: int(tpl.linkTTL() / (24 * time.Hour))}
	for _, f := range tpl.Fields {
		pf, _ := s.cfg.Tenant.Profile.field(f.ID) // checked at start
		n := pf.MaxLength
		if n == 0 {
			n = defaultFieldLength
		}
		out.Fields = append(out.Fields, api.InvitationField{ID: f.ID, Label: pf.Label, Required: f.Required, MaxLength: n})
	}
	return out
}

// listInvitations answers GET /invitations?status=S: the caller's
// invitations, newest first, those of status S only when given.
func (s *Server) listInvitations(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationView); err != nil {
		return err
	}
	filter := api.InvitationStatus(r.URL.Query().Get("status"))
	if filter != "" && !slices.Contains(api.InvitationStatuses, filter) {
		return api.FieldError(map[string]string{"status": "Filter by one of: IN_APPROVAL, SENT, ACCEPTED, EXPIRED, RECALLED, DECLINED."})
	}
	ctx := r.Context()
	recs, err := s.store.Invitations(ctx, c.user.ID)
	if err != nil {
		return err
	}
	out := api.InvitationsResponse{Invitations: []api.Invitation{}}
	for _, rec := range recs {
		inv, err := s.apiInvitation(ctx, rec)
		if err != nil {
			return err
		}
		if filter == "" || inv.Status == filter {
			out.Invitations = append(out.Invitations, inv)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getInvitation answers GET /invitations/{id}.
func (s *Server) getInvitation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationView); err != nil {
		return err
	}
	inv, err := s.sponsoredInvitation(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.answerInvitation(w, r.Context(), http.StatusOK, inv)
}

// createInvitation answers POST /invitations: 201 with the invitation
// SENT, or 202 with the approval request it waits for.
func (s *Server) createInvitation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationCreate); err != nil {
		return err
	}
	if err := s.invitationsOffered(); err != nil {
		return err
	}
	var req api.CreateInvitationRequest
	if err := s.decodeValid(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	inv, err := s.newInvitation(ctx, c, req)
	if err != nil {
		return err
	}
	action := invitationAction(inv)
	policy, err := policyFor(ctx, s.store, api.OpInvitationCreate, "")
	if err != nil {
		return err
	}
	if policy.Mode == api.ModeApprovers {
		return s.sendInvitationForApproval(w, ctx, c, inv, action, policy)
	}
	g, _, err := s.authorize(w, r, c, action) // none or self: never sent to approvers here
	if err != nil {
		return err
	}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		if err := s.sendInvitation(ctx, tx, &inv, c.user, api.InvitationEventSent); err != nil {
			return err
		}
		return tx.CreateInvitation(ctx, inv)
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Invitation sent", "invitation", inv.ID, "sponsor", c.user.ID)
	return s.answerInvitation(w, ctx, http.StatusCreated, inv)
}

// newInvitation checks req against its template and the accounts and
// invitations of its address, and returns the invitation it asks for,
// not yet sent.
func (s *Server) newInvitation(ctx context.Context, c *caller, req api.CreateInvitationRequest) (InvitationRecord, error) {
	tpl, ok := s.cfg.Tenant.Invitations.template(req.TemplateID)
	if !ok {
		return InvitationRecord{}, api.FieldError(map[string]string{"template_id": "There is no such template. Choose one of the list."})
	}
	problems := map[string]string{}
	fields := map[string]string{}
	for _, f := range s.apiInvitationTemplate(tpl).Fields {
		v := strings.TrimSpace(req.Fields[f.ID])
		switch {
		case v == "" && f.Required:
			problems["fields."+f.ID] = fmt.Sprintf("Enter the %s.", strings.ToLower(f.Label))
		case len([]rune(v)) > f.MaxLength:
			problems["fields."+f.ID] = fmt.Sprintf("Use at most %d characters.", f.MaxLength)
		case v != "":
			fields[f.ID] = v
		}
	}
	for id := range req.Fields {
		if !slices.ContainsFunc(tpl.Fields, func(f InvitationTemplateField) bool { return f.ID == id }) {
			problems["fields."+id] = "This template does not ask for this field."
		}
	}
	email := api.NormalizeEmail(req.Email)
	if msg, err := s.emailInvitable(ctx, email); err != nil {
		return InvitationRecord{}, err
	} else if msg != "" {
		problems["email"] = msg
	}
	if len(problems) > 0 {
		return InvitationRecord{}, api.FieldError(problems)
	}
	now := s.now()
	return InvitationRecord{
		ID:         uuid.NewString(),
		SponsorID:  c.user.ID,
		TemplateID: tpl.ID,
		Name:       strings.TrimSpace(req.Name),
		Email:      email,
		Fields:     fields,
		Status:     api.InvitationInApproval,
		CreatedAt:  now,
		History:    []InvitationEventRecord{{At: now, Event: api.InvitationEventCreated}},
	}, nil
}

// emailInvitable says why email cannot be invited ("" when it can): an
// account has confirmed it, or an invitation to it is open.
func (s *Server) emailInvitable(ctx context.Context, email string) (string, error) {
	owners, err := s.store.UsersWithEmail(ctx, email)
	if err != nil || len(owners) > 0 {
		return "This address belongs to an account already: the person can sign in, or use Forgot password?.", err
	}
	open, err := s.store.InvitationsTo(ctx, email)
	if err != nil {
		return "", err
	}
	for _, inv := range open {
		status, _, err := s.invitationStatus(ctx, inv)
		if err != nil {
			return "", err
		}
		if status.Open() {
			return "Someone invited this address already and the invitation is still open.", nil
		}
	}
	return "", nil
}

// invitationAction is the approvable creation of inv: a step-up and an
// approval cover the template and exactly the invitee's data.
func invitationAction(inv InvitationRecord) approvable {
	params := map[string]string{"template_id": inv.TemplateID, "name": inv.Name, "email": inv.Email}
	for id, v := range inv.Fields {
		params["field."+id] = v
	}
	return approvable{
		op:     api.OpInvitationCreate,
		target: inv.TemplateID,
		label:  inv.Name + " <" + inv.Email + ">",
		params: params,
	}
}

// sendInvitationForApproval stores inv IN_APPROVAL with the approval
// request its approvers decide on, and answers 202 with the request.
func (s *Server) sendInvitationForApproval(w http.ResponseWriter, ctx context.Context, c *caller, inv InvitationRecord, a approvable, policy ApprovalPolicyRecord) error {
	req, err := s.openRequest(ctx, c, a, policy)
	if err != nil {
		return err
	}
	inv.RequestID = req.ID
	if _, err := s.store.InvitationByRequest(ctx, req.ID); errors.Is(err, ErrNotFound) {
		if err := s.store.CreateInvitation(ctx, inv); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	out, err := s.apiRequest(ctx, req)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Invitation waits for approval", "invitation", inv.ID, "request_id", req.ID)
	writeJSON(w, http.StatusAccepted, api.ApprovalRequestResponse{Request: out})
	return nil
}

// executeInvitation sends the invitation that waited for the approval
// request r, just approved, in tx.
func (s *Server) executeInvitation(ctx context.Context, tx Store, r *RequestRecord) error {
	inv, err := tx.InvitationByRequest(ctx, r.ID)
	if errors.Is(err, ErrNotFound) {
		return errInvitationNotFound()
	}
	if err != nil {
		return err
	}
	sponsor, err := tx.UserByID(ctx, inv.SponsorID)
	if err != nil {
		return err
	}
	_, err = tx.UpdateInvitation(ctx, inv.ID, func(inv *InvitationRecord) error {
		if inv.Status != api.InvitationInApproval {
			return errInvitationClosed(inv.Status)
		}
		inv.History = append(inv.History, InvitationEventRecord{At: s.now(), Event: api.InvitationEventApproved})
		return s.sendInvitation(ctx, tx, inv, sponsor, api.InvitationEventSent)
	})
	return err
}

// sendInvitation makes inv a new link, queues the email that carries it
// to the invitee, and records it SENT with event (sent or resent). The
// link replaces the invitation's unused one.
func (s *Server) sendInvitation(ctx context.Context, tx Store, inv *InvitationRecord, sponsor UserRecord, event string) error {
	tpl, ok := s.cfg.Tenant.Invitations.template(inv.TemplateID)
	if !ok {
		return apiError(api.CodeInvalidState, "The organisation no longer has the template of this invitation. Invite the person again with another one.")
	}
	base, err := s.publicURL()
	if err != nil {
		return err
	}
	now := s.now()
	ttl := tpl.linkTTL()
	token := randomToken(32)
	sponsorName := sponsor.DisplayName
	if sponsorName == "" {
		sponsorName = sponsor.Username
	}
	msg := notify.Message{
		Channel: notify.ChannelEmail,
		To:      inv.Email,
		Subject: sponsorName + " invited you to " + s.cfg.Issuer,
		Body: fmt.Sprintf("Hello %s,\n\n%s invited you to %s (%s).\n\n"+
			"To create your account, open this link within %s:\n\n    %s/invite/%s\n\n"+
			"There you choose your username and password. The link works once.\n"+
			"Then open %s and sign in: it asks you first to set up a way to confirm it is you, such as an authenticator app.\n\n"+
			"If you do not know %s, ignore this email: no account is made.\n",
			inv.Name, sponsorName, s.cfg.Issuer, tpl.Name, days(ttl), base, token, s.cfg.Issuer, sponsorName),
	}
	link := LinkRecord{TokenHash: hashToken(token), Purpose: linkInvitation, UserID: sponsor.ID, Subject: inv.ID,
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.putLink(ctx, tx, link, msg); err != nil {
		return err
	}
	inv.Status, inv.SentAt, inv.ExpiresAt = api.InvitationSent, now, link.ExpiresAt
	inv.History = append(inv.History, InvitationEventRecord{At: now, Event: event})
	return nil
}

// resendInvitation answers POST /invitations/{id}/resend: a SENT
// invitation gets a new link, and the old one stops working; at most
// once every CodeResend.
func (s *Server) resendInvitation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationCreate); err != nil {
		return err
	}
	if err := s.invitationsOffered(); err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.sponsoredInvitation(ctx, c, r.PathValue("id")); err != nil {
		return err
	}
	var inv InvitationRecord
	err := s.store.Atomically(ctx, func(tx Store) error {
		var err error
		inv, err = tx.UpdateInvitation(ctx, r.PathValue("id"), func(inv *InvitationRecord) error {
			if status := s.sentStatus(*inv); status != api.InvitationSent {
				return errInvitationClosed(status)
			}
			if wait := inv.SentAt.Add(s.cfg.CodeResend).Sub(s.now()); wait > 0 {
				return errInvitationResendTooSoon(wait)
			}
			return s.sendInvitation(ctx, tx, inv, c.user, api.InvitationEventResent)
		})
		return err
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Invitation sent again", "invitation", inv.ID)
	return s.answerInvitation(w, ctx, http.StatusOK, inv)
}

// recallInvitation answers POST /invitations/{id}/recall: a SENT
// invitation becomes RECALLED, and its link stops working.
func (s *Server) recallInvitation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationRecall); err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.sponsoredInvitation(ctx, c, r.PathValue("id")); err != nil {
		return err
	}
	inv, err := s.store.UpdateInvitation(ctx, r.PathValue("id"), func(inv *InvitationRecord) error {
		if status := s.sentStatus(*inv); status != api.InvitationSent {
			return errInvitationClosed(status)
		}
		inv.Status = api.InvitationRecalled
		inv.History = append(inv.History, InvitationEventRecord{At: s.now(), Event: api.InvitationEventRecalled})
		return nil
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Invitation recalled", "invitation", inv.ID)
	return s.answerInvitation(w, ctx, http.StatusOK, inv)
}

// deleteInvitation answers DELETE /invitations/{id}: an invitation
// IN_APPROVAL (its approval request is revoked) or SENT (its link stops
// working) is removed.
func (s *Server) deleteInvitation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivInvitationDelete); err != nil {
		return err
	}
	ctx := r.Context()
	inv, err := s.sponsoredInvitation(ctx, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	status, _, err := s.invitationStatus(ctx, inv)
	if err != nil {
		return err
	}
	if !status.Open() {
		return errInvitationClosed(status)
	}
	err = s.store.Atomically(ctx, func(tx Store) error {
		if inv.Status == api.InvitationInApproval {
			if _, err := tx.UpdateRequest(ctx, inv.RequestID, func(req *RequestRecord) error {
				if !s.awaitsSomeone(*req) {
					return errInvitationClosed(api.InvitationDeclined)
				}
				req.Status = api.RequestRevoked
				req.History = append(req.History, HistoryRecord{At: s.now(), Event: api.EventRevoked, ActorID: c.user.ID})
				return nil
			}); err != nil {
				return err
			}
		}
		return tx.DeleteInvitation(ctx, inv.ID)
	})
	if errors.Is(err, ErrNotFound) {
		return errInvitationNotFound()
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "Invitation deleted", "invitation", inv.ID, "status", status)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sponsoredInvitation is the caller's invitation id; anyone else's is
// not found.
func (s *Server) sponsoredInvitation(ctx context.Context, c *caller, id string) (InvitationRecord, error) {
	inv, err := s.store.Invitation(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && inv.SponsorID != c.user.ID) {
		return InvitationRecord{}, errInvitationNotFound()
	}
	return inv, err
}

// sentStatus is the status of inv now, as far as its own record tells:
// a SENT invitation past its link's expiry is EXPIRED (the purge marks
// it so too: ExpireInvitations).
func (s *Server) sentStatus(inv InvitationRecord) api.InvitationStatus {
	if inv.Status == api.InvitationSent && !s.now().Before(inv.ExpiresAt) {
		return api.InvitationExpired
	}
	return inv.Status
}

// invitationStatus is the status of inv now, and the event that made it
// so when the stored history does not have it: an invitation whose
// approval request was declined, revoked or expired is DECLINED.
func (s *Server) invitationStatus(ctx context.Context, inv InvitationRecord) (api.InvitationStatus, *InvitationEventRecord, error) {
	switch status := s.sentStatus(inv); {
	case status == api.InvitationExpired && inv.Status == api.InvitationSent:
		return status, &InvitationEventRecord{At: inv.ExpiresAt, Event: api.InvitationEventExpired}, nil
	case status != api.InvitationInApproval:
		return status, nil, nil
	}
	req, err := s.store.Request(ctx, inv.RequestID)
	if errors.Is(err, ErrNotFound) {
		return api.InvitationDeclined, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	switch s.requestStatus(req) {
	case api.RequestRejected, api.RequestRevoked:
		return api.InvitationDeclined, &InvitationEventRecord{At: req.History[len(req.History)-1].At, Event: api.InvitationEventDeclined}, nil
	case api.RequestExpired:
		return api.InvitationDeclined, &InvitationEventRecord{At: req.ExpiresAt, Event: api.InvitationEventDeclined}, nil
	}
	return api.InvitationInApproval, nil, nil
}

// apiInvitation is inv as its sponsor sees it.
func (s *Server) apiInvitation(ctx context.Context, inv InvitationRecord) (api.Invitation, error) {
	status, event, err := s.invitationStatus(ctx, inv)
	if err != nil {
		return api.Invitation{}, err
	}
	out := api.Invitation{
		ID:           inv.ID,
		TemplateID:   inv.TemplateID,
		TemplateName: inv.TemplateID,
		Name:         inv.Name,
		Email:        inv.Email,
		Fields:       inv.Fields,
		Status:       status,
		CreatedAt:    inv.CreatedAt,
		Username:     inv.AcceptedUsername,
		History:      []api.InvitationEvent{},
	}
	if tpl, ok := s.cfg.Tenant.Invitations.template(inv.TemplateID); ok {
		out.TemplateName = tpl.Name
	}
	if out.Fields == nil {
		out.Fields = map[string]string{}
	}
	if !inv.SentAt.IsZero() {
		out.SentAt, out.ExpiresAt = &inv.SentAt, &inv.ExpiresAt
	}
	if status == api.InvitationSent {
		resend := inv.SentAt.Add(s.cfg.CodeResend)
		out.ResendAt = &resend
	}
	if status == api.InvitationInApproval {
		out.RequestID = inv.RequestID
	}
	for _, ev := range inv.History {
		out.History = append(out.History, api.InvitationEvent{At: ev.At, Event: ev.Event})
	}
	if event != nil {
		out.History = append(out.History, api.InvitationEvent{At: event.At, Event: event.Event})
	}
	return out, nil
}

func (s *Server) answerInvitation(w http.ResponseWriter, ctx context.Context, status int, inv InvitationRecord) error {
	out, err := s.apiInvitation(ctx, inv)
	if err != nil {
		return err
	}
	writeJSON(w, status, api.InvitationResponse{Invitation: out})
	return nil
}

// invitationsOffered refuses invitations the organisation does not use,
// or that the server cannot send.
func (s *Server) invitationsOffered() error {
	if !s.cfg.Tenant.Invitations.Enabled {
		return apiError(api.CodeNotSupported, "Your organisation does not use invitations. Ask your helpdesk to create the account.")
	}
	if !s.canSend(api.ChannelEmail) {
		return errDeliveryUnavailable(api.ChannelEmail)
	}
	if s.cfg.PublicURL == "" {
		return apiError(api.CodeNotSupported, "This server cannot send invitations: it was started without its public address (--public-url). Ask your administrator.")
	}
	return nil
}

// days says a whole number of days: "1 day", "7 days".
func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func errInvitationNotFound() error {
	return apiError(api.CodeNotFound, "There is no such invitation. It may have been deleted; look at the list again.")
}

// errInvitationClosed refuses an action the invitation's status does
// not allow.
func errInvitationClosed(status api.InvitationStatus) error {
	var why string
	switch status {
	case api.InvitationInApproval:
		why = "It waits for approval: it is sent once approved."
	case api.InvitationAccepted:
		why = "It was accepted: the account exists."
	case api.InvitationExpired:
		why = "Its link expired. Invite the person again."
	case api.InvitationRecalled:
		why = "You recalled it."
	case api.InvitationDeclined:
		why = "Its approval request was declined, revoked or expired."
	}
	return apiError(api.CodeInvalidState, strings.TrimSpace("This is not possible for this invitation now. "+why))
}

func errInvitationResendTooSoon(wait time.Duration) error {
	e := apiError(api.CodeResendTooSoon, fmt.Sprintf("The invitation was sent moments ago. Wait %s before you send it again.", humanDuration(wait)))
	e.RetryAfter = wait
	return e
}
