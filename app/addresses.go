package app

import (
	"context"
	"slices"

	"selfservice/api"
)

// Where the codes of an SMS or email token may go. An organisation may
// limit a template to the user's confirmed values of some contact fields
// (the template's ContactFields; the server refuses any other address);
// without such a limit any address will do, confirmed by the first code,
// and the confirmed values are only suggestions.

// AddressChoice says where the codes of a token may go.
type AddressChoice struct {
	// Limited: only the Options may be used.
	Limited bool
	// Fields are the labels of the contact fields a limited template
	// takes, of its channel, in the organisation's order: what to add
	// under Contact details when there are no Options.
	Fields []string
	// Options are the user's confirmed contact values of the token's
	// channel (of the template's fields when Limited), the preferred one
	// first, then in the order of the fields.
	Options []AddressOption
	// Unread: the session may not read the contact details (one that
	// may only enroll its first sign-in method), so nothing is offered
	// and the server alone says whether the address is one it takes.
	Unread bool
}

// AddressOption is one of the user's confirmed contact values.
type AddressOption struct {
	Field     string // the contact field's id
	Label     string // the contact field's label
	Value     string // normalised, as the server keeps it
	Preferred bool
}

// Without is the choice without address (normalised), the one a token
// has already when it is moved.
func (c AddressChoice) Without(address string) AddressChoice {
	c.Options = slices.DeleteFunc(slices.Clone(c.Options), func(o AddressOption) bool { return o.Value == address })
	return c
}

// AddressOptions says where the codes of a token of template t may go,
// given the user's contact details.
func AddressOptions(t api.TokenTemplate, contacts api.ContactsResponse) AddressChoice {
	channel := t.Type.Channel()
	choice := AddressChoice{Limited: len(t.ContactFields) > 0}
	var preferred []AddressOption
	for _, f := range contacts.Fields {
		if f.Type.Channel() != channel || (choice.Limited && !slices.Contains(t.ContactFields, f.ID)) {
			continue
		}
		if choice.Limited {
			choice.Fields = append(choice.Fields, f.Label)
		}
		i := slices.IndexFunc(contacts.Values, func(v api.ContactValue) bool { return v.Field == f.ID })
		if i < 0 || !contacts.Values[i].Verified {
			continue
		}
		v := contacts.Values[i]
		o := AddressOption{Field: f.ID, Label: f.Label, Value: v.Value, Preferred: v.Preferred}
		if o.Preferred {
			preferred = append(preferred, o)
		} else {
			choice.Options = append(choice.Options, o)
		}
	}
	choice.Options = append(preferred, choice.Options...)
	return choice
}

// AddressChoice reads the user's contact details and says where the
// codes of a token of template t may go.
func (s *Session) AddressChoice(ctx context.Context, t api.TokenTemplate) (AddressChoice, error) {
	if !s.Can(api.PrivInfoView) {
		return AddressChoice{Limited: len(t.ContactFields) > 0, Unread: true}, nil
	}
	contacts, err := s.Contacts(ctx)
	if err != nil {
		return AddressChoice{}, err
	}
	return AddressOptions(t, contacts), nil
}

// MoveChoice says where the SMS or email token tok may move: the choice
// of its template, without the address it has.
func (s *Session) MoveChoice(ctx context.Context, tok api.Token) (AddressChoice, error) {
	t := api.TokenTemplate{ID: tok.TemplateID, Type: tok.Type}
	if s.Can(api.PrivTokenTemplateView) {
		templates, err := s.Templates(ctx)
		if err != nil {
			return AddressChoice{}, err
		}
		// A template removed since keeps no limit the app knows of; the
		// server still checks.
		if i := slices.IndexFunc(templates, func(x api.TokenTemplate) bool { return x.ID == tok.TemplateID }); i >= 0 {
			t = templates[i]
		}
	}
	choice, err := s.AddressChoice(ctx, t)
	return choice.Without(tok.Address), err
}
