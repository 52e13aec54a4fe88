package server

import (
	"fmt"
	"slices"
	"time"

	"selfservice/api"
)

// TenantStepUp is the step_up section of the organisation's
// configuration. GraceSeconds is how long after a sign-in with a second
// factor that sign-in confirms a step-up by itself, so that nobody types
// a second code moments after the first: absent, defaultStepUpGrace; 0
// turns the grace off. Always names the operations that ask for a step-up
// even then; account.delete always does.
type TenantStepUp struct {
	GraceSeconds *int            `json:"grace_seconds"`
	Always       []api.Operation `json:"always"`
}

// defaultStepUpGrace is the grace when the configuration names none.
const defaultStepUpGrace = 5 * time.Minute

// maxStepUpGrace bounds grace_seconds: an hour.
const maxStepUpGrace = 3600

// grace is how long a sign-in with a second factor confirms a step-up.
func (t TenantStepUp) grace() time.Duration {
	if t.GraceSeconds == nil {
		return defaultStepUpGrace
	}
	return time.Duration(*t.GraceSeconds) * time.Second
}

// graced reports whether the grace may confirm a step-up of op.
func (t TenantStepUp) graced(op api.Operation) bool {
	return op != api.OpAccountDelete && !slices.Contains(t.Always, op)
}

// check names what is wrong with the section.
func (t TenantStepUp) check() []error {
	var errs []error
	if g := t.GraceSeconds; g != nil && (*g < 0 || *g > maxStepUpGrace) {
		errs = append(errs, fmt.Errorf("step_up.grace_seconds: 0 (no grace) to %d seconds, not %d", maxStepUpGrace, *g))
	}
	known := append(slices.Clone(api.Operations), api.OpQuestionReveal)
	for i, op := range t.Always {
		if !slices.Contains(known, op) {
			errs = append(errs, fmt.Errorf("step_up.always[%d]: %q is not an approvable operation (%s)", i, op, joinNames(known)))
		}
	}
	return errs
}

func (t TenantStepUp) isZero() bool { return t.GraceSeconds == nil && len(t.Always) == 0 }
