package app_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/api"
	"selfservice/app"
	"selfservice/server"
)

func TestVerificationQuestions(t *testing.T) {
	b := newBackendWith(t, server.Tenant{Questions: server.DemoTenant().Questions})
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	if !s.Can(api.PrivQuestionView) || !s.Can(api.PrivQuestionUpdate) || s.Can(api.PrivQuestionCheck) {
		t.Fatalf("demo's privileges %v; want the questions' but not the helpdesk's check", s.User())
	}
	list, err := s.Questions(ctx)
	if err != nil || len(list.Questions) < 2 {
		t.Fatalf("Questions = %+v, %v", list, err)
	}
	q := list.Questions[0]

	// A too short answer is refused before anything is sent.
	before := b.requests.Load()
	if _, err := s.AnswerQuestion(ctx, q, "  a  "); fieldErrors(err)["answer"] == "" {
		t.Errorf("a short answer: %v; want a field error of answer", err)
	}
	if n := b.requests.Load() - before; n != 0 {
		t.Errorf("a short answer sent %d requests; want none", n)
	}
	list, err = s.AnswerQuestion(ctx, q, "Biscuit")
	if err != nil || !list.Questions[0].Answered() {
		t.Fatalf("AnswerQuestion = %+v, %v", list, err)
	}
	// The server's own rule: one answer per question.
	if _, err := s.AnswerQuestion(ctx, list.Questions[1], "biscuit"); fieldErrors(err)["answer"] == "" {
		t.Errorf("the same answer twice: %v; want a field error of answer", err)
	}
	if _, err := s.RemoveAnswer(ctx, q.ID); !errors.Is(err, api.ErrTooFewAnswers) {
		t.Errorf("removing below the minimum: %v; want too_few_answers", err)
	}

	// Reveal asks for a step-up; confirmed, it gives the answer.
	_, err = s.RevealAnswer(ctx, q.ID)
	step, ok := api.ApprovalRequired(err)
	if !ok {
		t.Fatalf("RevealAnswer without a step-up: %v; want approval_required", err)
	}
	if _, err := s.VerifyStepUp(ctx, step.ApprovalID, step.Methods[0].TokenID, b.code(t, b.demo.TOTPSecret)); err != nil {
		t.Fatal(err)
	}
	if answer, err := s.RevealAnswer(api.WithApproval(ctx, step.ApprovalID), q.ID); err != nil || answer != "Biscuit" {
		t.Errorf("RevealAnswer = %q, %v; want the answer", answer, err)
	}

	// The helpdesk's calls check the username first.
	if _, err := s.UserQuestions(ctx, "  "); fieldErrors(err)["username"] == "" {
		t.Errorf("no username: %v; want a field error of username", err)
	}
	if _, err := s.CheckAnswer(ctx, "helpdesk", q.ID, " "); fieldErrors(err)["answer"] == "" {
		t.Errorf("no answer: %v; want a field error of answer", err)
	}
	if _, err := s.CheckAnswer(ctx, "helpdesk", q.ID, "Biscuit"); !errors.Is(err, api.ErrPrivilegeMissing) {
		t.Errorf("an employee checks an answer: %v; want privilege_missing", err)
	}
}
