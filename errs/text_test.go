package errs

import "testing"

func TestText(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"héllo", 5, ""},
		{"héllo!", 5, "must be at most 5 characters"},
		{"a\x00b", 10, "contains invalid characters"},
		{"a\xffb", 10, "contains invalid characters"},
	} {
		if got := TextProblem(c.in, c.max); got != c.want {
			t.Errorf("TextProblem(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		var v Validation
		if ok := v.Text("f", c.in, c.max); ok != (c.want == "") || (v.Err() == nil) != ok {
			t.Errorf("Text(%q) = %v, err %v", c.in, ok, v.Err())
		}
	}
}
