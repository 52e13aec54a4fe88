package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"selfservice/api"
)

const invitationColumns = `id, sponsor_id, template_id, name, email, fields, status, request_id,
	created_at, sent_at, expires_at, accepted_username`

// CreateInvitation implements Store.
func (s *SQLStore) CreateInvitation(ctx context.Context, inv InvitationRecord) error {
	fields, err := json.Marshal(inv.Fields)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx dbtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO invitations (`+invitationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, inv.SponsorID, inv.TemplateID, inv.Name, inv.Email, string(fields), inv.Status, inv.RequestID,
			toMillis(inv.CreatedAt), toMillis(inv.SentAt), toMillis(inv.ExpiresAt), inv.AcceptedUsername)
		if err != nil {
			return err
		}
		return insertInvitationEvents(ctx, tx, inv.ID, 0, inv.History)
	})
}

// insertInvitationEvents appends events to an invitation's history,
// which has n events already.
func insertInvitationEvents(ctx context.Context, tx dbtx, id string, n int, events []InvitationEventRecord) error {
	for i, ev := range events {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitation_events (invitation_id, seq, at, event) VALUES (?, ?, ?, ?)`,
			id, n+i+1, toMillis(ev.At), ev.Event); err != nil {
			return err
		}
	}
	return nil
}

// Invitation implements Store.
func (s *SQLStore) Invitation(ctx context.Context, id string) (InvitationRecord, error) {
	return s.oneInvitation(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = ?`, id)
}

// InvitationByRequest implements Store.
func (s *SQLStore) InvitationByRequest(ctx context.Context, requestID string) (InvitationRecord, error) {
	return s.oneInvitation(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE request_id = ? AND request_id <> ''`, requestID)
}

func (s *SQLStore) oneInvitation(ctx context.Context, query string, args ...any) (InvitationRecord, error) {
	list, err := s.queryInvitations(ctx, query, args...)
	if err != nil {
		return InvitationRecord{}, err
	}
	if len(list) == 0 {
		return InvitationRecord{}, ErrNotFound
	}
	return list[0], nil
}

// Invitations implements Store.
func (s *SQLStore) Invitations(ctx context.Context, sponsorID string) ([]InvitationRecord, error) {
	return s.queryInvitations(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE sponsor_id = ?
		ORDER BY created_at DESC, id`, sponsorID)
}

// InvitationsTo implements Store.
func (s *SQLStore) InvitationsTo(ctx context.Context, email string) ([]InvitationRecord, error) {
	return s.queryInvitations(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE lower(email) = lower(?) AND status IN (?, ?) ORDER BY created_at`, email, api.InvitationInApproval, api.InvitationSent)
}

// queryInvitations runs a query of invitationColumns and loads each
// invitation's history.
func (s *SQLStore) queryInvitations(ctx context.Context, query string, args ...any) ([]InvitationRecord, error) {
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []InvitationRecord
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, inv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].History, err = s.invitationEvents(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanInvitation(row scanner) (InvitationRecord, error) {
	var inv InvitationRecord
	var fields string
	var created, sent, expires int64
	err := row.Scan(&inv.ID, &inv.SponsorID, &inv.TemplateID, &inv.Name, &inv.Email, &fields, &inv.Status, &inv.RequestID,
		&created, &sent, &expires, &inv.AcceptedUsername)
	if err != nil {
		return inv, err
	}
	inv.CreatedAt, inv.SentAt, inv.ExpiresAt = fromMillis(created), fromMillis(sent), fromMillis(expires)
	if err := json.Unmarshal([]byte(fields), &inv.Fields); err != nil {
		return inv, fmt.Errorf("invitation %s: fields: %w", inv.ID, err)
	}
	return inv, nil
}

func (s *SQLStore) invitationEvents(ctx context.Context, id string) ([]InvitationEventRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT at, event FROM invitation_events WHERE invitation_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InvitationEventRecord
	for rows.Next() {
		var ev InvitationEventRecord
		var at int64
		if err := rows.Scan(&at, &ev.Event); err != nil {
			return nil, err
		}
		ev.At = fromMillis(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// UpdateInvitation implements Store.
func (s *SQLStore) UpdateInvitation(ctx context.Context, id string, change func(inv *InvitationRecord) error) (InvitationRecord, error) {
	var inv InvitationRecord
	err := s.transact(ctx, func(sqlTx *sql.Tx) error {
		st := s.within(sqlTx)
		var err error
		if inv, err = st.Invitation(ctx, id); err != nil {
			return err
		}
		before := slices.Clone(inv.History)
		if err := change(&inv); err != nil {
			return err
		}
		if len(inv.History) < len(before) || !slices.Equal(inv.History[:len(before)], before) {
			return fmt.Errorf("invitation %s: a change may only append to the history", id)
		}
		tx := st.conn()
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET status = ?, request_id = ?, sent_at = ?, expires_at = ?, accepted_username = ?
			WHERE id = ?`, inv.Status, inv.RequestID, toMillis(inv.SentAt), toMillis(inv.ExpiresAt), inv.AcceptedUsername, id); err != nil {
			return err
		}
		return insertInvitationEvents(ctx, tx, id, len(before), inv.History[len(before):])
	})
	return inv, err
}

// DeleteInvitation implements Store.
func (s *SQLStore) DeleteInvitation(ctx context.Context, id string) error {
	return execOne(ctx, s.conn(), `DELETE FROM invitations WHERE id = ?`, id)
}

// ExpireInvitations implements Store.
func (s *SQLStore) ExpireInvitations(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx dbtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitation_events (invitation_id, seq, at, event)
			SELECT i.id, (SELECT count(*) + 1 FROM invitation_events e WHERE e.invitation_id = i.id), i.expires_at, ?
			FROM invitations i WHERE i.status = ? AND i.expires_at <= ?`,
			api.InvitationEventExpired, api.InvitationSent, toMillis(now)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET status = ? WHERE status = ? AND expires_at <= ?`,
			api.InvitationExpired, api.InvitationSent, toMillis(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
