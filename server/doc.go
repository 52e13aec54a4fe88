// Package server is the Selfservice reference backend: the JSON API under
// /api/v1 (see api/openapi.yaml), its authentication (password, then a
// one-time code), the token rules, and the SQLite store behind the Store
// interface.
//
// Build a server with New, mount Handler, and run it with Serve; StartLocal
// does all of that on a loopback port for the desktop app's demo mode.
package server
