package app

import (
	"context"

	"selfservice/api"
)

// Applications lists the user's applications and the password vault's
// address, which the app opens in the browser.
func (s *Session) Applications(ctx context.Context) (api.ApplicationsResponse, error) {
	return call(s, func(b Backend) (api.ApplicationsResponse, error) {
		return b.Applications(ctx)
	})
}
