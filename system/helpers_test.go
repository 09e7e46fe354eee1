package system_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/system"
)

// requireCode fails unless err carries code and, when field is not empty,
// names that field.
func requireCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, errs.CodeOf(err), "error: %v", err)
	if field != "" {
		e := errs.As(err)
		require.NotNil(t, e)
		require.Contains(t, e.Fields, field, "error %v should name field %q", err, field)
	}
}

// fieldMessage is the first message err gives for field.
func fieldMessage(t *testing.T, err error, field string) string {
	t.Helper()
	e := errs.As(err)
	require.NotNil(t, e, "error: %v", err)
	require.NotEmpty(t, e.Fields[field], "error %v should name field %q", err, field)
	return e.Fields[field][0]
}

func newService(env *igny8test.Env) *system.Service { return system.NewService(env.App.DB()) }

func ptr[T any](v T) *T { return &v }
