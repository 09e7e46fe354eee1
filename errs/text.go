package errs

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TextProblem says what is wrong with free text a client sent, or "" when
// nothing is: invalid UTF-8 or a NUL byte (the databases would fail the
// whole statement — a 500 instead of a 400) or more than maxLen
// characters. Every package checks text with it, so the rule and its
// messages are the same everywhere.
func TextProblem(s string, maxLen int) string {
	switch {
	case !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0:
		return "contains invalid characters"
	case utf8.RuneCountInString(s) > maxLen:
		return fmt.Sprintf("must be at most %d characters", maxLen)
	}
	return ""
}

// Text records TextProblem for field and reports whether s passed.
func (v *Validation) Text(field, s string, maxLen int) bool {
	if msg := TextProblem(s, maxLen); msg != "" {
		v.Add(field, msg)
		return false
	}
	return true
}
