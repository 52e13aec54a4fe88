package app

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"selfservice/api"
)

// NewlyDecided lists the user's own requests that approvers decided
// (APPROVED or REJECTED) since the app last told them, oldest decision
// first, and remembers them as told: each decision is listed once, also
// across restarts. The first call for a user on this computer tells of
// nothing and only remembers where things stand. It needs
// api.PrivMyRequestsList; without it there is nothing to tell.
func (s *Session) NewlyDecided(ctx context.Context) ([]api.ApprovalRequest, error) {
	user := s.User().ID
	if user == "" || !s.Can(api.PrivMyRequestsList) {
		return nil, nil
	}
	list, err := s.Requests(ctx, api.FilterAll)
	if err != nil {
		return nil, err
	}
	key := PrefRequestsSeen + user
	var seen decidedMark
	first := json.Unmarshal([]byte(s.prefs.String(key)), &seen) != nil
	next := seen
	var out []api.ApprovalRequest
	for i := len(list) - 1; i >= 0; i-- { // the list is newest first
		r := list[i]
		at, ok := DecidedAt(r)
		if !ok || !seen.before(at, r.ID) {
			continue
		}
		next.add(at, r.ID)
		if !first {
			out = append(out, r)
		}
	}
	if raw, err := json.Marshal(next); err == nil && (first || len(out) > 0) {
		s.prefs.SetString(key, string(raw))
	}
	return out, nil
}

// decidedMark is the newest decision told: when it was made, and every
// request decided at that very moment, so that two decisions of the same
// second are each told once.
type decidedMark struct {
	At  time.Time `json:"at"`
	IDs []string  `json:"ids"`
}

// before reports whether the decision on request id at at comes after
// the mark: it was not told yet.
func (m decidedMark) before(at time.Time, id string) bool {
	return at.After(m.At) || at.Equal(m.At) && !slices.Contains(m.IDs, id)
}

// add moves the mark on to the decision on request id at at.
func (m *decidedMark) add(at time.Time, id string) {
	switch {
	case at.After(m.At):
		m.At, m.IDs = at, []string{id}
	case at.Equal(m.At):
		m.IDs = append(m.IDs, id)
	}
}

// DecidedAt is when the approvers decided r: the last approval of an
// APPROVED request, the refusal of a REJECTED one. ok is false while r is
// not decided, or was revoked or expired.
func DecidedAt(r api.ApprovalRequest) (at time.Time, ok bool) {
	if r.Status != api.RequestApproved && r.Status != api.RequestRejected {
		return time.Time{}, false
	}
	for _, h := range r.History {
		if (h.Event == api.EventApproved || h.Event == api.EventDeclined) && h.At.After(at) {
			at, ok = h.At, true
		}
	}
	return at, ok
}
