package server

import (
	"context"
	"errors"
	"maps"

	"selfservice/api"
)

// What the users see of approvals and approval requests.

// apiApproval is a step-up approval as its user sees it; id is the
// approval id they hold (the store keeps only its hash).
func (s *Server) apiApproval(id string, a ApprovalRecord) api.Approval {
	return api.Approval{
		ID:        id,
		Operation: a.Operation,
		Target:    a.Target,
		Status:    s.approvalStatus(a),
		ExpiresAt: a.ExpiresAt,
	}
}

// apiRequest is one request as the requester and its approvers see it.
func (s *Server) apiRequest(ctx context.Context, r RequestRecord) (api.ApprovalRequest, error) {
	out, err := s.apiRequests(ctx, []RequestRecord{r})
	if err != nil {
		return api.ApprovalRequest{}, err
	}
	return out[0], nil
}

// apiRequests converts requests, looking each person up once.
func (s *Server) apiRequests(ctx context.Context, recs []RequestRecord) ([]api.ApprovalRequest, error) {
	people := personCache{ctx: ctx, store: s.store, known: map[string]api.Person{}}
	out := make([]api.ApprovalRequest, 0, len(recs))
	for _, r := range recs {
		req, err := s.convertRequest(r, &people)
		if err != nil {
			return nil, err
		}
		out = append(out, req)
	}
	return out, nil
}

func (s *Server) convertRequest(r RequestRecord, people *personCache) (api.ApprovalRequest, error) {
	requester, err := people.get(r.RequesterID)
	if err != nil {
		return api.ApprovalRequest{}, err
	}
	out := api.ApprovalRequest{
		ID:          r.ID,
		Operation:   r.Operation,
		Target:      r.Target,
		TargetLabel: r.TargetLabel,
		Parameters:  maps.Clone(r.Parameters),
		Status:      s.requestStatus(r),
		Requester:   requester,
		Approvers:   []api.Person{},
		Required:    r.Required,
		Decisions:   []api.Decision{},
		History:     []api.HistoryEntry{},
		CreatedAt:   r.CreatedAt,
		ExpiresAt:   r.ExpiresAt,
	}
	if out.Parameters == nil {
		out.Parameters = map[string]string{}
	}
	if !r.ExecutedAt.IsZero() {
		executed := r.ExecutedAt
		out.ExecutedAt = &executed
	}
	for _, id := range r.ApproverIDs {
		p, err := people.get(id)
		if err != nil {
			return api.ApprovalRequest{}, err
		}
		out.Approvers = append(out.Approvers, p)
	}
	for _, h := range r.History {
		entry := api.HistoryEntry{At: h.At, Event: h.Event, Comment: h.Comment}
		if h.ActorID != "" {
			p, err := people.get(h.ActorID)
			if err != nil {
				return api.ApprovalRequest{}, err
			}
			entry.Actor = &p
		}
		out.History = append(out.History, entry)
		if d, ok := decisionOf(h.Event); ok && entry.Actor != nil {
			out.Decisions = withDecision(out.Decisions, api.Decision{Approver: *entry.Actor, Decision: d, Comment: h.Comment, At: h.At})
		}
	}
	if out.Status == api.RequestExpired {
		out.History = append(out.History, api.HistoryEntry{At: r.ExpiresAt, Event: api.EventExpired})
	}
	return out, nil
}

// decisionOf is the decision a history event records, if any.
func decisionOf(e api.RequestEvent) (api.DecisionValue, bool) {
	switch e {
	case api.EventApproved:
		return api.DecisionApproved, true
	case api.EventDeclined:
		return api.DecisionDeclined, true
	}
	return "", false
}

// withDecision puts d last in decisions, in place of its approver's
// earlier one: each approver has one current decision.
func withDecision(decisions []api.Decision, d api.Decision) []api.Decision {
	for i, old := range decisions {
		if old.Approver.ID == d.Approver.ID {
			decisions = append(decisions[:i], decisions[i+1:]...)
			break
		}
	}
	return append(decisions, d)
}

// decisionsByApprover maps each approver's id to their current decision.
func decisionsByApprover(history []HistoryRecord) map[string]api.DecisionValue {
	out := map[string]api.DecisionValue{}
	for _, h := range history {
		if d, ok := decisionOf(h.Event); ok {
			out[h.ActorID] = d
		}
	}
	return out
}

// personCache looks users up for one answer.
type personCache struct {
	ctx   context.Context
	store Store
	known map[string]api.Person
}

// get returns a user as a Person; a user who no longer exists is shown
// by id alone.
func (c *personCache) get(id string) (api.Person, error) {
	if p, ok := c.known[id]; ok {
		return p, nil
	}
	p := api.Person{ID: id}
	u, err := c.store.UserByID(c.ctx, id)
	switch {
	case err == nil:
		p = api.Person{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName}
	case !errors.Is(err, ErrNotFound):
		return api.Person{}, err
	}
	c.known[id] = p
	return p, nil
}
