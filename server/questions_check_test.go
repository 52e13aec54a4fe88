package server

import (
	"strings"
	"testing"
	"time"

	"selfservice/api"
)

// check has the helpdesk session check answer to alice's question id.
func (e *env) check(desk, id, answer string) api.CheckAnswerResponse {
	e.t.Helper()
	var out api.CheckAnswerResponse
	e.ok(e.call("POST", "/users/alice/questions/"+id+"/check", desk, api.AnswerRequest{Answer: answer}), 200, &out)
	return out
}

func TestHelpdeskChecksAnAnswerWithoutSeeingIt(t *testing.T) {
	e := newQuestionsEnv(t)
	_, _, alice := e.userWithToken("alice", RoleEmployee)
	_, _, desk := e.userWithToken("hana", RoleHelpdesk)
	e.answer(alice, "pet", "Biscuit the Dog")
	e.answer(alice, "street", "Harbour Lane")

	var list api.UserQuestionsResponse
	e.ok(e.call("GET", "/users/Alice/questions", desk, nil), 200, &list)
	if list.Username != "alice" || len(list.Questions) != 2 || list.Questions[0].ID != "pet" || list.Questions[0].LockedUntil != nil {
		t.Fatalf("alice's questions = %+v; want pet and street, unlocked", list)
	}
	if strings.Contains(strings.ToLower(string(e.call("GET", "/users/alice/questions", desk, nil).Body)), "biscuit") {
		t.Error("the helpdesk's list holds the answer")
	}

	// The check forgives case and spaces, and says how many tries are left.
	if got := e.check(desk, "pet", "  biscuit THE   dog"); !got.Matches || got.AttemptsLeft != 5 {
		t.Errorf("the right answer = %+v; want a match, 5 attempts left", got)
	}
	if got := e.check(desk, "pet", "Biscuit the Whiskers"); got.Matches || got.AttemptsLeft != 4 {
		t.Errorf("a wrong answer = %+v; want no match, 4 attempts left", got)
	}
	e.apiErr(e.call("POST", "/users/alice/questions/teacher/check", desk, api.AnswerRequest{Answer: "Smith"}), api.CodeNotFound)
	e.apiErr(e.call("POST", "/users/alice/questions/nickname/check", desk, api.AnswerRequest{Answer: "Smith"}), api.CodeNotFound)
	e.apiErr(e.call("POST", "/users/nobody/questions/pet/check", desk, api.AnswerRequest{Answer: "Smith"}), api.CodeNotFound)
	e.apiErr(e.call("POST", "/users/alice/questions/pet/check", desk, api.AnswerRequest{Answer: " "}), api.CodeInvalidRequest)
	if logs := strings.ToLower(e.logs.String()); strings.Contains(logs, "biscuit") || strings.Contains(logs, "whiskers") {
		t.Errorf("the log holds an answer:\n%s", logs)
	}
}

func TestWrongAnswersLockTheQuestionForChecking(t *testing.T) {
	e := newQuestionsEnv(t)
	_, aliceTok, alice := e.userWithToken("alice", RoleEmployee)
	_, deskTok, desk := e.userWithToken("hana", RoleHelpdesk)
	// later moves the clock on by d; both sign in again.
	later := func(d time.Duration) {
		e.clock.Advance(d)
		alice, desk = e.signIn("alice", aliceTok), e.signIn("hana", deskTok)
	}
	e.answer(alice, "pet", "Biscuit")
	e.answer(alice, "street", "Harbour Lane")

	for left := 4; left >= 0; left-- {
		if got := e.check(desk, "pet", "Rex"); got.Matches || got.AttemptsLeft != left {
			t.Fatalf("wrong answer = %+v; want %d attempts left", got, left)
		}
	}
	// Locked: even the right answer gets the same refusal, with Retry-After.
	res := e.call("POST", "/users/alice/questions/pet/check", desk, api.AnswerRequest{Answer: "Biscuit"})
	e.apiErr(res, api.CodeTooManyAttempts)
	if res.Header.Get("Retry-After") != "3600" {
		t.Errorf("Retry-After %q; want an hour", res.Header.Get("Retry-After"))
	}
	var list api.UserQuestionsResponse
	e.ok(e.call("GET", "/users/alice/questions", desk, nil), 200, &list)
	if l := list.Questions[0].LockedUntil; l == nil || !l.Equal(e.clock.Now().Add(time.Hour)) || list.Questions[1].LockedUntil != nil {
		t.Errorf("questions = %+v; want pet locked for an hour, street not", list.Questions)
	}
	if got := e.check(desk, "street", "harbour lane"); !got.Matches {
		t.Error("the other question is locked too; want it checkable")
	}

	// After the lock, the next wrong answer within a day locks it again.
	later(time.Hour)
	if got := e.check(desk, "pet", "Rex"); got.Matches || got.AttemptsLeft != 0 {
		t.Errorf("a wrong answer after the lock = %+v; want it locked again at once", got)
	}
	e.apiErr(e.call("POST", "/users/alice/questions/pet/check", desk, api.AnswerRequest{Answer: "Biscuit"}), api.CodeTooManyAttempts)
	// A right answer after the lock forgets the count.
	later(time.Hour)
	if got := e.check(desk, "pet", "Biscuit"); !got.Matches || got.AttemptsLeft != 5 {
		t.Errorf("the right answer after the lock = %+v; want a match and the count forgotten", got)
	}
	// So does changing the answer, and a day without wrong answers.
	for range 5 {
		e.check(desk, "pet", "Rex")
	}
	e.answer(alice, "pet", "Rex")
	if got := e.check(desk, "pet", "rex"); !got.Matches {
		t.Error("the new answer is locked; want the lock gone with the old answer")
	}
	e.check(desk, "street", "Elm Road")
	later(questionCheckWindow)
	if got := e.check(desk, "street", "Elm Road"); got.AttemptsLeft != 4 {
		t.Errorf("a wrong answer a day after the last = %+v; want the count started afresh", got)
	}
}

func TestNobodyChecksTheirOwnAnswers(t *testing.T) {
	e := newQuestionsEnv(t)
	_, _, desk := e.userWithToken("hana", RoleHelpdesk)
	e.apiErr(e.call("POST", "/users/hana/questions/pet/check", desk, api.AnswerRequest{Answer: "Biscuit"}), api.CodeQuestionForSelf)
	e.apiErr(e.call("GET", "/users/HANA/questions", desk, nil), api.CodeQuestionForSelf)
	e.apiErr(e.call("GET", "/users/nobody/questions", desk, nil), api.CodeNotFound)
}
