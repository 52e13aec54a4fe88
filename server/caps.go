package server

import (
	"context"
	"time"

	"selfservice/server/notify"
)

// Daily caps of SMS and email. Every message the server puts in the
// outbox counts for 24 hours, against the user it was sent for and
// against the deployment, whether it was sent, failed or is still
// waiting, and whatever became of the token it was for: deleting a
// pending SMS token and enrolling a new one sends no more. The outbox
// keeps its rows 30 days (outboxRetention), so it is the count itself,
// on the database every server shares.

// capWindow is the time a sent message counts against the caps.
const capWindow = 24 * time.Hour

// checkDailyCaps fails with message_limit_reached when one more message
// on channel for userID would pass the user's or the deployment's cap,
// saying when the oldest message counted leaves the window.
func (s *Server) checkDailyCaps(ctx context.Context, tx Store, userID, channel string, now time.Time) error {
	perUser, everyone := s.cfg.DailySMSPerUser, s.cfg.DailySMS
	if channel == notify.ChannelEmail {
		perUser, everyone = s.cfg.DailyEmailPerUser, s.cfg.DailyEmail
	}
	since := now.Add(-capWindow)
	if userID != "" {
		full, err := tx.NthLastMessage(ctx, channel, userID, since, perUser)
		if err != nil {
			return err
		}
		if !full.IsZero() {
			return errMessageLimit(channel, full.Add(capWindow).Sub(now), false)
		}
	}
	full, err := tx.NthLastMessage(ctx, channel, "", since, everyone)
	if err != nil {
		return err
	}
	if !full.IsZero() {
		s.log.Warn("Daily message cap of the deployment reached; messages are refused until older ones leave the 24-hour window",
			"channel", channel, "cap", everyone, "free_at", full.Add(capWindow))
		return errMessageLimit(channel, full.Add(capWindow).Sub(now), true)
	}
	return nil
}
