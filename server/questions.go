package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"selfservice/api"
)

// Verification questions, the user's side: list the catalog with what
// they answered, answer or change, remove (never below the tenant's
// min_count) and reveal an answer. An answer is hashed (argon2id, in one
// of the password hashing slots) in its normalised form, and kept sealed
// as typed for the reveal, which always needs a step-up
// (api.OpQuestionReveal): the answer is a secret that signs the user in
// with the helpdesk. Answers never reach the log.

// listQuestions answers GET /account/questions.
func (s *Server) listQuestions(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivQuestionView); err != nil {
		return err
	}
	return s.writeQuestions(w, r.Context(), c.user.ID)
}

// answerQuestion answers PUT /account/questions/{id}: the answer is
// stored, replacing the one the user had, and the answer is the list.
func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivQuestionUpdate); err != nil {
		return err
	}
	q, req, err := s.answerTo(w, r)
	if err != nil {
		return err
	}
	if msg := q.CheckAnswer(req.Answer); msg != "" {
		return api.FieldError(map[string]string{"answer": msg})
	}
	ctx := r.Context()
	normalized := api.NormalizeAnswer(req.Answer)
	if err := s.checkAnswerIsNew(ctx, c.user.ID, q.ID, normalized); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, normalized)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.SaveQuestionAnswer(ctx, QuestionAnswerRecord{
		ID:         uuid.NewString(),
		UserID:     c.user.ID,
		QuestionID: q.ID,
		Hash:       hash,
		Answer:     api.CleanAnswer(req.Answer),
		CreatedAt:  now,
		UpdatedAt:  now,
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "verification answer saved", "user", c.user.ID, "question", q.ID)
	return s.writeQuestions(w, ctx, c.user.ID)
}

// checkAnswerIsNew refuses an answer the user gave to another question:
// one answer for every question is one secret, not several.
func (s *Server) checkAnswerIsNew(ctx context.Context, userID, questionID, normalized string) error {
	answered, err := s.answeredQuestions(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range answered {
		if id == questionID {
			continue
		}
		other, err := s.store.QuestionAnswer(ctx, userID, id)
		if err != nil {
			return err
		}
		if api.NormalizeAnswer(other.Answer) == normalized {
			return api.FieldError(map[string]string{"answer": "You gave this answer to another question. Give each question an answer of its own."})
		}
	}
	return nil
}

// answeredQuestions lists the ids of the catalog's questions the user
// answered.
func (s *Server) answeredQuestions(ctx context.Context, userID string) ([]string, error) {
	answers, err := s.store.QuestionAnswers(ctx, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(answers))
	for _, a := range answers {
		ids = append(ids, a.QuestionID)
	}
	return s.inCatalog(ids), nil
}

// inCatalog keeps the ids of questions that are in the catalog: answers
// to questions the organisation removed count for nothing.
func (s *Server) inCatalog(ids []string) []string {
	return slices.DeleteFunc(ids, func(id string) bool {
		_, ok := s.cfg.Tenant.Questions.question(id)
		return !ok
	})
}

// removeAnswer answers DELETE /account/questions/{id}, unless the user
// would keep fewer answers than min_count.
func (s *Server) removeAnswer(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivQuestionUpdate); err != nil {
		return err
	}
	q, err := s.catalogQuestion(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	minCount := s.cfg.Tenant.Questions.MinCount
	err = s.store.DeleteQuestionAnswer(ctx, c.user.ID, q.ID, func(answered []string) error {
		if len(s.inCatalog(answered)) <= minCount {
			return errTooFewAnswers(minCount)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return errNotAnswered()
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "verification answer removed", "user", c.user.ID, "question", q.ID)
	return s.writeQuestions(w, ctx, c.user.ID)
}

// revealAnswer answers POST /account/questions/{id}/reveal with the
// user's answer, after a step-up whatever the approval policies: the
// first call is refused with approval_required, the call repeated with
// the confirmed approval gets the answer, once.
func (s *Server) revealAnswer(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.require(api.PrivQuestionView); err != nil {
		return err
	}
	q, err := s.catalogQuestion(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	answered, err := s.answeredQuestions(ctx, c.user.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(answered, q.ID) {
		return errNotAnswered() // nobody confirms what cannot run
	}
	action := approvable{op: api.OpQuestionReveal, target: q.ID, label: q.Text, params: map[string]string{}}
	approvalID := r.Header.Get(api.ApprovalHeader)
	if approvalID == "" {
		return s.newStepUp(ctx, c, action)
	}
	g := grant{mode: api.ModeSelf, id: approvalID, userID: c.user.ID, action: action}
	var answer QuestionAnswerRecord
	err = s.store.Atomically(ctx, func(tx Store) error {
		if err := s.consume(ctx, tx, g); err != nil {
			return err
		}
		var err error
		answer, err = tx.QuestionAnswer(ctx, c.user.ID, q.ID)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return errNotAnswered()
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "verification answer revealed", "user", c.user.ID, "question", q.ID)
	writeJSON(w, http.StatusOK, api.RevealResponse{QuestionID: q.ID, Answer: answer.Answer})
	return nil
}

// writeQuestions sends the catalog with what the user answered.
func (s *Server) writeQuestions(w http.ResponseWriter, ctx context.Context, userID string) error {
	answers, err := s.store.QuestionAnswers(ctx, userID)
	if err != nil {
		return err
	}
	out := api.QuestionsResponse{MinCount: s.cfg.Tenant.Questions.MinCount, Questions: s.cfg.Tenant.Questions.questions()}
	for i, q := range out.Questions {
		if a, ok := findAnswer(answers, q.ID); ok {
			out.Questions[i].AnsweredAt = &a.UpdatedAt
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// findAnswer finds the answer to the question id among answers.
func findAnswer(answers []QuestionAnswerRecord, id string) (QuestionAnswerRecord, bool) {
	i := slices.IndexFunc(answers, func(a QuestionAnswerRecord) bool { return a.QuestionID == id })
	if i < 0 {
		return QuestionAnswerRecord{}, false
	}
	return answers[i], true
}

// answerTo reads an answer to the catalog's question of the path.
func (s *Server) answerTo(w http.ResponseWriter, r *http.Request) (api.Question, api.AnswerRequest, error) {
	var req api.AnswerRequest
	q, err := s.catalogQuestion(r.PathValue("id"))
	if err != nil {
		return q, req, err
	}
	return q, req, s.decodeValid(w, r, &req)
}

// catalogQuestion returns the catalog's question id, or not_found.
func (s *Server) catalogQuestion(id string) (api.Question, error) {
	q, ok := s.cfg.Tenant.Questions.question(id)
	if !ok {
		return q, apiError(api.CodeNotFound, "There is no such verification question. Reload the list of questions.")
	}
	return q, nil
}

func errNotAnswered() error {
	return apiError(api.CodeNotFound, "This question has not been answered. Answer it first.")
}

func errTooFewAnswers(minCount int) error {
	answers := "1 answer"
	if minCount != 1 {
		answers = fmt.Sprintf("%d answers", minCount)
	}
	e := apiError(api.CodeTooFewAnswers, "Your organisation asks you to keep at least "+answers+
		". Answer another question first, then remove this one; or change this answer instead.")
	e.Details = map[string]any{"min_count": minCount}
	return e
}
