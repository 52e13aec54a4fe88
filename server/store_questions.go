package server

import (
	"context"
	"time"
)

// QuestionStore keeps the users' answers to verification questions.
// Each answer is kept twice: as an argon2id hash of its normalised form,
// to check it, and sealed under the server's secret key (bound to its
// row), to show it to its user after a step-up. The database never holds
// it in the clear.
type QuestionStore interface {
	// QuestionAnswers lists a user's answers, without the answers
	// themselves (Answer is empty): what they answered, when, and the
	// failed checks.
	QuestionAnswers(ctx context.Context, userID string) ([]QuestionAnswerRecord, error)
	// QuestionAnswer returns a user's answer to a question, with Answer
	// opened, or ErrNotFound.
	QuestionAnswer(ctx context.Context, userID, questionID string) (QuestionAnswerRecord, error)
	// SaveQuestionAnswer stores a user's answer to a question, replacing
	// the one they had (which keeps its id and creation time); a new
	// answer starts without failed checks.
	SaveQuestionAnswer(ctx context.Context, a QuestionAnswerRecord) error
	// DeleteQuestionAnswer deletes a user's answer to a question when
	// check, called with the ids of every question the user answered,
	// returns nil; ErrNotFound when there is no such answer.
	DeleteQuestionAnswer(ctx context.Context, userID, questionID string, check func(answered []string) error) error
	// UpdateQuestionFailures loads the failed checks of a user's answer,
	// calls change with them and saves them; ErrNotFound when there is
	// no such answer.
	UpdateQuestionFailures(ctx context.Context, userID, questionID string, change func(f *Failures)) error
}

// QuestionAnswerRecord is a user's answer to a verification question.
type QuestionAnswerRecord struct {
	ID         string
	UserID     string
	QuestionID string
	Hash       string // argon2id of the normalised answer (api.NormalizeAnswer)
	Answer     string // as the user typed it (api.CleanAnswer); sealed at rest
	Failures   Failures
	CreatedAt  time.Time
	UpdatedAt  time.Time
}
