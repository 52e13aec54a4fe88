package server

import (
	"context"
	"maps"
	"slices"
)

// Profile implements Store.
func (s *SQLStore) Profile(ctx context.Context, userID string) (ProfileRecord, error) {
	return profile(ctx, s.conn(), userID)
}

func profile(ctx context.Context, q dbtx, userID string) (ProfileRecord, error) {
	var p ProfileRecord
	err := q.QueryRowContext(ctx, `SELECT display_name, language, time_zone, date_format FROM users WHERE id = ?`, userID).
		Scan(&p.DisplayName, &p.Preferences.Language, &p.Preferences.TimeZone, &p.Preferences.DateFormat)
	if err != nil {
		return ProfileRecord{}, notFound(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT field_id, value FROM profile_values WHERE user_id = ?`, userID)
	if err != nil {
		return ProfileRecord{}, err
	}
	defer rows.Close()
	p.Fields = map[string]string{}
	for rows.Next() {
		var id, value string
		if err := rows.Scan(&id, &value); err != nil {
			return ProfileRecord{}, err
		}
		p.Fields[id] = value
	}
	return p, rows.Err()
}

// UpdateProfile implements Store.
func (s *SQLStore) UpdateProfile(ctx context.Context, userID string, change func(p *ProfileRecord) error) (ProfileRecord, error) {
	var out ProfileRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		old, err := profile(ctx, tx, userID)
		if err != nil {
			return err
		}
		p := old
		p.Fields = maps.Clone(old.Fields)
		if err := change(&p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = ?, language = ?, time_zone = ?, date_format = ? WHERE id = ?`,
			p.DisplayName, p.Preferences.Language, p.Preferences.TimeZone, p.Preferences.DateFormat, userID); err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(p.Fields)) {
			if value := p.Fields[id]; value == "" {
				delete(p.Fields, id)
			} else if value != old.Fields[id] {
				if _, err := tx.ExecContext(ctx, `INSERT INTO profile_values (user_id, field_id, value) VALUES (?, ?, ?)
					ON CONFLICT (user_id, field_id) DO UPDATE SET value = excluded.value`, userID, id, value); err != nil {
					return err
				}
			}
		}
		for id := range old.Fields {
			if _, kept := p.Fields[id]; !kept {
				if _, err := tx.ExecContext(ctx, `DELETE FROM profile_values WHERE user_id = ? AND field_id = ?`, userID, id); err != nil {
					return err
				}
			}
		}
		out = p
		return nil
	})
	return out, err
}
