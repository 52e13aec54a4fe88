package server

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// credentialColumns are read by tokenSelect from the LEFT JOIN of a
// token's credential; all NULL when it has none.
const credentialColumns = `c.credential_id, c.public_key, c.sign_count, c.aaguid, c.attestation_format,
	c.transports, c.user_present, c.user_verified, c.backup_eligible, c.backup_state`

// credentialScan receives credentialColumns.
type credentialScan struct {
	id, publicKey, aaguid    []byte
	signCount                sql.NullInt64
	format, transports       sql.NullString
	up, uv, backup, backedUp sql.NullBool
}

func (c *credentialScan) dest() []any {
	return []any{&c.id, &c.publicKey, &c.signCount, &c.aaguid, &c.format,
		&c.transports, &c.up, &c.uv, &c.backup, &c.backedUp}
}

// credential is what was scanned, or nil when the token has no credential.
func (c *credentialScan) credential() *WebAuthnCredential {
	if c.id == nil {
		return nil
	}
	var transports []string
	if c.transports.String != "" {
		transports = strings.Split(c.transports.String, ",")
	}
	return &WebAuthnCredential{
		ID:                c.id,
		PublicKey:         c.publicKey,
		SignCount:         uint32(c.signCount.Int64),
		AAGUID:            c.aaguid,
		AttestationFormat: c.format.String,
		Transports:        transports,
		UserPresent:       c.up.Bool,
		UserVerified:      c.uv.Bool,
		BackupEligible:    c.backup.Bool,
		BackupState:       c.backedUp.Bool,
	}
}

// saveCredential stores a token's credential (nothing when nil); a
// credential ID another token has gives ErrConflict.
func saveCredential(ctx context.Context, tx dbtx, tokenID string, c *WebAuthnCredential) error {
	if c == nil {
		return nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM webauthn_credentials WHERE credential_id = ? AND token_id <> ?`,
		c.ID, tokenID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrConflict
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO webauthn_credentials (token_id, credential_id, public_key, sign_count,
			aaguid, attestation_format, transports, user_present, user_verified, backup_eligible, backup_state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (token_id) DO UPDATE SET credential_id = excluded.credential_id, public_key = excluded.public_key,
			sign_count = excluded.sign_count, aaguid = excluded.aaguid, attestation_format = excluded.attestation_format,
			transports = excluded.transports, user_present = excluded.user_present, user_verified = excluded.user_verified,
			backup_eligible = excluded.backup_eligible, backup_state = excluded.backup_state`,
		tokenID, c.ID, c.PublicKey, int64(c.SignCount), nonNil(c.AAGUID), c.AttestationFormat,
		strings.Join(c.Transports, ","), c.UserPresent, c.UserVerified, c.BackupEligible, c.BackupState)
	return err
}

// nonNil keeps NOT NULL blob columns from getting NULL for an empty value.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// WebAuthnHandle implements Store.
func (s *SQLStore) WebAuthnHandle(ctx context.Context, userID string, newHandle []byte) ([]byte, error) {
	var handle []byte
	err := s.inTx(ctx, func(tx dbtx) error {
		err := tx.QueryRowContext(ctx, `SELECT handle FROM webauthn_users WHERE user_id = ?`, userID).Scan(&handle)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		handle = newHandle
		_, err = tx.ExecContext(ctx, `INSERT INTO webauthn_users (user_id, handle) VALUES (?, ?)`, userID, handle)
		return err
	})
	return handle, err
}

// UserByWebAuthnHandle implements Store.
func (s *SQLStore) UserByWebAuthnHandle(ctx context.Context, handle []byte) (UserRecord, error) {
	return scanUser(s.conn().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users
		JOIN webauthn_users ON webauthn_users.user_id = users.id WHERE webauthn_users.handle = ?`, handle))
}

// TokenByCredentialID implements Store.
func (s *SQLStore) TokenByCredentialID(ctx context.Context, credentialID []byte) (TokenRecord, error) {
	return s.scanToken(s.conn().QueryRowContext(ctx, tokenSelect+` WHERE c.credential_id = ?`, credentialID))
}

// SaveChallenge implements Store.
func (s *SQLStore) SaveChallenge(ctx context.Context, c ChallengeRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO webauthn_challenges (key, user_id, token_id, session, expires_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, token_id = excluded.token_id,
		session = excluded.session, expires_at = excluded.expires_at`,
		c.Key, nullIfEmpty(c.UserID), nullIfEmpty(c.TokenID), string(c.Session), toMillis(c.ExpiresAt))
	return err
}

// TakeChallenge implements Store.
func (s *SQLStore) TakeChallenge(ctx context.Context, key string) (ChallengeRecord, error) {
	c := ChallengeRecord{Key: key}
	var userID, tokenID sql.NullString
	var session string
	var expires int64
	err := s.conn().QueryRowContext(ctx, `DELETE FROM webauthn_challenges WHERE key = ?
		RETURNING user_id, token_id, session, expires_at`, key).Scan(&userID, &tokenID, &session, &expires)
	c.UserID, c.TokenID = userID.String, tokenID.String
	c.Session = []byte(session)
	c.ExpiresAt = fromMillis(expires)
	return c, notFound(err)
}

// nullIfEmpty stores "" as NULL, for optional references.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
