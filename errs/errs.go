package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an error for callers and transports.
type Code string

// The codes every layer understands. The HTTP layer maps each to one status.
const (
	Invalid             Code = "invalid"
	Unauthenticated     Code = "unauthenticated"
	Forbidden           Code = "forbidden"
	NotFound            Code = "not_found"
	Conflict            Code = "conflict"
	InsufficientCredits Code = "insufficient_credits"
	RateLimited         Code = "rate_limited"
	Unavailable         Code = "unavailable"
	Internal            Code = "internal"
)

// Error is the error type of igny8. Message is safe to show to the caller;
// Err, when set, is the underlying cause and is only logged.
type Error struct {
	Code    Code
	Message string
	// Fields holds per-field messages for validation errors, keyed by the
	// field's wire name (e.g. "email", "sector_id").
	Fields map[string][]string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintf(&b, "; %s: %s", name, strings.Join(e.Fields[name], ", "))
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, &errs.Error{Code: errs.NotFound}) match on the code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// E builds an error with a code and a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code and message to a cause; the cause is kept for logs and
// errors.Is/As but never shown to API callers.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Field builds a validation error for one field.
func Field(field, message string) *Error {
	return &Error{Code: Invalid, Message: message, Fields: map[string][]string{field: {message}}}
}

// FieldCode builds an error of another code (conflict, not_found) that still
// names the field it is about, e.g. a duplicate email.
func FieldCode(code Code, field, message string) *Error {
	return &Error{Code: code, Message: message, Fields: map[string][]string{field: {message}}}
}

// NotFoundf is the usual not_found error. It deliberately says nothing about
// whether the object exists in another account.
func NotFoundf(format string, args ...any) *Error {
	return E(NotFound, format, args...)
}

// Validation collects field errors and turns them into one Invalid error.
type Validation struct {
	fields map[string][]string
	order  []string
}

// Add records a message for a field.
func (v *Validation) Add(field, message string) {
	if v.fields == nil {
		v.fields = map[string][]string{}
	}
	if _, seen := v.fields[field]; !seen {
		v.order = append(v.order, field)
	}
	v.fields[field] = append(v.fields[field], message)
}

// Check records message for field when ok is false.
func (v *Validation) Check(ok bool, field, message string) {
	if !ok {
		v.Add(field, message)
	}
}

// Err returns nil when nothing was recorded, else an Invalid error whose
// message names the first failing field.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	first := v.order[0]
	return &Error{
		Code:    Invalid,
		Message: first + ": " + v.fields[first][0],
		Fields:  v.fields,
	}
}

// CodeOf returns the Code of err, Internal for foreign errors and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	return err != nil && CodeOf(err) == code
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
