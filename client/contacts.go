package client

import (
	"context"
	"net/http"
	"net/url"

	"selfservice/api"
)

// Contacts returns the organisation's contact fields and the user's
// values: GET /account/contacts.
func (c *Client) Contacts(ctx context.Context) (api.ContactsResponse, error) {
	var out api.ContactsResponse
	err := c.do(ctx, http.MethodGet, "/account/contacts", nil, &out)
	return out, err
}

// SetContact sets the value of a contact field; for a field with verify
// the answer is the change waiting for the code sent to the new value:
// PUT /account/contacts/{field}. Approvable (contact.update).
func (c *Client) SetContact(ctx context.Context, field string, req api.SetContactRequest) (api.ContactResponse, error) {
	var out api.ContactResponse
	err := c.do(ctx, http.MethodPut, contactPath(field), req, &out)
	return out, err
}

// DeleteContact removes the value of a contact field, or, for a locked
// field, sends the code that confirms it: DELETE /account/contacts/{field}.
// Approvable (contact.update).
func (c *Client) DeleteContact(ctx context.Context, field string) (api.ContactResponse, error) {
	var out api.ContactResponse
	err := c.do(ctx, http.MethodDelete, contactPath(field), nil, &out)
	return out, err
}

// ConfirmContact makes the field's waiting change with the code sent for
// it: POST /account/contacts/{field}/confirm.
func (c *Client) ConfirmContact(ctx context.Context, field string, req api.OTPRequest) (api.ContactResponse, error) {
	var out api.ContactResponse
	err := c.do(ctx, http.MethodPost, contactPath(field)+"/confirm", req, &out)
	return out, err
}

// PreferContact makes the field's value the preferred channel:
// POST /account/contacts/{field}/preferred.
func (c *Client) PreferContact(ctx context.Context, field string) (api.ContactResponse, error) {
	var out api.ContactResponse
	err := c.do(ctx, http.MethodPost, contactPath(field)+"/preferred", nil, &out)
	return out, err
}

func contactPath(field string) string {
	return "/account/contacts/" + url.PathEscape(field)
}
