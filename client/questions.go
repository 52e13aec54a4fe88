package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Verification questions: the user's own answers, and the helpdesk's
// check of a caller's answer (api.PrivQuestionCheck).

// Questions returns the organisation's questions with those the user
// answered: GET /account/questions.
func (c *Client) Questions(ctx context.Context) (api.QuestionsResponse, error) {
	var out api.QuestionsResponse
	err := c.do(ctx, http.MethodGet, "/account/questions", nil, &out)
	return out, err
}

// AnswerQuestion answers the question id, or changes its answer, and
// returns the questions: PUT /account/questions/{id}. An answer the
// server refuses is an invalid_request naming "answer".
func (c *Client) AnswerQuestion(ctx context.Context, id string, req api.AnswerRequest) (api.QuestionsResponse, error) {
	var out api.QuestionsResponse
	err := c.do(ctx, http.MethodPut, questionPath(id), req, &out)
	return out, err
}

// RemoveAnswer removes the answer to the question id and returns the
// questions: DELETE /account/questions/{id}; too_few_answers when the
// user would keep fewer than the organisation asks for.
func (c *Client) RemoveAnswer(ctx context.Context, id string) (api.QuestionsResponse, error) {
	var out api.QuestionsResponse
	err := c.do(ctx, http.MethodDelete, questionPath(id), nil, &out)
	return out, err
}

// RevealAnswer returns the user's answer to the question id:
// POST /account/questions/{id}/reveal. It always fails with
// approval_required first; repeat it with the confirmed approval in ctx
// (api.WithApproval), once.
func (c *Client) RevealAnswer(ctx context.Context, id string) (api.RevealResponse, error) {
	var out api.RevealResponse
	err := c.do(ctx, http.MethodPost, questionPath(id)+"/reveal", nil, &out)
	return out, err
}

// UserQuestions lists the questions the user username answered:
// GET /users/{username}/questions.
func (c *Client) UserQuestions(ctx context.Context, username string) (api.UserQuestionsResponse, error) {
	var out api.UserQuestionsResponse
	err := c.do(ctx, http.MethodGet, userQuestionsPath(username), nil, &out)
	return out, err
}

// CheckAnswer checks the answer the user username gives to the question
// id: POST /users/{username}/questions/{id}/check. After too many wrong
// answers the question is locked for checking (too_many_attempts, with
// RetryAfter).
func (c *Client) CheckAnswer(ctx context.Context, username, id string, req api.AnswerRequest) (api.CheckAnswerResponse, error) {
	var out api.CheckAnswerResponse
	err := c.do(ctx, http.MethodPost, userQuestionsPath(username)+"/"+url.PathEscape(id)+"/check", req, &out)
	return out, err
}

func questionPath(id string) string {
	return "/account/questions/" + url.PathEscape(id)
}

func userQuestionsPath(username string) string {
	return "/users/" + url.PathEscape(username) + "/questions"
}
