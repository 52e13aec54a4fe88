package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"selfservice/api"
)

// Verification questions, the helpdesk's side (api.PrivQuestionCheck):
// see which questions a caller answered, and check the answer they give
// on the phone without seeing the stored one. Wrong answers are counted
// per answer: after Config.MaxFailures of them, with less than
// questionCheckWindow between one and the next, the question is locked
// for checking for questionCheckLockout, and each further wrong answer
// before the count is forgotten locks it again at once; so the check is
// no oracle to guess an answer with. A right answer, or the user
// changing the answer, forgets the count. Nobody checks their own.

const (
	questionCheckWindow  = 24 * time.Hour
	questionCheckLockout = time.Hour
	wrongAnswers         = "wrong answers to this question"
)

// listUserQuestions answers GET /users/{username}/questions.
func (s *Server) listUserQuestions(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	user, err := s.questionCaller(ctx, r, c)
	if err != nil {
		return err
	}
	answers, err := s.store.QuestionAnswers(ctx, user.ID)
	if err != nil {
		return err
	}
	out := api.UserQuestionsResponse{Username: user.Username, DisplayName: user.DisplayName, Questions: []api.UserQuestion{}}
	for _, q := range s.cfg.Tenant.Questions.questions() {
		a, ok := findAnswer(answers, q.ID)
		if !ok {
			continue
		}
		uq := api.UserQuestion{ID: q.ID, Text: q.Text, AnsweredAt: a.UpdatedAt}
		if a.Failures.LockedUntil.After(s.now()) {
			uq.LockedUntil = &a.Failures.LockedUntil
		}
		out.Questions = append(out.Questions, uq)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// checkUserAnswer answers POST /users/{username}/questions/{id}/check.
func (s *Server) checkUserAnswer(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	user, err := s.questionCaller(ctx, r, c)
	if err != nil {
		return err
	}
	q, req, err := s.answerTo(w, r)
	if err != nil {
		return err
	}
	answers, err := s.store.QuestionAnswers(ctx, user.ID)
	if err != nil {
		return err
	}
	a, ok := findAnswer(answers, q.ID)
	if !ok {
		return apiError(api.CodeNotFound, user.Username+" has not answered this question. Choose one they answered.")
	}
	if err := s.checkLock(a.Failures, wrongAnswers); err != nil {
		return err
	}
	matches, err := s.checkPassword(ctx, a.Hash, api.NormalizeAnswer(req.Answer))
	if err != nil {
		return err
	}
	left, err := s.countCheck(ctx, user.ID, q.ID, matches)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "verification answer checked", "user", user.Username, "question", q.ID,
		"by", c.user.Username, "matches", matches, "attempts_left", left)
	writeJSON(w, http.StatusOK, api.CheckAnswerResponse{Matches: matches, AttemptsLeft: left})
	return nil
}

// countCheck records a check of the user's answer to questionID and
// returns how many more wrong answers it takes before the question is
// locked. A check that a parallel one locked meanwhile fails as locked,
// right or wrong: no answer given during a lock tells which.
func (s *Server) countCheck(ctx context.Context, userID, questionID string, matches bool) (int, error) {
	var locked error
	left := s.cfg.MaxFailures
	now := s.now()
	err := s.store.UpdateQuestionFailures(ctx, userID, questionID, func(f *Failures) {
		if locked = s.checkLock(*f, wrongAnswers); locked != nil {
			return
		}
		if matches {
			*f = Failures{}
			return
		}
		if now.Sub(f.LastAt) >= questionCheckWindow {
			f.Count = 0
		}
		f.Count++
		f.LastAt = now
		left = max(s.cfg.MaxFailures-f.Count, 0)
		if left == 0 {
			f.LockedUntil = now.Add(questionCheckLockout)
		}
	})
	if errors.Is(err, ErrNotFound) {
		return 0, errNotAnswered() // removed meanwhile
	}
	if err != nil {
		return 0, err
	}
	return left, locked
}

// questionCaller checks that the caller may check other users' answers
// and returns the user of the path, who must be someone else.
func (s *Server) questionCaller(ctx context.Context, r *http.Request, c *caller) (UserRecord, error) {
	if err := c.require(api.PrivQuestionCheck); err != nil {
		return UserRecord{}, err
	}
	username := strings.ToLower(strings.TrimSpace(r.PathValue("username")))
	if username == c.user.Username {
		return UserRecord{}, apiError(api.CodeQuestionForSelf, "You cannot check your own answers. Ask another helpdesk member.")
	}
	user, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		return UserRecord{}, errUserNotFound()
	}
	return user, err
}
