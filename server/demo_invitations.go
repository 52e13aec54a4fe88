package server

import (
	"context"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

// The demo employee's invitations, so that the Invitations area shows
// each state: one sent two days ago and waiting, one accepted, one that
// expired unused and one recalled. The seeded links are kept by nobody:
// Resend sends a real one, which the demo's messages show.

var demoInvitations = []struct {
	name, email, template string
	fields                map[string]string
	status                api.InvitationStatus
	sentAgo               time.Duration
	last                  string // the event after sent, if any
	lastAgo               time.Duration
	username              string
}{
	{"Lena Fischer", "lena.fischer@partner.example", "contractor", map[string]string{"department": "Research", "job_title": "Data engineer"},
		api.InvitationSent, 50 * time.Hour, "", 0, ""},
	{"Tomás Ruiz", "tomas.ruiz@example.com", "new-hire", map[string]string{"department": "Sales", "job_title": "Account manager", "office": "Madrid"},
		api.InvitationAccepted, 12 * 24 * time.Hour, api.InvitationEventAccepted, 11 * 24 * time.Hour, "tomas.ruiz"},
	{"Priya Nair", "priya.nair@partner.example", "contractor", map[string]string{"department": "Finance"},
		api.InvitationExpired, 20 * 24 * time.Hour, api.InvitationEventExpired, 13 * 24 * time.Hour, ""},
	{"Jonas Berg", "jonas.berg@partner.example", "contractor", map[string]string{"department": "Marketing"},
		api.InvitationRecalled, 6 * 24 * time.Hour, api.InvitationEventRecalled, 5 * 24 * time.Hour, ""},
}

// seedDemoInvitations gives the demo user userID the demo's invitations
// unless they have some.
func seedDemoInvitations(ctx context.Context, store Store, userID string) error {
	have, err := store.Invitations(ctx, userID)
	if err != nil || len(have) > 0 {
		return err
	}
	now := time.Now().UTC().Truncate(time.Minute)
	for _, d := range demoInvitations {
		sent := now.Add(-d.sentAgo)
		created := sent.Add(-3 * time.Minute)
		inv := InvitationRecord{
			ID: uuid.NewString(), SponsorID: userID, TemplateID: d.template, Name: d.name, Email: d.email, Fields: d.fields,
			Status: d.status, CreatedAt: created, SentAt: sent, ExpiresAt: sent.Add(7 * 24 * time.Hour), AcceptedUsername: d.username,
			History: []InvitationEventRecord{{At: created, Event: api.InvitationEventCreated}, {At: sent, Event: api.InvitationEventSent}},
		}
		if d.last != "" {
			inv.History = append(inv.History, InvitationEventRecord{At: now.Add(-d.lastAgo), Event: d.last})
		}
		if d.status == api.InvitationExpired {
			inv.History[2].At = inv.ExpiresAt
		}
		if err := store.CreateInvitation(ctx, inv); err != nil {
			return err
		}
	}
	return nil
}
