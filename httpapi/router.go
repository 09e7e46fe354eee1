package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/mux"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/mail"
	"github.com/igny8/igny8-go/internal/ratelimit"
	"github.com/igny8/igny8-go/internal/tracking"
	"github.com/igny8/igny8-go/internal/ttlcache"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

// Status is what the status endpoint reports about the running App.
type Status struct {
	Version     string
	Database    string
	DatabaseErr error
	// Redis is "" when not configured, else "ok" or the error text.
	RedisErr        error
	RedisConfigured bool
	Uptime          time.Duration
}

// Config tunes the HTTP layer; zero values pick the defaults noted.
type Config struct {
	// PageSize and MaxPageSize bound list pages (25 and 100).
	PageSize, MaxPageSize int
	// MaxBodyBytes bounds JSON request bodies (1 MiB); larger ones get 413.
	MaxBodyBytes int64
	// CORSOrigins may call the API from a browser with credentials.
	CORSOrigins []string
	// TrustedOrigins pass the CSRF check of cookie-authenticated unsafe
	// requests in addition to same-origin ones.
	TrustedOrigins []string
	// SecureCookies marks the session cookie Secure (always when TLS).
	SecureCookies bool
	// BasicAuth accepts HTTP Basic credentials (off by default: every such
	// request costs a password hash).
	BasicAuth bool
	// RawErrors turns the unified error envelope off, as the original's
	// IGNY8_USE_UNIFIED_EXCEPTION_HANDLER=false: errors answer DRF's
	// {"detail": …} or {"field": […]} bodies.
	RawErrors bool
	// ThrottleRates overrides DefaultThrottleRates per scope ("30/min").
	ThrottleRates map[string]string
	// PublicURL is the base of links sent by email (password reset); never
	// taken from the request's Host header.
	PublicURL string
	// StaticDir serves a built SPA for non-API paths when set.
	StaticDir string
	// AuthCacheTTL is how long a verified token's user and account, and an
	// account's module switches, are reused before being read again
	// (2 s when zero; negative turns the cache off). A change made through
	// this server applies at once (its account's entries are dropped after
	// every successful write); one made elsewhere within the TTL.
	AuthCacheTTL time.Duration
}

// Deps are what the API serves. The root package fills them.
type Deps struct {
	Logger  *slog.Logger
	Tenancy *tenancy.Service
	Status  func(ctx context.Context) Status
	// Limiter backs the throttle scopes (in-memory when nil).
	Limiter ratelimit.Limiter
	// Mailer sends password-reset mail.
	Mailer mail.Sender
	// System holds prompts, AI settings and module switches.
	System *system.Service
	// Billing is the credits ledger.
	Billing *billing.Service
	// Tasks reads the progress of background tasks.
	Tasks *jobs.Tasks
	// Planner holds keywords, clusters and content ideas.
	Planner *planner.Service
	// Tracking keeps resource-tracking metrics (in memory when nil).
	Tracking tracking.Store
	Config   Config
}

// api is the built HTTP layer.
type api struct {
	log     *slog.Logger
	tenancy *tenancy.Service
	status  func(ctx context.Context) Status
	limiter ratelimit.Limiter
	mailer  mail.Sender
	metrics tracking.Store
	tasks   *jobs.Tasks
	billing *billing.Service
	system  *system.Service
	planner *planner.Service
	csrf    *http.CrossOriginProtection
	cfg     Config
	rates   map[string]ratelimit.Rate
	routes  []Route
	// principals, moduleSwitches and tokens cache the per-request work of
	// authentication and the account gate (nil when AuthCacheTTL is
	// negative).
	principals     *ttlcache.Cache[principalKeyID, principalSnapshot]
	moduleSwitches *ttlcache.Cache[moduleKey, bool]
	tokens         *verifiedTokens
}

// New builds the /api/v1 handler with its middleware chain and tells how
// many routes it serves.
func New(d Deps) (http.Handler, int, error) {
	a, err := newAPI(d)
	if err != nil {
		return nil, 0, err
	}
	return a.handler(), len(a.routes), nil
}

func newAPI(d Deps) (*api, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	cfg := d.Config
	if cfg.PageSize <= 0 {
		cfg.PageSize = 25
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = 100
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	rates, err := throttleRates(cfg.ThrottleRates)
	if err != nil {
		return nil, err
	}
	limiter := d.Limiter
	if limiter == nil {
		limiter = ratelimit.NewMemory(nil)
	}
	mailer := d.Mailer
	if mailer == nil {
		mailer = mail.LogSender{Log: d.Logger}
	}
	metrics := d.Tracking
	if metrics == nil {
		metrics = tracking.NewMemoryStore(tracking.DefaultTTL, nil)
	}
	csrf := http.NewCrossOriginProtection()
	for _, origin := range cfg.TrustedOrigins {
		if err := csrf.AddTrustedOrigin(origin); err != nil {
			return nil, fmt.Errorf("httpapi: trusted origin %q: %w (want scheme://host[:port], no path)", origin, err)
		}
	}
	if cfg.AuthCacheTTL == 0 {
		cfg.AuthCacheTTL = 2 * time.Second
	}
	a := &api{log: d.Logger, tenancy: d.Tenancy, status: d.Status, limiter: limiter, mailer: mailer, metrics: metrics, tasks: d.Tasks, billing: d.Billing, system: d.System, planner: d.Planner, csrf: csrf, cfg: cfg, rates: rates}
	if cfg.AuthCacheTTL > 0 {
		a.principals = ttlcache.New[principalKeyID, principalSnapshot](cfg.AuthCacheTTL, authCacheSize, nil)
		a.moduleSwitches = ttlcache.New[moduleKey, bool](cfg.AuthCacheTTL, authCacheSize, nil)
		var clock func() time.Time
		if d.Tenancy != nil {
			// Age cached tokens by the clock that verifies them.
			clock = d.Tenancy.Now
		}
		a.tokens = newVerifiedTokens(cfg.AuthCacheTTL, clock)
	}
	a.routes = a.table()
	for _, rt := range a.routes {
		if _, ok := a.rates[rt.Scope]; !ok {
			return nil, fmt.Errorf("httpapi: route %s %s has unknown throttle scope %q", rt.Method, rt.Path, rt.Scope)
		}
		// A misspelt module would make the gate answer 500 on every call.
		if rt.Module != "" && !slices.Contains(system.ModuleNames(), rt.Module) {
			return nil, fmt.Errorf("httpapi: route %s %s has unknown module %q", rt.Method, rt.Path, rt.Module)
		}
	}
	return a, nil
}

func (a *api) pageLimits() store.PageLimits {
	return store.PageLimits{DefaultSize: a.cfg.PageSize, MaxSize: a.cfg.MaxPageSize}
}

// handler assembles the chain. Outermost first: panic recovery and the
// request id come before everything so that every answer, including CORS
// and authentication failures, carries X-Request-ID; then security headers,
// the access log, the SPA files, CORS, authentication; the account gate,
// resource tracking and throttling run per route (they need the route).
func (a *api) handler() http.Handler {
	r := mux.NewRouter()
	for i := range a.routes {
		rt := &a.routes[i]
		r.Handle("/api/v1"+rt.Path, a.serve(rt)).Methods(rt.Method)
	}
	a.mountDocs(r)
	notFound := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		a.writeError(w, req, errs.NotFoundf("no such endpoint: %s", req.URL.Path))
	})
	notAllowed := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		a.writeErrorStatus(w, req, http.StatusMethodNotAllowed, errs.E(errs.Invalid, "method %s not allowed", req.Method))
	})
	r.NotFoundHandler = notFound
	r.MethodNotAllowedHandler = notAllowed

	var h http.Handler = r
	h = a.authenticate(h)
	h = a.cors(h)
	h = a.static(h)
	h = a.accessLog(h)
	h = securityHeaders(h)
	h = withRecover(a, h)
	h = withRequestID(h)
	return h
}
