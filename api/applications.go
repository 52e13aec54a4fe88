package api

// Application is one of the user's applications (GET /account/applications),
// which the app opens in the browser.
type Application struct {
	Name        string `json:"name"`
	URL         string `json:"url"` // https://…
	Description string `json:"description,omitempty"`
}

// ApplicationsResponse answers GET /account/applications: the applications
// the user may use, in the organisation's order, and the link to the
// password vault when the organisation has one and the user has
// vault_link.
type ApplicationsResponse struct {
	Applications []Application `json:"applications"`
	VaultURL     string        `json:"vault_url,omitempty"`
}
