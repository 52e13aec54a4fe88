package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

const requestColumns = `id, requester_id, operation, target, target_label, parameters, params_hash, status, required,
	created_at, expires_at, executed_at`

// CreateRequest implements Store.
func (s *SQLStore) CreateRequest(ctx context.Context, r RequestRecord) error {
	params, err := json.Marshal(r.Parameters)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx dbtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO approval_requests (`+requestColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.RequesterID, r.Operation, r.Target, r.TargetLabel, string(params), r.ParamsHash, r.Status, r.Required,
			toMillis(r.CreatedAt), toMillis(r.ExpiresAt), toMillis(r.ExecutedAt))
		if err != nil {
			return err
		}
		for _, id := range r.ApproverIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO approval_request_approvers (request_id, user_id) VALUES (?, ?)`, r.ID, id); err != nil {
				return err
			}
		}
		return insertHistory(ctx, tx, r.ID, 0, r.History)
	})
}

// insertHistory stores entries as the request's entries from seq on.
func insertHistory(ctx context.Context, tx dbtx, requestID string, seq int, entries []HistoryRecord) error {
	for i, h := range entries {
		_, err := tx.ExecContext(ctx, `INSERT INTO approval_history (request_id, seq, at, event, actor_id, comment)
			VALUES (?, ?, ?, ?, ?, ?)`, requestID, seq+i, toMillis(h.At), h.Event, nullIfEmpty(h.ActorID), h.Comment)
		if err != nil {
			return err
		}
	}
	return nil
}

// Request implements Store.
func (s *SQLStore) Request(ctx context.Context, id string) (RequestRecord, error) {
	var r RequestRecord
	var params string
	var created, expires, executed int64
	err := s.conn().QueryRowContext(ctx, `SELECT `+requestColumns+` FROM approval_requests WHERE id = ?`, id).Scan(
		&r.ID, &r.RequesterID, &r.Operation, &r.Target, &r.TargetLabel, &params, &r.ParamsHash, &r.Status, &r.Required,
		&created, &expires, &executed)
	if err != nil {
		return RequestRecord{}, notFound(err)
	}
	r.CreatedAt, r.ExpiresAt, r.ExecutedAt = fromMillis(created), fromMillis(expires), fromMillis(executed)
	if err := json.Unmarshal([]byte(params), &r.Parameters); err != nil {
		return RequestRecord{}, fmt.Errorf("request %s: parameters: %w", id, err)
	}
	r.ApproverIDs, err = s.queryStrings(ctx, `SELECT user_id FROM approval_request_approvers WHERE request_id = ? ORDER BY user_id`, id)
	if err != nil {
		return RequestRecord{}, err
	}
	r.History, err = s.history(ctx, id)
	return r, err
}

func (s *SQLStore) history(ctx context.Context, requestID string) ([]HistoryRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT at, event, actor_id, comment FROM approval_history
		WHERE request_id = ? ORDER BY seq`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryRecord
	for rows.Next() {
		var h HistoryRecord
		var at int64
		var actor sql.NullString
		if err := rows.Scan(&at, &h.Event, &actor, &h.Comment); err != nil {
			return nil, err
		}
		h.At, h.ActorID = fromMillis(at), actor.String
		out = append(out, h)
	}
	return out, rows.Err()
}

// RequestsOf implements Store.
func (s *SQLStore) RequestsOf(ctx context.Context, requesterID string) ([]RequestRecord, error) {
	return s.requests(ctx, `SELECT id FROM approval_requests WHERE requester_id = ?
		ORDER BY created_at DESC, rowid DESC`, requesterID)
}

// RequestsFor implements Store.
func (s *SQLStore) RequestsFor(ctx context.Context, approverID string) ([]RequestRecord, error) {
	return s.requests(ctx, `SELECT r.id FROM approval_requests r
		JOIN approval_request_approvers a ON a.request_id = r.id WHERE a.user_id = ?
		ORDER BY r.created_at DESC, r.rowid DESC`, approverID)
}

// requests loads the requests whose ids the query lists.
func (s *SQLStore) requests(ctx context.Context, query string, args ...any) ([]RequestRecord, error) {
	ids, err := s.queryStrings(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]RequestRecord, 0, len(ids))
	for _, id := range ids {
		r, err := s.Request(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// UpdateRequest implements Store.
func (s *SQLStore) UpdateRequest(ctx context.Context, id string, change func(r *RequestRecord) error) (RequestRecord, error) {
	var r RequestRecord
	err := s.transact(ctx, func(sqlTx *sql.Tx) error {
		st := s.within(sqlTx)
		tx := st.conn()
		var err error
		if r, err = st.Request(ctx, id); err != nil {
			return err
		}
		before := slices.Clone(r.History)
		if err := change(&r); err != nil {
			return err
		}
		if len(r.History) < len(before) || !slices.Equal(r.History[:len(before)], before) {
			return fmt.Errorf("request %s: a change may only append to the history", id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE approval_requests SET status = ?, expires_at = ?, executed_at = ? WHERE id = ?`,
			r.Status, toMillis(r.ExpiresAt), toMillis(r.ExecutedAt), id)
		if err != nil {
			return err
		}
		return insertHistory(ctx, tx, id, len(before), r.History[len(before):])
	})
	return r, err
}
