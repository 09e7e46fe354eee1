package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// call is one request as a handler sees it.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	api    *api
	route  *Route
	tenant tenancy.Tenant
	who    *principal
	// body is the decoded DTO (a pointer of the route's Body type).
	body any
}

// id reads a numeric path variable; malformed ids are not found, as an id
// that cannot exist.
func (c *call) id(name string) (int64, error) {
	v := mux.Vars(c.r)[name]
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.NotFoundf("not found")
	}
	return n, nil
}

// list parses the route's list parameters.
func (c *call) list() (store.ListQuery, error) {
	spec := store.ListSpec{}
	if c.route.ListSpec != nil {
		spec = *c.route.ListSpec
	}
	return store.ParseList(c.r.URL.Query(), spec, c.api.pageLimits())
}

// queryInt reads an optional integer query parameter, naming it on error.
func (c *call) queryInt(name string) (int64, bool, error) {
	v := strings.TrimSpace(c.r.URL.Query().Get(name))
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, errs.Field(name, "must be an integer")
	}
	return n, true, nil
}

// queryIDs reads an optional comma-separated list of positive integers.
func (c *call) queryIDs(name string) ([]int64, error) {
	raw := strings.TrimSpace(c.r.URL.Query().Get(name))
	if raw == "" {
		return nil, nil
	}
	var ids []int64
	for part := range strings.SplitSeq(raw, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || n <= 0 {
			return nil, errs.Field(name, "must be a comma-separated list of ids")
		}
		ids = append(ids, n)
	}
	if len(ids) > 500 {
		return nil, errs.Field(name, "must list at most 500 ids")
	}
	return ids, nil
}

// decodeJSON reads a JSON body into dst strictly: bounded size, no unknown
// fields, one value, types checked. Errors name the offending field.
func decodeJSON(r *http.Request, w http.ResponseWriter, dst any, limit int64) error {
	// Requiring the JSON type also keeps these requests out of CORS's
	// "simple request" class, which browsers send cross-site unasked.
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &errs.Error{Code: errs.Invalid, Message: "Content-Type must be application/json",
			Fields: map[string][]string{"content_type": {"must be application/json"}}}
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return errs.Field("body", "must contain a single JSON object")
	}
	return checkStrings(reflect.ValueOf(dst), "")
}

// checkStrings refuses NUL and other control characters (tab and newlines
// aside) in every string of a decoded body: the databases cannot store NUL,
// and no field of this API has a use for control characters.
func checkStrings(v reflect.Value, field string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkStrings(v.Elem(), field)
		}
	case reflect.String:
		if strings.ContainsFunc(v.String(), func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
		}) {
			if field == "" {
				field = "body"
			}
			return errs.Field(field, "must not contain control characters")
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name := field
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" && tag != "-" {
				name = tag
			}
			if err := checkStrings(v.Field(i), name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkStrings(v.Index(i), field); err != nil {
				return err
			}
		}
	}
	return nil
}

// errTooLarge marks a body over the limit; the response is 413.
var errTooLarge = errors.New("request body too large")

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return errTooLarge
	case errors.Is(err, io.EOF):
		return errs.Field("body", "is required")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Field("body", "is not valid JSON")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return errs.Field(field, fmt.Sprintf("must be of type %s", jsonType(typeErr.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Field(name, "is not a known field")
	}
	return errs.Field("body", "is not valid JSON")
}

func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "integer"
	case strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "bool":
		return "boolean"
	case kind == "slice":
		return "array"
	case kind == "struct", kind == "map":
		return "object"
	}
	return kind
}
