package client_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/server"
)

func TestVerificationQuestions(t *testing.T) {
	ctx := context.Background()
	b := newBackendWith(t, server.Config{Tenant: server.DemoTenant()})
	demo := b.signedIn(t, b.demo)

	list, err := demo.c.Questions(ctx)
	if err != nil || list.MinCount != 2 || len(list.Questions) < 5 || list.Answered() != 0 {
		t.Fatalf("Questions = %+v, %v; want the demo's catalog, none answered", list, err)
	}
	first, second := list.Questions[0], list.Questions[1]
	if _, err := demo.c.AnswerQuestion(ctx, first.ID, api.AnswerRequest{Answer: "ab"}); fieldErrors(err)["answer"] == "" {
		t.Errorf("a short answer: %v; want a field error of answer", err)
	}
	if _, err := demo.c.AnswerQuestion(ctx, "no-such-question", api.AnswerRequest{Answer: "Biscuit"}); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("an unknown question: %v; want not_found", err)
	}
	if _, err := demo.c.AnswerQuestion(ctx, first.ID, api.AnswerRequest{Answer: "Biscuit"}); err != nil {
		t.Fatal(err)
	}
	list, err = demo.c.AnswerQuestion(ctx, second.ID, api.AnswerRequest{Answer: "Harbour  Lane"})
	if err != nil || list.Answered() != 2 || list.CanRemove() {
		t.Fatalf("after two answers: %+v, %v; want 2 answered, none removable", list, err)
	}
	_, err = demo.c.RemoveAnswer(ctx, first.ID)
	wantCode(t, err, api.CodeTooFewAnswers)

	// Reveal: a step-up every time, the approval good once.
	_, err = demo.c.RevealAnswer(ctx, second.ID)
	id := b.stepUp(t, demo, err)
	out, err := demo.c.RevealAnswer(api.WithApproval(ctx, id), second.ID)
	if err != nil || out.Answer != "Harbour Lane" {
		t.Fatalf("RevealAnswer = %+v, %v; want the answer", out, err)
	}
	_, err = demo.c.RevealAnswer(api.WithApproval(ctx, id), second.ID)
	wantCode(t, err, api.CodeApprovalUsed)

	// The helpdesk checks it without seeing it.
	desk := b.signIn(t, b.helpdesk)
	mine, err := desk.UserQuestions(ctx, "demo")
	if err != nil || len(mine.Questions) != 2 || mine.Questions[0].ID != first.ID {
		t.Fatalf("UserQuestions = %+v, %v; want demo's two", mine, err)
	}
	if got, err := desk.CheckAnswer(ctx, "demo", second.ID, api.AnswerRequest{Answer: "harbour lane"}); err != nil || !got.Matches {
		t.Errorf("CheckAnswer of the right answer = %+v, %v; want a match", got, err)
	}
	// The tests' lockout is 3 wrong answers.
	for range 3 {
		if got, err := desk.CheckAnswer(ctx, "demo", second.ID, api.AnswerRequest{Answer: "Elm Road"}); err != nil || got.Matches {
			t.Fatalf("CheckAnswer of a wrong answer = %+v, %v", got, err)
		}
	}
	_, err = desk.CheckAnswer(ctx, "demo", second.ID, api.AnswerRequest{Answer: "Harbour Lane"})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeTooManyAttempts || apiErr.RetryAfter <= 0 {
		t.Errorf("CheckAnswer when locked: %v; want too_many_attempts with Retry-After", err)
	}
	_, err = desk.CheckAnswer(ctx, "helpdesk", first.ID, api.AnswerRequest{Answer: "Biscuit"})
	wantCode(t, err, api.CodeQuestionForSelf)
	_, err = demo.c.CheckAnswer(ctx, "helpdesk", first.ID, api.AnswerRequest{Answer: "Biscuit"})
	wantCode(t, err, api.CodePrivilegeMissing)
	_, err = desk.Questions(ctx)
	wantCode(t, err, api.CodePrivilegeMissing)
}
