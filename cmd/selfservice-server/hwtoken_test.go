package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const hwSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestHWTokenImportListUnassign(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := newDatabase(t)
	csv := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(csv, []byte("serial,secret,type,digits\nHW-1,"+hwSecret+",hotp,6\nHW-2,"+hwSecret+",totp,8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}

	out, err := cli("hwtoken", "import", "--db", db, "--file", csv)
	if err != nil || !strings.Contains(out, "Imported 2 hardware token(s).") {
		t.Fatalf("import: got %q, %v; want 2 imported", out, err)
	}
	_, err = cli("hwtoken", "import", "--db", db, "--file", csv)
	if err == nil || !strings.Contains(err.Error(), "line 2: serial HW-1 is imported already") {
		t.Errorf("second import: got %v, want the duplicate named with its line", err)
	}

	out, err = cli("hwtoken", "list", "--db", db)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	for _, want := range []string{"HW-1", "hotp", "HW-2", "totp", "-"} {
		if !strings.Contains(out, want) {
			t.Errorf("list: got %q, want it to show %q", out, want)
		}
	}
	if strings.Contains(out, hwSecret) {
		t.Errorf("list shows a secret: %q", out)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"hwtoken", "unassign", "--db", db, "--serial", "hw-1"}, "nobody holds HW-1"},
		{[]string{"hwtoken", "unassign", "--db", db, "--serial", "HW-9"}, `no hardware token "HW-9"`},
		{[]string{"hwtoken", "unassign", "--db", db}, "--serial SERIAL"},
		{[]string{"hwtoken", "import", "--db", db}, "--file"},
		{[]string{"hwtoken", "frobnicate"}, "name a hwtoken command"},
	}
	for _, tt := range tests {
		if _, err := cli(tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want an error with %q", tt.args, err, tt.want)
		}
	}
}
