package app

import (
	"context"
	"strings"

	"selfservice/api"
)

// Verification questions. The user answers questions of the
// organisation's catalog (api.PrivQuestionUpdate), keeps at least its
// MinCount answers, and sees an answer again only after confirming it's
// them: RevealAnswer fails with approval_required every time, and the
// caller repeats it once with the confirmed approval (see approvals.go).
// Helpdesk staff (api.PrivQuestionCheck) check the answer a caller gives
// without seeing theirs.

// Questions lists the catalog with the questions the user answered.
func (s *Session) Questions(ctx context.Context) (api.QuestionsResponse, error) {
	return call(s, func(b Backend) (api.QuestionsResponse, error) {
		return b.Questions(ctx)
	})
}

// AnswerQuestion answers q, or changes its answer, and returns the
// questions as they are then. An answer too short or too long for q is a
// field error of "answer", found before anything is sent; the server
// also refuses, there, an answer the user gave to another question.
func (s *Session) AnswerQuestion(ctx context.Context, q api.Question, answer string) (api.QuestionsResponse, error) {
	if msg := q.CheckAnswer(answer); msg != "" {
		return api.QuestionsResponse{}, api.FieldError(map[string]string{"answer": msg})
	}
	return call(s, func(b Backend) (api.QuestionsResponse, error) {
		return b.AnswerQuestion(ctx, q.ID, api.AnswerRequest{Answer: answer})
	})
}

// RemoveAnswer removes the answer to the question id and returns the
// questions as they are then; api.ErrTooFewAnswers when the user would
// keep fewer than the organisation asks for.
func (s *Session) RemoveAnswer(ctx context.Context, id string) (api.QuestionsResponse, error) {
	return call(s, func(b Backend) (api.QuestionsResponse, error) {
		return b.RemoveAnswer(ctx, id)
	})
}

// RevealAnswer returns the user's answer to the question id. Without a
// confirmed approval in ctx (api.WithApproval) it fails with
// approval_required, whose StepUp the user confirms first.
func (s *Session) RevealAnswer(ctx context.Context, id string) (string, error) {
	out, err := call(s, func(b Backend) (api.RevealResponse, error) {
		return b.RevealAnswer(ctx, id)
	})
	return out.Answer, err
}

// UserQuestions lists the questions the caller username answered. A
// username that cannot be one is an invalid_request naming the field
// "username"; an unknown user is not_found.
func (s *Session) UserQuestions(ctx context.Context, username string) (api.UserQuestionsResponse, error) {
	username, err := callerUsername(username)
	if err != nil {
		return api.UserQuestionsResponse{}, err
	}
	return call(s, func(b Backend) (api.UserQuestionsResponse, error) {
		return b.UserQuestions(ctx, username)
	})
}

// CheckAnswer checks the answer the caller username gives to their
// question id. After too many wrong answers the question is locked for
// checking: api.ErrTooManyAttempts, with RetryAfter.
func (s *Session) CheckAnswer(ctx context.Context, username, id, answer string) (api.CheckAnswerResponse, error) {
	username, err := callerUsername(username)
	if err != nil {
		return api.CheckAnswerResponse{}, err
	}
	req := api.AnswerRequest{Answer: answer}
	if err := req.Validate(); err != nil {
		return api.CheckAnswerResponse{}, err
	}
	return call(s, func(b Backend) (api.CheckAnswerResponse, error) {
		return b.CheckAnswer(ctx, username, id, req)
	})
}

// callerUsername normalises the username of the person on the phone, or
// says in a field error that it cannot be one.
func callerUsername(username string) (string, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if !api.ValidUsername(username) {
		return "", api.FieldError(map[string]string{"username": "Enter the username of the person who is calling."})
	}
	return username, nil
}
