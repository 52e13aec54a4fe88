package server

import (
	"context"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

// The demo employee's other sessions and recent sign-ins, so that the
// Sessions and activity area shows what it is for: a laptop and a phone
// signed in besides this computer, and a few failed guesses from an
// address the user does not know. The sessions' tokens are random and
// kept by nobody: they can only be signed out.

var (
	demoLaptop = signInSource{IP: "198.51.100.23", Device: "Selfservice 1.2 on Windows (LAPTOP-4F2K)"}
	demoMac    = signInSource{IP: "203.0.113.40", Device: "Selfservice 1.2 on macOS (Demo-MacBook)"}
	demoStolen = signInSource{IP: "192.0.2.77", Device: "Selfservice 1.0 on Linux (kali)"}
)

var demoSessions = []struct {
	from      signInSource
	age, seen time.Duration // since sign-in, since last use
}{
	{demoLaptop, 2 * time.Hour, 25 * time.Minute},
	{demoMac, 40 * time.Minute, 3 * time.Minute},
}

var demoActivity = []struct {
	from   signInSource
	ago    time.Duration
	method api.SignInMethod
	result api.SignInResult
}{
	{demoLaptop, 74 * time.Hour, api.MethodTOTP, api.ResultSuccess},
	{demoStolen, 26 * time.Hour, api.MethodPassword, api.ResultWrongPassword},
	{demoStolen, 26*time.Hour - 2*time.Minute, api.MethodPassword, api.ResultWrongPassword},
	{demoStolen, 26*time.Hour - 3*time.Minute, api.MethodPassword, api.ResultLocked},
	{demoLaptop, 2 * time.Hour, api.MethodTOTP, api.ResultSuccess},
	{demoMac, 41 * time.Minute, api.MethodPush, api.ResultDenied},
	{demoMac, 40 * time.Minute, api.MethodPush, api.ResultSuccess},
}

// seedDemoSessions gives the demo user userID the demo's sessions unless
// they have some, and the demo's sign-in activity unless they have any.
func seedDemoSessions(ctx context.Context, store Store, userID string) error {
	now := time.Now().UTC()
	sessions, err := store.UserSessions(ctx, userID)
	if err != nil {
		return err
	}
	if len(sessions) == 0 {
		for _, d := range demoSessions {
			created := now.Add(-d.age)
			err := store.CreateSession(ctx, SessionRecord{
				TokenHash: hashToken(randomToken(32)), ID: uuid.NewString(), UserID: userID,
				CreatedAt: created, LastSeenAt: now.Add(-d.seen),
				IdleExpiresAt: created.Add(12 * time.Hour), AbsoluteExpiresAt: created.Add(12 * time.Hour),
				Device: d.from.Device, IP: d.from.IP,
			})
			if err != nil {
				return err
			}
		}
	}
	activity, err := store.SignIns(ctx, userID, 1)
	if err != nil || len(activity) > 0 {
		return err
	}
	for _, d := range demoActivity {
		err := store.AddSignIn(ctx, SignInRecord{ID: uuid.NewString(), UserID: userID, At: now.Add(-d.ago),
			Method: d.method, Result: d.result, IP: d.from.IP, Device: d.from.Device}, activityKeep)
		if err != nil {
			return err
		}
	}
	return nil
}
