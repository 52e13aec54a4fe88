package app_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"selfservice/api"
	"selfservice/app"
)

func TestDeliveryInputIsCheckedBeforeAnyRequest(t *testing.T) {
	b := newBackend(t)
	ctx := context.Background()
	s := app.NewSession(connect, app.NewMemorySecrets(), newPrefs())
	b.signIn(t, s)
	sms := api.TokenTemplate{ID: "sms-otp", Type: api.TypeSMS}
	email := api.TokenTemplate{ID: "email-otp", Type: api.TypeEmail}
	smsToken := api.Token{ID: "t1", Type: api.TypeSMS}

	tests := []struct {
		name       string
		call       func() error
		wantFields []string
	}{
		{"enroll SMS without country code", func() error { _, err := s.EnrollCodeToken(ctx, sms, "", "0151 1234567"); return err },
			[]string{"address"}},
		{"enroll email with a name and a long description", func() error {
			_, err := s.EnrollCodeToken(ctx, email, strings.Repeat("x", 101), "Dana <dana@example.com>")
			return err
		}, []string{"address", "description"}},
		{"challenge without token", func() error { _, err := s.ChallengeToken(ctx, ""); return err }, []string{"id"}},
		{"change to an email address", func() error { _, err := s.ChangeAddress(ctx, smsToken, "dana@example.com"); return err },
			[]string{"address"}},
		{"confirm without code", func() error { _, err := s.ConfirmAddress(ctx, "t1", ""); return err }, []string{"otp"}},
		{"provisioning by SMS to an email address", func() error {
			_, err := s.NewProvisioning(ctx, "t1", api.ChannelSMS, "dana@example.com")
			return err
		}, []string{"address"}},
		{"provisioning without token", func() error { _, err := s.NewProvisioning(ctx, "", "", ""); return err }, []string{"id"}},
		{"push test without request", func() error { _, err := s.TestPush(ctx, "t1", "bad\x00id"); return err }, []string{"push_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := b.requests.Load()
			err := tt.call()
			if !errors.Is(err, api.ErrInvalidRequest) {
				t.Fatalf("error = %v; want invalid_request", err)
			}
			got := slices.Sorted(maps.Keys(fieldErrors(err)))
			if want := slices.Sorted(slices.Values(tt.wantFields)); !slices.Equal(got, want) {
				t.Errorf("fields = %v; want %v", got, want)
			}
			if n := b.requests.Load() - before; n != 0 {
				t.Errorf("%d requests sent; want none", n)
			}
		})
	}
}
