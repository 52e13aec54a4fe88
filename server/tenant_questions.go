package server

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"selfservice/api"
)

// TenantQuestions is the organisation's verification questions: the
// catalog users answer from, in the order users see it, and how many
// answers each user must keep.
type TenantQuestions struct {
	MinCount int              `json:"min_count"`
	Catalog  []TenantQuestion `json:"catalog"`
}

// TenantQuestion is one question of the catalog. Its id names it for
// good: answers are kept by id, so an id changed later loses them.
type TenantQuestion struct {
	ID        string `json:"id"`         // 1 to 64 of a-z, 0-9, '_' and '-'
	Text      string `json:"text"`       // the question as users read it
	MinLength int    `json:"min_length"` // characters of the normalised answer; 0: defaultAnswerLength
}

// Limits of the catalog.
const (
	maxQuestions        = 50
	maxQuestionIDLen    = 64
	maxQuestionTextLen  = 200
	defaultAnswerLength = 3
)

// check lists what is wrong with q, each error naming its field.
func (q TenantQuestions) check() []error {
	var errs []error
	if len(q.Catalog) > maxQuestions {
		errs = append(errs, fmt.Errorf("questions.catalog: at most %d questions", maxQuestions))
	}
	if q.MinCount < 0 || q.MinCount > len(q.Catalog) {
		errs = append(errs, fmt.Errorf("questions.min_count: 0 to the number of questions in the catalog (%d)", len(q.Catalog)))
	}
	ids, texts := map[string]bool{}, map[string]bool{}
	for i, c := range q.Catalog {
		where := fmt.Sprintf("questions.catalog[%d]", i)
		switch {
		case !validQuestionID(c.ID):
			errs = append(errs, fmt.Errorf("%s.id: give an id of 1 to %d lower-case letters, digits, '_' and '-'", where, maxQuestionIDLen))
		case ids[c.ID]:
			errs = append(errs, fmt.Errorf("%s.id: %q is the id of an earlier question; each question needs its own", where, c.ID))
		}
		ids[c.ID] = true
		text := strings.TrimSpace(c.Text)
		switch {
		case text == "" || utf8.RuneCountInString(text) > maxQuestionTextLen || !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl):
			errs = append(errs, fmt.Errorf("%s.text: give the question in 1 to %d characters on one line", where, maxQuestionTextLen))
		case texts[strings.ToLower(text)]:
			errs = append(errs, fmt.Errorf("%s.text: an earlier question asks the same", where))
		}
		texts[strings.ToLower(text)] = true
		if c.MinLength < 0 || c.MinLength > api.MaxAnswerLen {
			errs = append(errs, fmt.Errorf("%s.min_length: 0 to %d characters (0: %d)", where, api.MaxAnswerLen, defaultAnswerLength))
		}
	}
	return errs
}

func validQuestionID(id string) bool {
	if id == "" || len(id) > maxQuestionIDLen {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (q TenantQuestions) isZero() bool {
	return q.MinCount == 0 && len(q.Catalog) == 0
}

// questions is the catalog as users see it, without their answers.
func (q TenantQuestions) questions() []api.Question {
	out := make([]api.Question, 0, len(q.Catalog))
	for _, c := range q.Catalog {
		out = append(out, c.question())
	}
	return out
}

// question returns the catalog's question id.
func (q TenantQuestions) question(id string) (api.Question, bool) {
	for _, c := range q.Catalog {
		if c.ID == id {
			return c.question(), true
		}
	}
	return api.Question{}, false
}

func (c TenantQuestion) question() api.Question {
	minLength := c.MinLength
	if minLength == 0 {
		minLength = defaultAnswerLength
	}
	return api.Question{ID: c.ID, Text: strings.TrimSpace(c.Text), MinLength: minLength}
}
