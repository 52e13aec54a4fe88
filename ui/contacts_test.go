package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestContactDetailsShowAndChange(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("demo")
	s := m.contacts
	if s == nil {
		t.Fatal("no Contact details area")
	}
	f.showArea(m, "Contact details")
	f.waitFor("the contact details", func() bool { return s.loaded })
	if v, ok := s.value("work_email"); !ok || !v.Verified || !v.Preferred {
		t.Fatalf("work email = %+v; want the demo's confirmed, preferred address", v)
	}
	// A required value cannot be removed: the button says so up front.
	for _, b := range buttons(s.list.Objects[0]) {
		if b.Text == "Remove" && !b.Disabled() {
			t.Error("Remove is enabled on the required work email")
		}
	}

	// A wrong value is refused next to the field, and what was typed stays.
	test.Tap(s.edit["postal_address"])
	d := s.dialog
	input := d.inputs[0].(*entry)
	input.SetText("line one\nline two")
	test.Tap(d.confirm)
	f.waitFor("the field error", func() bool { return d.fields["value"].Visible() })
	if !strings.Contains(d.fields["value"].Text, "one line") || input.Text != "line one\nline two" {
		t.Errorf("field error %q, entry %q; want the error next to the field and the text kept", d.fields["value"].Text, input.Text)
	}

	// A right one is saved after the step-up the demo asks for.
	input.SetText("Building C, 1.07")
	test.Tap(d.confirm)
	f.waitFor("the step-up or the outcome", func() bool { return s.stepUp != nil || s.dialog != d || d.message.message() != "" })
	if s.stepUp != nil {
		f.confirmStepUp(func() *stepUpDialog { return s.stepUp }, stepUpCode(f, f.demoUser("demo").TOTPSecret))
	}
	f.waitFor("the value saved", func() bool { v, _ := s.value("postal_address"); return v.Value == "Building C, 1.07" })
	if !s.notice.Visible() {
		t.Error("no notice that the value was saved")
	}
}

func TestHelpdeskHasNoContactDetails(t *testing.T) {
	f := newFixture(t, Options{})
	m := f.signIn("helpdesk")
	if m.contacts != nil || m.areaIndex("Contact details") >= 0 {
		t.Error("the helpdesk account, without info_frontend_view, sees Contact details")
	}
}
