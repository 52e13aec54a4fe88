package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"selfservice/api"
)

// writeJSON sends v with the given status. Responses may carry session
// tokens and secrets, so nothing may cache them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // the client went away if this fails
}

// writeNoContent answers a call that has nothing to return.
func writeNoContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// writeError sends err in the error envelope. An error that is not an
// *api.Error is a server fault: it is logged and the client only learns
// that something went wrong.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", routeOf(r), "err", err)
		errors.As(errInternal(), &e)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	if e.Code == api.CodeUnauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="selfservice"`)
	}
	writeJSON(w, api.HTTPStatus(e.Code), api.ErrorEnvelope{Error: e})
}

// validator is a request type of package api.
type validator interface {
	Validate() error
}

// decodeValid reads the JSON body into v and validates it.
func (s *Server) decodeValid(w http.ResponseWriter, r *http.Request, v validator) error {
	if err := s.decode(w, r, v); err != nil {
		return err
	}
	return v.Validate()
}

// decode reads a request body that must be application/json, at most
// MaxBodyBytes long, exactly one JSON value, and without fields v does not
// have.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return apiError(api.CodeUnsupportedMedia, "Send the request body as JSON, with the header Content-Type: application/json.")
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return s.decodeError(err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		if err != nil && !isSyntaxError(err) {
			return s.decodeError(err)
		}
		return apiError(api.CodeMalformedJSON, "The request body must be a single JSON object, with nothing after it.")
	}
	return nil
}

func isSyntaxError(err error) bool {
	var syntax *json.SyntaxError
	return errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF)
}

// decodeError turns a JSON decoding failure into the error the client gets.
func (s *Server) decodeError(err error) error {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return apiError(api.CodeBodyTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", s.cfg.MaxBodyBytes))
	case errors.Is(err, io.EOF):
		return apiError(api.CodeMalformedJSON, "The request body is empty; send a JSON object.")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return api.FieldError(map[string]string{typeErr.Field: "This value must be " + kindName(typeErr.Type) + "."})
	case errors.As(err, &typeErr):
		return apiError(api.CodeMalformedJSON, "The request body must be a JSON object.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return apiError(api.CodeMalformedJSON, "The request has a field this call does not accept: "+field+". Remove it and try again.")
	}
	return apiError(api.CodeMalformedJSON, "The request body is not valid JSON.")
}

// kindName names a JSON type for the user.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}
