package httpapi

import (
	"net/http"

	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// access says who may call a route.
type access int

const (
	// public routes need no credentials (status, plans, login, register).
	public access = iota
	// userOnly routes need a signed-in user (JWT, session or basic), not an
	// API key: account administration.
	userOnly
	// anyPrincipal routes accept a user or a site API key.
	anyPrincipal
)

// Route is one entry of the route table: the table registers the handler,
// names its throttle scope and roles, drives the OpenAPI document and the
// cross-tenant isolation test. Adding a route here is all it takes.
type Route struct {
	Method  string
	Path    string // gorilla/mux pattern under /api/v1, with trailing slash
	Summary string
	Tag     string
	Access  access
	// MinRole is the lowest role allowed (empty: any authenticated role).
	MinRole tenancy.Role
	// Scope is the throttle scope (see DefaultThrottleRates).
	Scope string
	// Body is a pointer to the request DTO type, decoded strictly.
	Body any
	// Response is the data type of a success answer (for OpenAPI).
	Response any
	// List marks paginated answers: the handler returns a listResult.
	List bool
	// ListSpec declares search, ordering and filters of a list route.
	ListSpec *store.ListSpec
	// Status is the success status (200 when zero; 204 writes no body).
	Status int
	// SkipGate exempts the route from the account gate (auth endpoints).
	SkipGate bool
	// Raw routes write their own response (CSV downloads); the handler
	// returns (nil, nil) after writing, or an error before writing anything.
	Raw bool
	// Produces is the media type of a Raw route's answer (for OpenAPI).
	Produces string
	// CSVUpload marks routes whose request body is a CSV file (text/csv, or
	// a multipart form's "file" part) instead of JSON; it only feeds the
	// OpenAPI document, the handler reads the body with csvUpload.
	CSVUpload bool
	// Module is the account-switchable module the route belongs to: while
	// the account has it disabled the route answers 403, so a module turned
	// off in the settings is not still reachable by URL.
	Module string
	// Handle does the work.
	Handle func(c *call) (any, error)
}

func (rt Route) status() int {
	if rt.Status == 0 {
		return http.StatusOK
	}
	return rt.Status
}

// listResult is what list handlers return: one page and the total count.
type listResult struct {
	Count          int
	Page, PageSize int
	Results        any
}
