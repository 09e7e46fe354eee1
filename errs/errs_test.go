package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOfAndWrapping(t *testing.T) {
	base := Field("email", "is not a valid email address")
	wrapped := fmt.Errorf("register: %w", base)
	if CodeOf(wrapped) != Invalid {
		t.Fatalf("CodeOf(wrapped) = %q", CodeOf(wrapped))
	}
	if CodeOf(errors.New("plain")) != Internal || CodeOf(nil) != "" {
		t.Fatal("foreign errors are internal, nil has no code")
	}
	if !errors.Is(wrapped, &Error{Code: Invalid}) || errors.Is(wrapped, &Error{Code: NotFound}) {
		t.Fatal("errors.Is matches on the code")
	}
	cause := errors.New("driver detail")
	w := Wrap(cause, Unavailable, "busy")
	if !errors.Is(w, cause) || w.Message != "busy" {
		t.Fatal("Wrap keeps the cause for errors.Is and shows only the message")
	}
	if As(wrapped).Fields["email"][0] != "is not a valid email address" {
		t.Fatal("As exposes the fields")
	}
}

func TestValidation(t *testing.T) {
	var v Validation
	if v.Err() != nil {
		t.Fatal("empty validation is nil")
	}
	v.Check(true, "name", "never")
	v.Add("email", "is required")
	v.Check(false, "password", "too short")
	v.Add("email", "is not valid")
	err := As(v.Err())
	if err.Code != Invalid || err.Message != "email: is required" {
		t.Fatalf("got %v", err)
	}
	if len(err.Fields) != 2 || len(err.Fields["email"]) != 2 {
		t.Fatalf("fields %v", err.Fields)
	}
}
