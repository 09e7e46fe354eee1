package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
)

// schemaOf fetches and parses /api/schema/.
func schemaOf(t *testing.T, env *igny8test.Env) *openapi3.T {
	t.Helper()
	res := env.Client().Get("/api/schema/")
	require.Equal(t, http.StatusOK, res.Status)
	doc, err := openapi3.NewLoader().LoadFromData(res.Body)
	require.NoError(t, err)
	return doc
}

func TestOpenAPIDocumentIsValidAndComplete(t *testing.T) {
	env := igny8test.NewSQLite(t)
	doc := schemaOf(t, env)
	require.NoError(t, doc.Validate(context.Background()))

	// Every registered route is documented: walk the real router by probing
	// each documented operation, and check the count against the table.
	ops := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			assert.NotEmpty(t, op.Summary, "%s %s", method, path)
			assert.NotEmpty(t, op.Extensions["x-throttle-scope"], "%s %s", method, path)
			// The documented operation exists on the router: an anonymous
			// call answers anything but 404/405.
			probe := strings.ReplaceAll(strings.ReplaceAll(path, "{id}", "999999"), "{type}", "probe")
			res := env.Client().Do(method, probe, nil)
			assert.NotEqual(t, http.StatusMethodNotAllowed, res.Status, "%s %s is documented but not routed", method, path)
			if !strings.Contains(path, "{") {
				assert.NotEqual(t, http.StatusNotFound, res.Status, "%s %s is documented but not routed", method, path)
			}
		}
	}
	assert.Equal(t, env.App.RouteCount(), ops, "every route of the table is in the document")
}

func TestDocsPagesRender(t *testing.T) {
	env := igny8test.NewSQLite(t)
	c := env.Client()
	res := c.Get("/api/docs/")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, string(res.Body), "swagger")
	assert.Contains(t, string(res.Body), "/api/schema/")
	res = c.Get("/api/redoc/")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, string(res.Body), `<redoc spec-url="/api/schema/">`)
	res = c.Get("/api/redoc/static/redoc.standalone.js")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Greater(t, len(res.Body), 500_000, "the bundle is served locally, no CDN")
}
