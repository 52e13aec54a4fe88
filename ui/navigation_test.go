package ui

import (
	"slices"
	"testing"

	"selfservice/api"
)

// areaPrivileges is the navigation's side of the privilege matrix: the
// privilege that shows each area (the Helpdesk area shows with any of
// its cards' privileges).
var areaPrivileges = map[string][]api.Privilege{
	"Sign-in methods":        {api.PrivTokenView},
	"Contact details":        {api.PrivInfoView},
	"To approve":             {api.PrivMyApprovalsList},
	"My requests":            {api.PrivMyRequestsList},
	"Invitations":            {api.PrivInvitationView},
	"Documents":              {api.PrivDocumentsView},
	"Applications":           nil, // every signed-in user
	"Password":               {api.PrivPasswordUpdate},
	"Verification questions": {api.PrivQuestionView},
	"Profile":                {api.PrivProfileView},
	"Privacy and data":       {api.PrivPrivacyView},
	"Sessions and activity":  {api.PrivSessionsView},
	"Helpdesk":               {api.PrivEmergencyIssue, api.PrivHardwareUnassign, api.PrivQuestionCheck},
}

// TestNavigationFollowsPrivileges signs in the demo's employee and
// helpdesk user and checks that the navigation shows exactly the areas
// their privileges (as the server sends them) allow, in order, and that
// the approvals count is watched only with the To approve area.
func TestNavigationFollowsPrivileges(t *testing.T) {
	tests := []struct {
		user string
		want []string
	}{
		{"demo", []string{"Sign-in methods", "Contact details", "To approve", "My requests", "Invitations", "Documents", "Applications", "Password", "Verification questions", "Profile", "Privacy and data", "Sessions and activity"}},
		{"helpdesk", []string{"Sign-in methods", "To approve", "Applications", "Profile", "Privacy and data", "Sessions and activity", "Helpdesk"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			f := newFixture(t, Options{})
			m := f.signIn(tt.user)
			var got, allowed []string
			for _, a := range m.areas {
				got = append(got, a.name)
			}
			privs := f.ui.session.Privileges()
			for name, need := range areaPrivileges {
				if need == nil || slices.ContainsFunc(need, func(p api.Privilege) bool { return api.Has(privs, p) }) {
					allowed = append(allowed, name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("navigation %q; want %q", got, tt.want)
			}
			slices.Sort(got)
			slices.Sort(allowed)
			if !slices.Equal(got, allowed) {
				t.Errorf("navigation %q; the privileges %v allow %q", got, privs, allowed)
			}
			if watched := m.pending != nil; watched != slices.Contains(tt.want, "To approve") {
				t.Errorf("pending count watched %v with navigation %q", watched, tt.want)
			}
		})
	}
}
