// Package api is the wire contract between the Selfservice desktop app and
// the Selfservice backend: request and response types with their
// validation, the error envelope and its codes, and the privilege names.
// It imports only the standard library; client and server both use it.
// The HTTP routes are described in openapi.yaml next to this file.
package api

// BasePath prefixes every route of the JSON API.
const BasePath = "/api/v1"

// ApprovalHeader carries the id of a completed approval when an
// approvable request is repeated: a confirmed step-up, or an approved
// request whose requester finishes it (see WithApproval).
const ApprovalHeader = "X-Approval-Id"
