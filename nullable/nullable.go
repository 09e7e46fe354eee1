package nullable

import (
	"bytes"
	"encoding/json"
)

// Value is a JSON field that may be absent, null or hold a V. The zero
// Value is absent.
type Value[T any] struct {
	// Set is true when the field was in the JSON (null or a value).
	Set bool
	// Null is true when the field was the JSON null.
	Null bool
	V    T
}

// Of returns a Value holding v.
func Of[T any](v T) Value[T] { return Value[T]{Set: true, V: v} }

// Null returns a Value set to null.
func Null[T any]() Value[T] { return Value[T]{Set: true, Null: true} }

// UnmarshalJSON records that the field was present; encoding/json does not
// call it for absent fields, which stay the zero (absent) Value.
func (v *Value[T]) UnmarshalJSON(b []byte) error {
	v.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		v.Null, v.V = true, *new(T)
		return nil
	}
	v.Null = false
	return json.Unmarshal(b, &v.V)
}

// MarshalJSON writes null or the value (an absent Value also writes null).
func (v Value[T]) MarshalJSON() ([]byte, error) {
	if !v.Set || v.Null {
		return []byte("null"), nil
	}
	return json.Marshal(v.V)
}

// Ptr is the value as a pointer: nil for null (and for absent).
func (v Value[T]) Ptr() *T {
	if !v.Set || v.Null {
		return nil
	}
	x := v.V
	return &x
}
