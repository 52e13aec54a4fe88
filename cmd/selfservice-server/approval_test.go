package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestApprovalSetAndList(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "selfservice.db")
	runOK := func(args ...string) string {
		t.Helper()
		var stderr bytes.Buffer
		if err := run(ctx, args, strings.NewReader("a long passphrase\n"), io.Discard, &stderr); err != nil {
			t.Fatalf("run(%q): %v\n%s", args, err, stderr.String())
		}
		return stderr.String()
	}
	runOK("user", "add", "--db", db, "--username", "hank", "--role", "helpdesk", "--password-stdin")
	runOK("user", "add", "--db", db, "--username", "ines", "--role", "helpdesk", "--password-stdin")

	if out := runOK("approval", "list", "--db", db); !strings.Contains(out, "No approval policies") {
		t.Errorf("list of a new database = %q, want no policies", out)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--operation", "token.delete", "--mode", "self"}, "token.delete: the user confirms with one of their tokens"},
		{[]string{"--operation", "token.enroll", "--template", "hotp-app", "--mode", "approvers", "--approvers", "hank, ines", "--required", "2"},
			"token.enroll (template hotp-app): 2 approval(s) from hank,ines"},
		{[]string{"--operation", "token.disable", "--mode", "approvers", "--group", "helpdesk"}, "token.disable: 1 approval(s) from group helpdesk"},
	}
	for _, tt := range tests {
		out := runOK(append([]string{"approval", "set", "--db", db}, tt.args...)...)
		if !strings.Contains(out, tt.want) {
			t.Errorf("approval set %q said %q, want %q", tt.args, out, tt.want)
		}
	}
	out := runOK("approval", "list", "--db", db)
	for _, want := range []string{
		"token.delete   (all)     self       -               -",
		"token.disable  (all)     approvers  group helpdesk  1",
		"token.enroll   hotp-app  approvers  hank,ines       2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("approval list lacks %q:\n%s", want, out)
		}
	}
}

func TestApprovalCommandLineErrors(t *testing.T) {
	db := newDatabase(t)
	set := func(args ...string) []string { return append([]string{"approval", "set", "--db", db}, args...) }
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no subcommand", []string{"approval"}, `"approval set" or "approval list"`},
		{"unknown subcommand", []string{"approval", "delete"}, `"approval set" or "approval list"`},
		{"set without db", []string{"approval", "set", "--operation", "token.delete", "--mode", "self"}, "--db FILE"},
		{"set without operation", set("--mode", "self"), "--operation OP (token.enroll, token.disable, token.delete, token.address, contact.update, password.update, account.delete, invitation.create)"},
		{"set without mode", set("--operation", "token.delete"), "--mode self, approvers or none"},
		{"unknown operation", set("--operation", "password.change", "--mode", "self"), "The operation must be one of"},
		{"unknown mode", set("--operation", "token.delete", "--mode", "boss"), "The mode must be one of: none, self, approvers"},
		{"approvers without names", set("--operation", "token.delete", "--mode", "approvers"), "Name the approvers"},
		{"unknown approver", set("--operation", "token.delete", "--mode", "approvers", "--approvers", "nobody"), `There is no user "nobody"`},
		{"unknown group", set("--operation", "token.delete", "--mode", "approvers", "--group", "admins"), "Groups are roles"},
		{"approvers for self", set("--operation", "token.delete", "--mode", "self", "--group", "helpdesk"), "only with the mode approvers"},
		{"unknown template", set("--operation", "token.enroll", "--mode", "self", "--template", "sms"), `no token template "sms"`},
		{"list without db", []string{"approval", "list"}, "--db FILE"},
		{"demo approvals without demo", []string{"serve", "--db", db, "--demo-approvals"}, "--demo-approvals goes with --demo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

func TestApprovalHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"approval set --db FILE --operation OP --mode self|approvers|none", "approval list --db FILE", "--demo-approvals", "--group helpdesk means every helpdesk user"}},
		{[]string{"approval", "--help"}, []string{"approval set --db FILE"}},
		{[]string{"approval", "set", "-h"}, []string{"-operation operation", "-mode mode", "-approvers usernames", "-group role", "-required number", "-template ID"}},
		{[]string{"serve", "-h"}, []string{"-demo-approvals"}},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, &stderr); err != nil {
			t.Errorf("run(%q) = %v, want help and no error", tt.args, err)
		}
		for _, want := range tt.want {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("help for %q lacks %q:\n%s", tt.args, want, stderr.String())
			}
		}
	}
}

func TestServeSeedsDemoApprovalsOnlyWhenAsked(t *testing.T) {
	for _, withPolicies := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		db := filepath.Join(t.TempDir(), "selfservice.db")
		args := []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo"}
		if withPolicies {
			args = append(args, "--demo-approvals")
		}
		stderr := &urlWatcher{url: make(chan string, 1)}
		done := make(chan error, 1)
		go func() { done <- run(ctx, args, strings.NewReader(""), io.Discard, stderr) }()
		select {
		case <-stderr.url:
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, stderr)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}

		var list bytes.Buffer
		if err := run(context.Background(), []string{"approval", "list", "--db", db}, strings.NewReader(""), io.Discard, &list); err != nil {
			t.Fatal(err)
		}
		seeded := strings.Contains(list.String(), "hotp-app  approvers  helpdesk")
		if seeded != withPolicies {
			t.Errorf("with --demo-approvals %v: policies:\n%s", withPolicies, list.String())
		}
	}
}
