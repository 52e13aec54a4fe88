package ui

import (
	"context"
	"errors"
	"time"

	"selfservice/api"
	"selfservice/app"
)

// demoCodes hands out the codes of demo authenticator app tokens when
// the app is driven by a script (the screenshots), so that no code is
// used twice: the server refuses a code used before and accepts one time
// step either side of now, so each use takes the earliest step of the
// token not used yet.
type demoCodes struct {
	now     func() time.Time
	secrets map[string]string // token id → secret
	last    map[string]int64  // secret → time step last used
}

const demoStep = 30 // seconds per time step of the demo tokens

func newDemoCodes() *demoCodes {
	return &demoCodes{now: time.Now, secrets: map[string]string{}, last: map[string]int64{}}
}

// use tells which secret the token tokenID has.
func (c *demoCodes) use(tokenID, secret string) {
	c.secrets[tokenID] = secret
}

// next returns the next code of secret not used yet.
func (c *demoCodes) next(secret string) (string, error) {
	now := c.now().Unix() / demoStep
	step := now - 1
	if last, ok := c.last[secret]; ok && last+1 > step {
		step = last + 1
	}
	if step > now+1 {
		return "", errors.New("no unused code of the demo token is accepted now")
	}
	code, _, err := app.DemoCode(secret, time.Unix(step*demoStep, 0))
	if err != nil {
		return "", err
	}
	c.last[secret] = step
	return code, nil
}

// nextFor is next for the token tokenID.
func (c *demoCodes) nextFor(tokenID string) (string, error) {
	secret, ok := c.secrets[tokenID]
	if !ok {
		return "", errors.New("the code of this token is not known")
	}
	return c.next(secret)
}

// any returns one of methods with a code that is accepted now.
func (c *demoCodes) any(methods []api.LoginMethod) (tokenID, code string, err error) {
	err = errors.New("none of the sign-in methods has a known code")
	for _, m := range methods {
		if _, ok := c.secrets[m.TokenID]; !ok {
			continue
		}
		if code, err = c.nextFor(m.TokenID); err == nil {
			return m.TokenID, code, nil
		}
	}
	return "", "", err
}

// stepUpRunner runs an approvable call of the session; when the server
// asks for a step-up, it confirms it and runs the call again with the
// approval.
type stepUpRunner func(ctx context.Context, call func(ctx context.Context) error) error

// stepUp returns a stepUpRunner for session that confirms with a code.
func (c *demoCodes) stepUp(session *app.Session) stepUpRunner {
	return func(ctx context.Context, call func(ctx context.Context) error) error {
		err := call(ctx)
		step, ok := api.ApprovalRequired(err)
		if !ok {
			return err
		}
		tokenID, code, err := c.any(step.Methods)
		if err != nil {
			return err
		}
		if _, err := session.PrepareStepUp(ctx, step.ApprovalID, tokenID); err != nil {
			return err
		}
		if _, err := session.VerifyStepUp(ctx, step.ApprovalID, tokenID, code); err != nil {
			return err
		}
		return call(api.WithApproval(ctx, step.ApprovalID))
	}
}
