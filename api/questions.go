package api

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Verification questions ("magic questions"). The organisation keeps a
// catalog of questions; each user answers some of them and must keep at
// least MinCount answers. The server keeps an argon2id hash of each
// answer, to check it, and a copy sealed under its secret key, which the
// user sees again only after confirming it's them (a step-up, whatever
// the approval policies say: operation OpQuestionReveal). Helpdesk staff
// (PrivQuestionCheck) check a caller's answer without seeing it; wrong
// answers lock the question for checking for a while.
//
// Answers are compared in their normalised form (NormalizeAnswer):
// "  Biscuit  the Dog " and "biscuit the dog" are the same answer.

// MaxAnswerLen is the longest answer, in characters of its normalised
// form.
const MaxAnswerLen = 100

// maxAnswerBytes bounds what is read of an answer before it is
// normalised: spaces collapse, but nobody types this much.
const maxAnswerBytes = 4 * 4 * MaxAnswerLen

// NormalizeAnswer is the form answers are checked in: without spaces
// around it, with one space between words, in lower case.
func NormalizeAnswer(answer string) string {
	return strings.Map(foldCase, strings.Join(strings.Fields(answer), " "))
}

// CleanAnswer is the form an answer is kept in to be shown to its user:
// as typed, but without spaces around it and with one space between
// words.
func CleanAnswer(answer string) string {
	return strings.Join(strings.Fields(answer), " ")
}

// foldCase maps letters that differ only in case to one of them
// ("S", "s" → "s"; "Σ", "σ", "ς" → "σ").
func foldCase(r rune) rune {
	return unicode.ToLower(unicode.ToUpper(r))
}

// Question is one question of the organisation's catalog as the user
// sees it (GET /account/questions): whether and when they answered it,
// never the answer.
type Question struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	MinLength  int        `json:"min_length"`            // characters of the normalised answer
	AnsweredAt *time.Time `json:"answered_at,omitempty"` // nil: not answered
}

// Answered reports whether the user answered q.
func (q Question) Answered() bool { return q.AnsweredAt != nil }

// CheckAnswer says what is wrong with answer to q, as the message of a
// field error of "answer", or "" when it can be an answer: at least
// q.MinLength and at most MaxAnswerLen characters once normalised, and
// no control characters but white space.
func (q Question) CheckAnswer(answer string) string {
	if len(answer) > maxAnswerBytes {
		return fmt.Sprintf("Use at most %d characters.", MaxAnswerLen)
	}
	if !utf8.ValidString(answer) || !printable(CleanAnswer(answer)) {
		return "The answer contains characters that are not allowed."
	}
	switch n := utf8.RuneCountInString(NormalizeAnswer(answer)); {
	case n == 0:
		return "Enter your answer."
	case n < q.MinLength:
		return fmt.Sprintf("Use at least %d characters (spaces between words count once).", q.MinLength)
	case n > MaxAnswerLen:
		return fmt.Sprintf("Use at most %d characters.", MaxAnswerLen)
	}
	return ""
}

// QuestionsResponse answers GET /account/questions and the calls that
// change an answer: the catalog in the organisation's order, each
// question with whether the user answered it, and how many answers the
// user must keep.
type QuestionsResponse struct {
	MinCount  int        `json:"min_count"`
	Questions []Question `json:"questions"`
}

// Answered counts the questions the user answered.
func (r QuestionsResponse) Answered() int {
	n := 0
	for _, q := range r.Questions {
		if q.Answered() {
			n++
		}
	}
	return n
}

// CanRemove reports whether removing one answer keeps MinCount.
func (r QuestionsResponse) CanRemove() bool {
	return r.Answered() > r.MinCount
}

// AnswerRequest answers or changes the answer to a question,
// PUT /account/questions/{id}, and is the answer the helpdesk checks,
// POST /users/{username}/questions/{id}/check.
type AnswerRequest struct {
	Answer string `json:"answer"`
}

// Validate checks what can be checked without the question: an answer
// is given and is not absurdly long. The question's minimum length is
// Question.CheckAnswer's, which the server applies.
func (r AnswerRequest) Validate() error {
	f := fieldErrors{}
	f.check(strings.TrimSpace(r.Answer) != "", "answer", "Enter the answer.")
	f.check(len(r.Answer) <= maxAnswerBytes, "answer", "The answer is too long.")
	return f.err()
}

// RevealResponse answers POST /account/questions/{id}/reveal: the
// user's answer as they typed it (without extra spaces).
type RevealResponse struct {
	QuestionID string `json:"question_id"`
	Answer     string `json:"answer"`
}

// UserQuestion is a question another user answered, as helpdesk staff
// see it: never the answer; LockedUntil is set while too many wrong
// answers keep it from being checked.
type UserQuestion struct {
	ID          string     `json:"id"`
	Text        string     `json:"text"`
	AnsweredAt  time.Time  `json:"answered_at"`
	LockedUntil *time.Time `json:"locked_until,omitempty"`
}

// UserQuestionsResponse answers GET /users/{username}/questions: the
// questions of the catalog the user answered, in the catalog's order.
type UserQuestionsResponse struct {
	Username    string         `json:"username"`
	DisplayName string         `json:"display_name"`
	Questions   []UserQuestion `json:"questions"`
}

// CheckAnswerResponse answers POST /users/{username}/questions/{id}/check:
// whether the answer matches, and how many more wrong answers the
// question takes before it is locked for checking (0: locked now).
type CheckAnswerResponse struct {
	Matches      bool `json:"matches"`
	AttemptsLeft int  `json:"attempts_left"`
}
