package server

import (
	"context"
	"fmt"
)

// Token seeds (and the users' verification answers) at rest: the store
// seals them when it writes them and opens them when it reads them
// (scanToken, CreateToken, their hardware token counterparts and
// sql_questions.go), so that its callers see them in the clear and the
// database never holds them so.

// sealedColumn is a column of seeds the store keeps sealed: the secret
// column of a table, whose rows are named by the key column.
type sealedColumn struct {
	table, key string
	what       string // the row, in errors
}

var (
	tokenSecrets    = sealedColumn{table: "tokens", key: "id", what: "token"}
	hardwareSecrets = sealedColumn{table: "hardware_tokens", key: "serial", what: "hardware token"}
	questionSecrets = sealedColumn{table: "question_answers", key: "id", what: "verification answer"}
	sealedColumns   = []sealedColumn{tokenSecrets, hardwareSecrets, questionSecrets}
)

// associatedData binds a sealed seed to its table and row: moved to
// another row, it does not open.
func (c sealedColumn) associatedData(rowKey string) []byte {
	return []byte(c.table + ".secret\x00" + rowKey)
}

// seal is the stored form of the seed of row rowKey of c. A token without
// a seed (FIDO2, SMS, email, push) keeps an empty one.
func (s *SQLStore) seal(c sealedColumn, rowKey string, secret []byte) ([]byte, error) {
	if len(secret) == 0 {
		return secret, nil
	}
	if s.box == nil {
		return nil, ErrNoSecretKey
	}
	return s.box.Seal(secret, c.associatedData(rowKey)), nil
}

// open is the seed of row rowKey of c from its stored form.
func (s *SQLStore) open(c sealedColumn, rowKey string, stored []byte) ([]byte, error) {
	if len(stored) == 0 {
		return stored, nil
	}
	if s.box == nil {
		return nil, ErrNoSecretKey
	}
	secret, err := s.box.Open(stored, c.associatedData(rowKey))
	if err != nil {
		return nil, fmt.Errorf("the secret of %s %s: %w", c.what, rowKey, err)
	}
	return secret, nil
}

// prepareSecrets runs when a store opens with its keys: it seals the
// seeds SQLite migration 0012 found in the clear, and checks that every sealed
// seed names a key the store has, so that a wrong key stops the server
// at its start rather than at a sign-in.
func (s *SQLStore) prepareSecrets(ctx context.Context) error {
	if s.box == nil {
		return nil
	}
	sealed := 0
	err := s.inTx(ctx, func(tx dbtx) error {
		if !s.engine.hadClearSeeds {
			return s.checkKeys(ctx, tx)
		}
		for _, c := range sealedColumns {
			n, err := s.rewriteSecrets(ctx, tx, c, `WHERE t.`+c.key+` IN (SELECT row_key FROM unsealed_secrets WHERE table_name = ?)`,
				[]any{c.table}, func(rowKey string, plain []byte) ([]byte, error) {
					return s.seal(c, rowKey, plain)
				})
			if err != nil {
				return err
			}
			sealed += n
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM unsealed_secrets`); err != nil {
			return err
		}
		return s.checkKeys(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("token secrets: %w", err)
	}
	if sealed > 0 && s.engine.scrub != nil {
		return s.engine.scrub(ctx, s.db)
	}
	return nil
}

// checkKeys fails when a sealed seed names a key the store does not have.
func (s *SQLStore) checkKeys(ctx context.Context, tx dbtx) error {
	for _, c := range sealedColumns {
		_, err := s.rewriteSecrets(ctx, tx, c, `WHERE length(t.secret) > 0`, nil, func(rowKey string, stored []byte) ([]byte, error) {
			if _, err := s.box.keyOf(stored); err != nil {
				return nil, fmt.Errorf("%s %s: %w", c.what, rowKey, err)
			}
			return nil, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ResealSecrets seals again under the current key every seed sealed with
// a previous one, in one transaction, and returns how many it resealed.
// Afterwards the previous keys are no longer needed to read the seeds.
func (s *SQLStore) ResealSecrets(ctx context.Context) (int, error) {
	if s.box == nil {
		return 0, ErrNoSecretKey
	}
	resealed := 0
	err := s.inTx(ctx, func(tx dbtx) error {
		for _, c := range sealedColumns {
			n, err := s.rewriteSecrets(ctx, tx, c, `WHERE length(t.secret) > 0`, nil, func(rowKey string, stored []byte) ([]byte, error) {
				if s.box.sealedWithCurrent(stored) {
					return nil, nil
				}
				plain, err := s.open(c, rowKey, stored)
				if err != nil {
					return nil, err
				}
				return s.seal(c, rowKey, plain)
			})
			if err != nil {
				return err
			}
			resealed += n
		}
		return nil
	})
	if err != nil || resealed == 0 || s.engine.scrub == nil {
		return resealed, err
	}
	return resealed, s.engine.scrub(ctx, s.db)
}

// rewriteSecrets replaces, in tx, the secret of each row of c that where
// selects (a WHERE clause on the table as t, with its args) by what
// change makes of it; change returns nil to leave a row as it is. It
// returns how many rows it changed.
func (s *SQLStore) rewriteSecrets(ctx context.Context, tx dbtx, c sealedColumn, where string, args []any,
	change func(rowKey string, secret []byte) ([]byte, error)) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.`+c.key+`, t.secret FROM `+c.table+` t `+where, args...)
	if err != nil {
		return 0, err
	}
	type row struct {
		key    string
		secret []byte
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.secret); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range all {
		next, err := change(r.key, r.secret)
		if err != nil {
			return n, err
		}
		if next == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET secret = ? WHERE `+c.key+` = ?`, next, r.key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
