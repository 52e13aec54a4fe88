package server

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// questionsTenant is a small catalog: three questions, two answers to
// keep, one of them asking for a longer answer.
var questionsTenant = Tenant{Questions: TenantQuestions{MinCount: 2, Catalog: []TenantQuestion{
	{ID: "pet", Text: "What was the name of your first pet?"},
	{ID: "street", Text: "In which street did you grow up?", MinLength: 5},
	{ID: "teacher", Text: "What was the surname of your first teacher?"},
}}}

func newQuestionsEnv(t *testing.T) *env {
	return newEnvWith(t, Config{Tenant: questionsTenant})
}

// answer answers the question id for session and returns the list.
func (e *env) answer(session, id, answer string) api.QuestionsResponse {
	e.t.Helper()
	var out api.QuestionsResponse
	e.ok(e.call("PUT", "/account/questions/"+id, session, api.AnswerRequest{Answer: answer}), 200, &out)
	return out
}

// questions is the session's list of questions.
func (e *env) questions(session string) api.QuestionsResponse {
	e.t.Helper()
	var out api.QuestionsResponse
	e.ok(e.call("GET", "/account/questions", session, nil), 200, &out)
	return out
}

// answeredIDs lists the questions answered in out.
func answeredIDs(out api.QuestionsResponse) string {
	var ids []string
	for _, q := range out.Questions {
		if q.Answered() {
			ids = append(ids, q.ID)
		}
	}
	return strings.Join(ids, ",")
}

func TestQuestionsAreListedAndAnswered(t *testing.T) {
	e := newQuestionsEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	out := e.questions(session)
	if out.MinCount != 2 || len(out.Questions) != 3 || out.Answered() != 0 {
		t.Fatalf("questions = %+v; want 3 unanswered, 2 to keep", out)
	}
	if q := out.Questions[0]; q.ID != "pet" || q.MinLength != defaultAnswerLength || out.Questions[1].MinLength != 5 {
		t.Errorf("questions = %+v; want the catalog's order and lengths (default %d)", out.Questions, defaultAnswerLength)
	}

	out = e.answer(session, "pet", "  Biscuit   the\tDog ")
	if answeredIDs(out) != "pet" || !out.Questions[0].AnsweredAt.Equal(e.clock.Now()) {
		t.Fatalf("after answering: %+v; want pet answered now", out.Questions)
	}
	// Kept hashed and sealed, never in the clear.
	var hash string
	var sealed []byte
	if err := e.queryRow(`SELECT answer_hash, secret FROM question_answers WHERE user_id = ?`, u.ID).Scan(&hash, &sealed); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || len(sealed) == 0 || sealed[0] != sealVersion ||
		bytes.Contains(bytes.ToLower(sealed), []byte("biscuit")) || strings.Contains(strings.ToLower(hash), "biscuit") {
		t.Errorf("stored hash %q, secret %x; want argon2id and a sealed value without the answer", hash, sealed)
	}
	if ok, err := checkPassword(hash, "biscuit the dog"); err != nil || !ok {
		t.Errorf("the hash is not of the normalised answer: %v, %v", ok, err)
	}
	// Changing an answer keeps one answer per question.
	e.clock.Advance(time.Minute)
	out = e.answer(session, "pet", "Rex")
	if answeredIDs(out) != "pet" || !out.Questions[0].AnsweredAt.Equal(e.clock.Now()) {
		t.Errorf("after changing: %+v; want pet answered, at the change", out.Questions)
	}
	if logs := strings.ToLower(e.logs.String()); strings.Contains(logs, "biscuit") || strings.Contains(logs, "rex") {
		t.Errorf("the log holds an answer:\n%s", logs)
	}
}

func TestAnswersAreChecked(t *testing.T) {
	e := newQuestionsEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.answer(session, "pet", "Biscuit")
	for _, c := range []struct {
		name, id, answer, want string
	}{
		{"empty", "pet", "   ", "Enter the answer"},
		{"too short once normalised", "street", "  Elm  ", "at least 5"},
		{"too long", "teacher", strings.Repeat("x", api.MaxAnswerLen+1), "at most 100"},
		{"control characters", "teacher", "Smith\x00", "not allowed"},
		{"the answer of another question", "teacher", " BISCUIT ", "another question"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := e.apiErr(e.call("PUT", "/account/questions/"+c.id, session, api.AnswerRequest{Answer: c.answer}), api.CodeInvalidRequest)
			if msg := err.FieldErrors()["answer"]; !strings.Contains(msg, c.want) {
				t.Errorf("answer error %q; want it to say %q", msg, c.want)
			}
		})
	}
	e.apiErr(e.call("PUT", "/account/questions/nickname", session, api.AnswerRequest{Answer: "Bob"}), api.CodeNotFound)
	// Spaces between words count once, and a long answer of words fits.
	e.answer(session, "street", "Elm  Rd")
	e.answer(session, "teacher", strings.Repeat("ab ", 30)+"  ")
	if got := answeredIDs(e.questions(session)); got != "pet,street,teacher" {
		t.Errorf("answered %s; want every question answered once the refusals were fixed", got)
	}
}

func TestRemovingKeepsTheMinimumCount(t *testing.T) {
	e := newQuestionsEnv(t)
	_, _, session := e.userWithToken("alice", RoleEmployee)
	e.apiErr(e.call("DELETE", "/account/questions/pet", session, nil), api.CodeNotFound)
	e.answer(session, "pet", "Biscuit")
	e.answer(session, "street", "Harbour Lane")
	refusal := e.apiErr(e.call("DELETE", "/account/questions/pet", session, nil), api.CodeTooFewAnswers)
	if refusal.Details["min_count"] != float64(2) || !strings.Contains(refusal.Message, "at least 2 answers") {
		t.Errorf("refusal %+v; want min_count 2 in its details and message", refusal)
	}
	e.answer(session, "teacher", "Smith")
	var out api.QuestionsResponse
	e.ok(e.call("DELETE", "/account/questions/pet", session, nil), 200, &out)
	if answeredIDs(out) != "street,teacher" || out.CanRemove() {
		t.Errorf("after removing: answered %s, can remove %v; want street and teacher, no more removals", answeredIDs(out), out.CanRemove())
	}
	e.apiErr(e.call("DELETE", "/account/questions/street", session, nil), api.CodeTooFewAnswers)
	e.apiErr(e.call("DELETE", "/account/questions/pet", session, nil), api.CodeNotFound)
	e.apiErr(e.call("DELETE", "/account/questions/nickname", session, nil), api.CodeNotFound)
}

// TestAnswersOutsideTheCatalogCountForNothing: a question the
// organisation removed from its catalog is neither listed nor counted.
func TestAnswersOutsideTheCatalogCountForNothing(t *testing.T) {
	e := newQuestionsEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	e.answer(session, "pet", "Biscuit")
	e.answer(session, "street", "Harbour Lane")
	if _, err := e.exec(`UPDATE question_answers SET question_id = 'gone' WHERE user_id = ? AND question_id = 'street'`, u.ID); err != nil {
		t.Fatal(err)
	}
	e.answer(session, "teacher", "Smith")
	if got := answeredIDs(e.questions(session)); got != "pet,teacher" {
		t.Errorf("answered %s; want the catalog's questions only", got)
	}
	e.apiErr(e.call("DELETE", "/account/questions/pet", session, nil), api.CodeTooFewAnswers)
}

// stepUp confirms the approval of an approval_required answer with the
// TOTP token tok and returns its id.
func (e *env) stepUp(res response, session string, tok TokenRecord) string {
	e.t.Helper()
	step, ok := api.ApprovalRequired(e.apiErr(res, api.CodeApprovalRequired))
	if !ok || len(step.Methods) == 0 {
		e.t.Fatalf("approval_required without a step-up to confirm: %s", res.Body)
	}
	e.clock.Advance(30 * time.Second)
	e.ok(e.call("POST", "/approvals/"+step.ApprovalID+"/verify", session, api.VerifyApprovalRequest{TokenID: tok.ID, OTP: e.totp(tok, 0)}), 200, nil)
	return step.ApprovalID
}

func TestRevealNeedsAStepUpEachTime(t *testing.T) {
	e := newQuestionsEnv(t)
	_, tok, session := e.userWithToken("alice", RoleEmployee)
	e.answer(session, "pet", "  Biscuit   the dog ")
	e.answer(session, "street", "Harbour Lane")
	reveal := "/account/questions/pet/reveal"

	e.apiErr(e.call("POST", "/account/questions/teacher/reveal", session, nil), api.CodeNotFound) // not answered: nothing to confirm
	first := e.call("POST", reveal, session, nil)
	step, _ := api.ApprovalRequired(e.apiErr(first, api.CodeApprovalRequired))
	var a api.ApprovalResponse
	e.ok(e.call("GET", "/approvals/"+step.ApprovalID, session, nil), 200, &a)
	if a.Approval.Operation != api.OpQuestionReveal || a.Approval.Target != "pet" {
		t.Fatalf("approval %+v; want question.reveal of pet", a.Approval)
	}
	e.apiErr(e.callApproved("POST", reveal, session, step.ApprovalID, nil), api.CodeApprovalInvalid) // not confirmed yet

	id := e.stepUp(first, session, tok)
	e.apiErr(e.callApproved("POST", "/account/questions/street/reveal", session, id, nil), api.CodeApprovalInvalid)
	var out api.RevealResponse
	e.ok(e.callApproved("POST", reveal, session, id, nil), 200, &out)
	if out != (api.RevealResponse{QuestionID: "pet", Answer: "Biscuit the dog"}) {
		t.Errorf("revealed %+v; want the answer as typed, without extra spaces", out)
	}
	e.apiErr(e.callApproved("POST", reveal, session, id, nil), api.CodeApprovalUsed)
	e.apiErr(e.call("POST", reveal, session, nil), api.CodeApprovalRequired)
	if logs := strings.ToLower(e.logs.String()); strings.Contains(logs, "biscuit") {
		t.Errorf("the log holds the answer:\n%s", logs)
	}

	// No policy makes it run without a step-up.
	err := SetApprovalPolicy(context.Background(), e.store, ApprovalPolicy{Operation: api.OpQuestionReveal, Mode: api.ModeNone})
	if e, ok := err.(*api.Error); !ok || e.FieldErrors()["operation"] == "" {
		t.Errorf("a policy for question.reveal: %v; want it refused", err)
	}
}

func TestOtherUsersAnswersAreOutOfReach(t *testing.T) {
	e := newQuestionsEnv(t)
	_, aliceTok, alice := e.userWithToken("alice", RoleEmployee)
	_, _, bob := e.userWithToken("bob", RoleEmployee)
	e.answer(alice, "pet", "Biscuit")
	if got := e.questions(bob); got.Answered() != 0 {
		t.Errorf("bob sees %d answers; want none of alice's", got.Answered())
	}
	e.apiErr(e.call("POST", "/account/questions/pet/reveal", bob, nil), api.CodeNotFound)
	e.apiErr(e.call("DELETE", "/account/questions/pet", bob, nil), api.CodeNotFound)
	// Alice's confirmed approval does not reveal anything to bob.
	e.answer(bob, "pet", "Whiskers")
	id := e.stepUp(e.call("POST", "/account/questions/pet/reveal", alice, nil), alice, aliceTok)
	e.apiErr(e.callApproved("POST", "/account/questions/pet/reveal", bob, id, nil), api.CodeApprovalInvalid)
	var out api.RevealResponse
	e.ok(e.callApproved("POST", "/account/questions/pet/reveal", alice, id, nil), 200, &out)
	if out.Answer != "Biscuit" {
		t.Errorf("alice's reveal = %q", out.Answer)
	}
	// Employees may not check anyone's answers.
	e.apiErr(e.call("POST", "/users/bob/questions/pet/check", alice, api.AnswerRequest{Answer: "Whiskers"}), api.CodePrivilegeMissing)
	e.apiErr(e.call("GET", "/users/bob/questions", alice, nil), api.CodePrivilegeMissing)
}

func TestHelpdeskHasNoQuestionsOfItsOwn(t *testing.T) {
	e := newQuestionsEnv(t)
	_, _, desk := e.userWithToken("hana", RoleHelpdesk)
	e.apiErr(e.call("GET", "/account/questions", desk, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("PUT", "/account/questions/pet", desk, api.AnswerRequest{Answer: "Biscuit"}), api.CodePrivilegeMissing)
	e.apiErr(e.call("DELETE", "/account/questions/pet", desk, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("POST", "/account/questions/pet/reveal", desk, nil), api.CodePrivilegeMissing)
	e.apiErr(e.call("GET", "/account/questions", "", nil), api.CodeUnauthenticated)
}

func TestAnswersAreSealedForTheirRow(t *testing.T) {
	e := newQuestionsEnv(t)
	u, _, session := e.userWithToken("alice", RoleEmployee)
	e.answer(session, "pet", "Biscuit")
	e.answer(session, "street", "Harbour Lane")
	// Someone with write access to the database copies one sealed answer
	// onto another row: it does not open there.
	if _, err := e.exec(`UPDATE question_answers SET secret = (SELECT secret FROM question_answers WHERE question_id = 'pet')
		WHERE question_id = 'street'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.QuestionAnswer(context.Background(), u.ID, "street"); err == nil || !strings.Contains(err.Error(), "does not open") {
		t.Errorf("reading an answer moved from another row: %v; want an error that it does not open", err)
	}
	if a, err := e.store.QuestionAnswer(context.Background(), u.ID, "pet"); err != nil || a.Answer != "Biscuit" {
		t.Errorf("the original answer = %q, %v", a.Answer, err)
	}
}

func TestKeyRotationResealsAnswers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "selfservice.db")
	oldKey, newKey := NewSecretKey(), NewSecretKey()
	e := newEnvAt(t, path, Config{Secrets: mustSecretBox(oldKey), Tenant: questionsTenant})
	u, _, session := e.userWithToken("alice", RoleEmployee)
	e.answer(session, "pet", "Biscuit")
	e.store.Close()

	rotating := openStoreWith(t, path, mustSecretBox(newKey, oldKey))
	if n, err := rotating.ResealSecrets(ctx); err != nil || n != 2 {
		t.Fatalf("ResealSecrets = %d, %v; want the token's seed and the answer resealed", n, err)
	}
	rotating.Close()
	done := openStoreWith(t, path, mustSecretBox(newKey))
	if a, err := done.QuestionAnswer(ctx, u.ID, "pet"); err != nil || a.Answer != "Biscuit" {
		t.Errorf("the answer with the new key alone = %q, %v", a.Answer, err)
	}
}
