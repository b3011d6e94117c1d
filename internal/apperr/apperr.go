// Package apperr owns the error kinds the service layer returns and their
// rendering as RFC 9457 problem details. Only the HTTP error handler writes
// them; nothing else turns an error into a response.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Kind classifies an error for the client.
type Kind string

// Error kinds and their HTTP status.
const (
	KindMalformed    Kind = "malformed"
	KindValidation   Kind = "validation"
	KindUnauthorized Kind = "unauthorized"
	KindForbidden    Kind = "forbidden"
	KindNotFound     Kind = "not_found"
	KindMethod       Kind = "method_not_allowed"
	KindConflict     Kind = "conflict"
	KindPrecondition Kind = "precondition_failed"
	KindGone         Kind = "gone"
	KindTooLarge     Kind = "too_large"
	KindUnsupported  Kind = "unsupported_media_type"
	KindRateLimited  Kind = "rate_limited"
	KindUnavailable  Kind = "unavailable"
	// KindClientClosed: the client went away before the answer (499, as
	// nginx logs it; nobody reads the body).
	KindClientClosed Kind = "client_closed"
	KindInternal     Kind = "internal"
)

var statusOf = map[Kind]int{
	KindMalformed:    http.StatusBadRequest,
	KindValidation:   http.StatusUnprocessableEntity,
	KindUnauthorized: http.StatusUnauthorized,
	KindForbidden:    http.StatusForbidden,
	KindNotFound:     http.StatusNotFound,
	KindMethod:       http.StatusMethodNotAllowed,
	KindConflict:     http.StatusConflict,
	KindPrecondition: http.StatusPreconditionFailed,
	KindGone:         http.StatusGone,
	KindTooLarge:     http.StatusRequestEntityTooLarge,
	KindUnsupported:  http.StatusUnsupportedMediaType,
	KindRateLimited:  http.StatusTooManyRequests,
	KindUnavailable:  http.StatusServiceUnavailable,
	KindClientClosed: 499,
	KindInternal:     http.StatusInternalServerError,
}

var titleOf = map[Kind]string{
	KindMalformed:    "Malformed request",
	KindValidation:   "Invalid fields",
	KindUnauthorized: "Not signed in",
	KindForbidden:    "Not allowed",
	KindNotFound:     "Not found",
	KindMethod:       "Method not allowed",
	KindConflict:     "Conflict",
	KindPrecondition: "Precondition failed",
	KindGone:         "No longer available",
	KindTooLarge:     "Request too large",
	KindUnsupported:  "Unsupported media type",
	KindRateLimited:  "Too many requests",
	KindUnavailable:  "Service unavailable",
	KindClientClosed: "Client closed the request",
	KindInternal:     "Internal error",
}

// FieldError names one bad field. Params carry what the message says in
// numbers or words (a limit, a range, an example, the options) so that a
// client can say it in the person's language.
type FieldError struct {
	Field   string         `json:"field"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

// Field error codes shared by the server and the SPA catalogue. A code not
// listed here is still allowed; the SPA falls back to a generic message.
const (
	CodeRequired = "required" // empty or missing
	CodeMax      = "max"      // too long or too many: params.max
	CodeLength   = "length"   // params.min and params.max
	CodeRange    = "range"    // params.min/params.max, or params.reason
	CodePhone    = "phone"    // params.example
	CodeTimeGap  = "time_gap" // a Brussels local time skipped by the spring clock change
	CodeType     = "type"     // params.expected
	CodeOneOf    = "oneof"    // params.options
)

// Max is the params of a "max" error.
func Max(n int) map[string]any { return map[string]any{"max": n} }

// Between is the params of a "length" or "range" error.
func Between(lo, hi any) map[string]any { return map[string]any{"min": lo, "max": hi} }

// Options is the params of a "oneof" error.
func Options(opts ...string) map[string]any { return map[string]any{"options": opts} }

// Error is an error meant for the client. Cause is for logs only.
type Error struct {
	Kind       Kind
	Detail     string
	Fields     []FieldError
	RetryAfter time.Duration
	// Extra members of the problem body (e.g. duplicate candidates).
	Extra map[string]any
	Cause error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Status is the HTTP status of the kind.
func (e *Error) Status() int { return statusOf[e.Kind] }

// Title is the short, stable title of the kind.
func (e *Error) Title() string { return titleOf[e.Kind] }

// New builds an error of a kind with a client-safe detail.
func New(k Kind, detail string) *Error { return &Error{Kind: k, Detail: detail} }

// Newf is New with formatting.
func Newf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Detail: fmt.Sprintf(format, args...)}
}

// Wrap keeps the cause for logs.
func Wrap(k Kind, detail string, cause error) *Error {
	return &Error{Kind: k, Detail: detail, Cause: cause}
}

// Fields accumulates field errors; Err returns nil when none were added.
type Fields []FieldError

// Add records a bad field.
func (f *Fields) Add(field, code, message string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message})
}

// AddP records a bad field with the params its message is built from.
func (f *Fields) AddP(field, code, message string, params map[string]any) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message, Params: params})
}

// OneOf records a value that is not one of the options.
func (f *Fields) OneOf(field string, options []string) {
	f.AddP(field, CodeOneOf, oneOfMessage(options), Options(options...))
}

func oneOfMessage(options []string) string {
	return "Must be one of: " + strings.Join(options, ", ") + "."
}

// Has reports whether field already has an error.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns a validation error listing the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: KindValidation, Detail: "One or more fields are invalid.", Fields: f}
}

// Validation is a validation error for a single field.
func Validation(field, code, message string) *Error {
	return ValidationP(field, code, message, nil)
}

// ValidationP is Validation with params.
func ValidationP(field, code, message string, params map[string]any) *Error {
	return &Error{Kind: KindValidation, Detail: "One or more fields are invalid.", Fields: []FieldError{{Field: field, Code: code, Message: message, Params: params}}}
}

// OneOf is a validation error for a value that is not one of the options.
func OneOf(field string, options []string) *Error {
	return ValidationP(field, CodeOneOf, oneOfMessage(options), Options(options...))
}

// NotFound is the answer for absent and out-of-scope records alike.
func NotFound() *Error {
	return New(KindNotFound, "The record does not exist or is not visible to you.")
}

// Forbidden is the answer when the role may never do this.
func Forbidden() *Error { return New(KindForbidden, "Your role may not do this.") }

// As extracts an *Error.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}
