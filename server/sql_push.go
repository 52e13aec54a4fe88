package server

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// SetProvisioning implements Store.
func (s *SQLStore) SetProvisioning(ctx context.Context, p ProvisioningRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO push_provisioning (token_id, user_id, code_hash, expires_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (token_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at`,
		p.TokenID, p.UserID, p.CodeHash, toMillis(p.ExpiresAt))
	return err
}

// Provisioning implements Store.
func (s *SQLStore) Provisioning(ctx context.Context, codeHash string) (ProvisioningRecord, error) {
	var p ProvisioningRecord
	var expires int64
	err := s.conn().QueryRowContext(ctx, `SELECT token_id, user_id, code_hash, expires_at FROM push_provisioning
		WHERE code_hash = ?`, codeHash).Scan(&p.TokenID, &p.UserID, &p.CodeHash, &expires)
	p.ExpiresAt = fromMillis(expires)
	return p, notFound(err)
}

// DeleteProvisioning implements Store.
func (s *SQLStore) DeleteProvisioning(ctx context.Context, tokenID string) error {
	return execOne(ctx, s.conn(), `DELETE FROM push_provisioning WHERE token_id = ?`, tokenID)
}

// SaveDevice implements Store.
func (s *SQLStore) SaveDevice(ctx context.Context, d PushDeviceRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO push_devices (token_id, public_key, device_name, created_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (token_id) DO UPDATE SET public_key = excluded.public_key,
			device_name = excluded.device_name, created_at = excluded.created_at`,
		d.TokenID, d.PublicKey, d.DeviceName, toMillis(d.CreatedAt))
	return err
}

// Device implements Store.
func (s *SQLStore) Device(ctx context.Context, tokenID string) (PushDeviceRecord, error) {
	var d PushDeviceRecord
	var created int64
	err := s.conn().QueryRowContext(ctx, `SELECT d.token_id, d.public_key, d.device_name, d.created_at, t.user_id, t.status
		FROM push_devices d JOIN tokens t ON t.id = d.token_id WHERE d.token_id = ?`, tokenID).
		Scan(&d.TokenID, &d.PublicKey, &d.DeviceName, &created, &d.UserID, &d.Status)
	d.CreatedAt = fromMillis(created)
	return d, notFound(err)
}

const pushRequestSelect = `SELECT id, kind, scope, coalesce(token_id, ''), coalesce(user_id, ''), summary, challenge,
	status, created_at, expires_at, answered_at, number, choices, device, ip FROM push_requests`

func scanPushRequest(row scanner) (PushRequestRecord, error) {
	var r PushRequestRecord
	var created, expires, answered int64
	var choices string
	err := row.Scan(&r.ID, &r.Kind, &r.Scope, &r.TokenID, &r.UserID, &r.Summary, &r.Challenge,
		&r.Status, &created, &expires, &answered, &r.Number, &choices, &r.Device, &r.IP)
	r.CreatedAt, r.ExpiresAt, r.AnsweredAt = fromMillis(created), fromMillis(expires), fromMillis(answered)
	r.Choices = parseChoices(choices)
	return r, notFound(err)
}

// nullable stores "" as NULL, for the references a qr-login request has
// not got yet.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreatePushRequest implements Store.
func (s *SQLStore) CreatePushRequest(ctx context.Context, r PushRequestRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO push_requests (id, kind, scope, token_id, user_id, summary,
		challenge, status, created_at, expires_at, answered_at, number, choices, device, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Kind, r.Scope, nullable(r.TokenID), nullable(r.UserID), r.Summary, r.Challenge, r.Status,
		toMillis(r.CreatedAt), toMillis(r.ExpiresAt), toMillis(r.AnsweredAt), r.Number, formatChoices(r.Choices), r.Device, r.IP)
	return err
}

// PushRequest implements Store.
func (s *SQLStore) PushRequest(ctx context.Context, id string) (PushRequestRecord, error) {
	return scanPushRequest(s.conn().QueryRowContext(ctx, pushRequestSelect+` WHERE id = ?`, id))
}

// QRLoginRequest implements Store.
func (s *SQLStore) QRLoginRequest(ctx context.Context, scope string) (PushRequestRecord, error) {
	return scanPushRequest(s.conn().QueryRowContext(ctx, pushRequestSelect+` WHERE scope = ? AND kind = 'qr-login'`, scope))
}

// PendingPushRequests implements Store.
func (s *SQLStore) PendingPushRequests(ctx context.Context, tokenID string, now time.Time) ([]PushRequestRecord, error) {
	rows, err := s.conn().QueryContext(ctx, pushRequestSelect+` WHERE token_id = ? AND status = 'PENDING' AND expires_at > ?
		ORDER BY created_at, rowid`, tokenID, toMillis(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PushRequestRecord
	for rows.Next() {
		r, err := scanPushRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// UpdatePushRequest implements Store.
func (s *SQLStore) UpdatePushRequest(ctx context.Context, id string, change func(r *PushRequestRecord) error) (PushRequestRecord, error) {
	var r PushRequestRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		r, err = scanPushRequest(tx.QueryRowContext(ctx, pushRequestSelect+` WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if err := change(&r); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE push_requests SET token_id = ?, user_id = ?, status = ?, answered_at = ?
			WHERE id = ?`, nullable(r.TokenID), nullable(r.UserID), r.Status, toMillis(r.AnsweredAt), r.ID)
		return err
	})
	return r, err
}

// formatChoices stores the numbers a phone offers as "47,12,83".
func formatChoices(choices []int) string {
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// parseChoices reads what formatChoices stored.
func parseChoices(s string) []int {
	var out []int
	for _, part := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(part); err == nil {
			out = append(out, n)
		}
	}
	return out
}
