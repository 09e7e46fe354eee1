package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gorilla/mux"
	"github.com/swaggest/swgui/v5emb"

	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/store"
)

// muxVar matches gorilla/mux path variables with a pattern ("{id:[0-9]+}").
var muxVar = regexp.MustCompile(`\{([a-z_]+)(:[^}]*)?\}`)

// OpenAPI builds the OpenAPI 3 document of the route table: the same table
// that registers the handlers, so the two cannot drift.
func (a *api) OpenAPI() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "IGNY8 API",
			Version: "v1",
			Description: "Every answer is an envelope: {success, data, message, request_id}; lists put " +
				"count, next, previous and results at the top level; errors are {success: false, error, errors, request_id}. " +
				"X-Request-ID is on every response; throttled scopes send X-Throttle-Limit/Remaining/Reset and Retry-After.",
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			SecuritySchemes: openapi3.SecuritySchemes{
				"jwt":     {Value: openapi3.NewJWTSecurityScheme()},
				"apiKey":  {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("header").WithName("X-IGNY8-API-KEY")},
				"session": {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("cookie").WithName(sessionCookie)},
			},
			Schemas: openapi3.Schemas{"Error": openapi3.NewSchemaRef("", errorSchema())},
		},
	}
	for i := range a.routes {
		rt := &a.routes[i]
		op, err := a.operation(rt)
		if err != nil {
			return nil, fmt.Errorf("httpapi: openapi for %s %s: %w", rt.Method, rt.Path, err)
		}
		path := "/api/v1" + muxVar.ReplaceAllString(rt.Path, "{$1}")
		doc.AddOperation(path, rt.Method, op)
	}
	return doc, nil
}

func errorSchema() *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	s.WithProperty("success", openapi3.NewBoolSchema())
	s.WithProperty("error", openapi3.NewStringSchema())
	s.WithProperty("errors", openapi3.NewObjectSchema().WithAdditionalProperties(openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())))
	s.WithProperty("request_id", openapi3.NewStringSchema())
	s.Required = []string{"success", "error"}
	return s
}

func schemaOf(v any) (*openapi3.SchemaRef, error) {
	if v == nil {
		return openapi3.NewSchemaRef("", &openapi3.Schema{Nullable: true}), nil
	}
	return openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(describeSelf))
}

// nullableValue is any instantiation of nullable.Value (for its package).
var nullableValue = reflect.TypeFor[nullable.Value[int]]()

// describeSelf documents a nullable.Value[T] as T's schema, nullable: the
// generator would describe the struct itself (Set, Null and V, none of them
// JSON fields) as the empty schema, "any value".
func describeSelf(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	if t.Kind() != reflect.Struct || t.PkgPath() != nullableValue.PkgPath() || !strings.HasPrefix(t.Name(), "Value[") {
		return nil
	}
	v, _ := t.FieldByName("V")
	ref, err := openapi3gen.NewSchemaRefForValue(reflect.New(v.Type).Elem().Interface(), nil, openapi3gen.SchemaCustomizer(describeSelf))
	if err != nil {
		return fmt.Errorf("schema of %s: %w", t, err)
	}
	*s = *ref.Value
	s.Nullable = true
	return nil
}

func (a *api) operation(rt *Route) (*openapi3.Operation, error) {
	op := openapi3.NewOperation()
	op.Summary = rt.Summary
	op.Tags = []string{rt.Tag}
	op.OperationID = strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_").Replace(muxVar.ReplaceAllString(rt.Path, "{$1}"))
	op.Extensions = map[string]any{"x-throttle-scope": rt.Scope}
	if rt.MinRole != "" {
		op.Extensions["x-min-role"] = string(rt.MinRole)
	}
	if rt.Module != "" {
		op.Extensions["x-module"] = rt.Module
	}
	switch rt.Access {
	case public:
		op.Security = openapi3.NewSecurityRequirements()
	case userOnly:
		op.Security = openapi3.NewSecurityRequirements().With(openapi3.NewSecurityRequirement().Authenticate("jwt")).
			With(openapi3.NewSecurityRequirement().Authenticate("session"))
	case anyPrincipal:
		op.Security = openapi3.NewSecurityRequirements().With(openapi3.NewSecurityRequirement().Authenticate("jwt")).
			With(openapi3.NewSecurityRequirement().Authenticate("session")).
			With(openapi3.NewSecurityRequirement().Authenticate("apiKey"))
	}
	for _, m := range muxVar.FindAllStringSubmatch(rt.Path, -1) {
		schema := openapi3.NewInt64Schema()
		if m[2] != ":[0-9]+" {
			schema = openapi3.NewStringSchema()
		}
		op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(schema))
	}
	if rt.ListSpec != nil {
		addListParameters(op, *rt.ListSpec, rt.List)
	}
	if rt.Body != nil {
		s, err := schemaOf(rt.Body)
		if err != nil {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(s)}
	}
	if rt.CSVUpload {
		form := openapi3.NewObjectSchema().WithProperty("file", openapi3.NewStringSchema().WithFormat("binary"))
		form.Required = []string{"file"}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithContent(openapi3.Content{
			"text/csv":            openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema()),
			"multipart/form-data": openapi3.NewMediaType().WithSchema(form),
		})}
	}
	status := rt.status()
	resp := openapi3.NewResponse().WithDescription(http.StatusText(status))
	if rt.Raw {
		resp.WithContent(openapi3.Content{rt.Produces: openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())})
	} else if status != http.StatusNoContent {
		data, err := schemaOf(rt.Response)
		if err != nil {
			return nil, err
		}
		env := openapi3.NewObjectSchema().WithProperty("success", openapi3.NewBoolSchema()).
			WithProperty("request_id", openapi3.NewStringSchema())
		if rt.List {
			env.WithProperty("count", openapi3.NewIntegerSchema()).
				WithProperty("next", openapi3.NewStringSchema().WithNullable()).
				WithProperty("previous", openapi3.NewStringSchema().WithNullable()).
				WithPropertyRef("results", data)
		} else {
			env.WithPropertyRef("data", data).WithProperty("message", openapi3.NewStringSchema())
		}
		resp.WithJSONSchema(env)
	}
	op.AddResponse(status, resp)
	errRef := openapi3.NewSchemaRef("#/components/schemas/Error", nil)
	for _, code := range []int{400, 401, 403, 404, 429} {
		if code == 401 && rt.Access == public {
			continue
		}
		op.AddResponse(code, openapi3.NewResponse().WithDescription(http.StatusText(code)).
			WithContent(openapi3.NewContentWithJSONSchemaRef(errRef)))
	}
	return op, nil
}

// addListParameters documents a list's query parameters; routes that take
// a list's filters without paging it (filter options, CSV export) get them
// without page and page_size.
func addListParameters(op *openapi3.Operation, spec store.ListSpec, paged bool) {
	if paged {
		op.AddParameter(openapi3.NewQueryParameter("page").WithSchema(openapi3.NewIntegerSchema().WithMin(1)))
		op.AddParameter(openapi3.NewQueryParameter("page_size").WithSchema(openapi3.NewIntegerSchema().WithMin(1)))
	}
	if len(spec.Search) > 0 {
		op.AddParameter(openapi3.NewQueryParameter("search").WithSchema(openapi3.NewStringSchema()))
	}
	if len(spec.Ordering) > 0 {
		names := make([]string, 0, len(spec.Ordering))
		for name := range spec.Ordering {
			names = append(names, name)
		}
		sort.Strings(names)
		p := openapi3.NewQueryParameter("ordering").WithSchema(openapi3.NewStringSchema())
		p.Description = "comma-separated; prefix - for descending; one of " + strings.Join(names, ", ")
		op.AddParameter(p)
	}
	for _, f := range spec.Filters {
		var s *openapi3.Schema
		switch f.Kind {
		case store.Int:
			s = openapi3.NewInt64Schema()
		case store.Bool:
			s = openapi3.NewBoolSchema()
		case store.Time:
			s = openapi3.NewDateTimeSchema()
		default:
			s = openapi3.NewStringSchema()
			for _, c := range f.Choices {
				s.Enum = append(s.Enum, c)
			}
		}
		if f.Op == store.In {
			s = openapi3.NewStringSchema()
			s.Description = "comma-separated values"
		}
		op.AddParameter(openapi3.NewQueryParameter(f.Param).WithSchema(s))
	}
}

// mountDocs serves the document at /api/schema/, Swagger UI at /api/docs/
// (assets embedded, no CDN) and ReDoc at /api/redoc/.
func (a *api) mountDocs(r *mux.Router) {
	r.Handle("/api/schema/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		doc, err := a.OpenAPI()
		if err != nil {
			a.writeError(w, req, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	})).Methods(http.MethodGet)
	r.PathPrefix("/api/docs/").Handler(v5emb.New("IGNY8 API", "/api/schema/", "/api/docs/")).Methods(http.MethodGet)
	r.Handle("/api/redoc/", http.HandlerFunc(serveRedoc)).Methods(http.MethodGet)
	r.PathPrefix("/api/redoc/static/").Handler(http.StripPrefix("/api/redoc/static/", http.FileServerFS(redocAssets))).Methods(http.MethodGet)
}
