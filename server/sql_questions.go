package server

import (
	"context"
	"database/sql"
	"errors"
)

// The users' verification answers (QuestionStore). The answer itself is
// sealed in the secret column, bound to the row's id (sql_secrets.go).

const questionColumns = `id, user_id, question_id, answer_hash, failures, locked_until, last_failure_at, created_at, updated_at`

// scanQuestionAnswer reads the columns of questionColumns, then those
// given in more.
func scanQuestionAnswer(scan func(dest ...any) error, more ...any) (QuestionAnswerRecord, error) {
	var a QuestionAnswerRecord
	var locked, last, created, updated int64
	dest := append([]any{&a.ID, &a.UserID, &a.QuestionID, &a.Hash, &a.Failures.Count, &locked, &last, &created, &updated}, more...)
	if err := scan(dest...); err != nil {
		return QuestionAnswerRecord{}, notFound(err)
	}
	a.Failures.LockedUntil, a.Failures.LastAt = fromMillis(locked), fromMillis(last)
	a.CreatedAt, a.UpdatedAt = fromMillis(created), fromMillis(updated)
	return a, nil
}

// QuestionAnswers implements Store.
func (s *SQLStore) QuestionAnswers(ctx context.Context, userID string) ([]QuestionAnswerRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT `+questionColumns+` FROM question_answers WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QuestionAnswerRecord
	for rows.Next() {
		a, err := scanQuestionAnswer(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// QuestionAnswer implements Store.
func (s *SQLStore) QuestionAnswer(ctx context.Context, userID, questionID string) (QuestionAnswerRecord, error) {
	var sealed []byte
	row := s.conn().QueryRowContext(ctx, `SELECT `+questionColumns+`, secret FROM question_answers WHERE user_id = ? AND question_id = ?`, userID, questionID)
	a, err := scanQuestionAnswer(row.Scan, &sealed)
	if err != nil {
		return a, err
	}
	plain, err := s.open(questionSecrets, a.ID, sealed)
	if err != nil {
		return QuestionAnswerRecord{}, err
	}
	a.Answer = string(plain)
	return a, nil
}

// SaveQuestionAnswer implements Store.
func (s *SQLStore) SaveQuestionAnswer(ctx context.Context, a QuestionAnswerRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM question_answers WHERE user_id = ? AND question_id = ?`, a.UserID, a.QuestionID).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			sealed, err := s.seal(questionSecrets, a.ID, []byte(a.Answer))
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO question_answers (id, user_id, question_id, answer_hash, secret, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.UserID, a.QuestionID, a.Hash, sealed, toMillis(a.CreatedAt), toMillis(a.UpdatedAt))
			return err
		case err != nil:
			return err
		}
		sealed, err := s.seal(questionSecrets, id, []byte(a.Answer))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE question_answers SET answer_hash = ?, secret = ?, updated_at = ?,
			failures = 0, locked_until = 0, last_failure_at = 0 WHERE id = ?`, a.Hash, sealed, toMillis(a.UpdatedAt), id)
		return err
	})
}

// DeleteQuestionAnswer implements Store.
func (s *SQLStore) DeleteQuestionAnswer(ctx context.Context, userID, questionID string, check func(answered []string) error) error {
	return s.inTx(ctx, func(tx dbtx) error {
		rows, err := tx.QueryContext(ctx, `SELECT question_id FROM question_answers WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		var answered []string
		found := false
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			answered = append(answered, id)
			found = found || id == questionID
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		if err := check(answered); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM question_answers WHERE user_id = ? AND question_id = ?`, userID, questionID)
		return err
	})
}

// UpdateQuestionFailures implements Store.
func (s *SQLStore) UpdateQuestionFailures(ctx context.Context, userID, questionID string, change func(f *Failures)) error {
	return s.inTx(ctx, func(tx dbtx) error {
		row := tx.QueryRowContext(ctx, `SELECT `+questionColumns+` FROM question_answers WHERE user_id = ? AND question_id = ?`, userID, questionID)
		a, err := scanQuestionAnswer(row.Scan)
		if err != nil {
			return err
		}
		change(&a.Failures)
		_, err = tx.ExecContext(ctx, `UPDATE question_answers SET failures = ?, locked_until = ?, last_failure_at = ? WHERE id = ?`,
			a.Failures.Count, toMillis(a.Failures.LockedUntil), toMillis(a.Failures.LastAt), a.ID)
		return err
	})
}
