package server

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"selfservice/api"
)

// demoAnswers are the demo employee's answers, by question of the demo's
// catalog (demo_tenant.json), so that the Verification questions area
// is not empty and the demo helpdesk account has answers to check.
var demoAnswers = []struct{ questionID, answer string }{
	{"first-pet", "Biscuit"},
	{"first-street", "Harbour Lane"},
}

// SeedDemoQuestions answers the questions of demoAnswers that the
// tenant's catalog has for the demo employee, unless they answered any
// question already: their own changes stay. Call it after SeedDemo.
func SeedDemoQuestions(ctx context.Context, store Store, t Tenant) error {
	user, err := store.UserByUsername(ctx, demoUsers[0].username)
	if err != nil {
		return fmt.Errorf("seed demo answers: %w", err)
	}
	answers, err := store.QuestionAnswers(ctx, user.ID)
	if err != nil || len(answers) > 0 {
		return err
	}
	now := time.Now().UTC()
	for _, d := range demoAnswers {
		if _, ok := t.Questions.question(d.questionID); !ok {
			continue
		}
		err := store.SaveQuestionAnswer(ctx, QuestionAnswerRecord{
			ID:         uuid.NewString(),
			UserID:     user.ID,
			QuestionID: d.questionID,
			Hash:       hashPassword(api.NormalizeAnswer(d.answer)),
			Answer:     d.answer,
			CreatedAt:  now,
			UpdatedAt:  now,
		})
		if err != nil {
			return fmt.Errorf("seed demo answers: %w", err)
		}
	}
	return nil
}
