package server

import (
	"context"
	"strings"
	"testing"

	"selfservice/api"
)

func TestQuestionCatalogIsChecked(t *testing.T) {
	for _, c := range []struct{ name, json, want string }{
		{"no text", `{"questions": {"catalog": [{"id": "pet"}]}}`, "questions.catalog[0].text"},
		{"bad id", `{"questions": {"catalog": [{"id": "First Pet", "text": "Your first pet?"}]}}`, "questions.catalog[0].id"},
		{"same id twice", `{"questions": {"catalog": [{"id": "pet", "text": "Your first pet?"}, {"id": "pet", "text": "Your first car?"}]}}`,
			`questions.catalog[1].id: "pet" is the id of an earlier question`},
		{"same text twice", `{"questions": {"catalog": [{"id": "a", "text": "Your first pet?"}, {"id": "b", "text": "your first pet?"}]}}`,
			"questions.catalog[1].text"},
		{"length out of range", `{"questions": {"catalog": [{"id": "pet", "text": "Your first pet?", "min_length": 101}]}}`,
			"questions.catalog[0].min_length"},
		{"more to keep than to answer", `{"questions": {"min_count": 2, "catalog": [{"id": "pet", "text": "Your first pet?"}]}}`,
			"questions.min_count"},
		{"question on two lines", `{"questions": {"catalog": [{"id": "pet", "text": "Your first\npet?"}]}}`, "questions.catalog[0].text"},
		{"unknown field", `{"questions": {"minimum": 2}}`, `unknown field "minimum"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ReadTenant(strings.NewReader(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadTenant(%s) = %v; want an error naming %s", c.json, err, c.want)
			}
		})
	}
	demo := DemoTenant().Questions
	if n := len(demo.Catalog); n < 5 || n > 8 || demo.MinCount != 2 {
		t.Errorf("the demo has %d questions and keeps %d; want 5 to 8, and 2", n, demo.MinCount)
	}
}

func TestSeedDemoQuestionsAnswersForTheDemoEmployeeOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, Config{Tenant: DemoTenant()})
	if _, err := SeedDemo(ctx, e.store); err != nil {
		t.Fatal(err)
	}
	if err := SeedDemoQuestions(ctx, e.store, DemoTenant()); err != nil {
		t.Fatal(err)
	}
	demo, err := e.store.UserByUsername(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	answers, err := e.store.QuestionAnswers(ctx, demo.ID)
	if err != nil || len(answers) != 2 {
		t.Fatalf("demo's answers = %d, %v; want 2", len(answers), err)
	}
	// The demo user's own changes stay on the next start.
	if err := e.store.DeleteQuestionAnswer(ctx, demo.ID, "first-pet", func([]string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := SeedDemoQuestions(ctx, e.store, DemoTenant()); err != nil {
		t.Fatal(err)
	}
	if answers, _ := e.store.QuestionAnswers(ctx, demo.ID); len(answers) != 1 {
		t.Errorf("after seeding again: %d answers; want the one the user kept", len(answers))
	}
	a, err := e.store.QuestionAnswer(ctx, demo.ID, "first-street")
	if ok, _ := checkPassword(a.Hash, api.NormalizeAnswer(a.Answer)); err != nil || !ok {
		t.Errorf("the seeded answer does not check: %v", err)
	}
}
