package server

import (
	"net/http"

	"selfservice/api"
)

// listApplications answers GET /account/applications: the applications
// of the tenant the user's role sees, and the password vault for those
// with vault_link.
func (s *Server) listApplications(w http.ResponseWriter, r *http.Request, c *caller) error {
	out := api.ApplicationsResponse{Applications: s.cfg.Tenant.applicationsFor(c.user.Role)}
	if api.Has(c.privileges, api.PrivVaultLink) {
		out.VaultURL = s.cfg.Tenant.VaultURL
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
