package httpapi

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/tracking"
)

// serve wraps one route: it enforces who may call it (principal kind,
// CSRF for cookie-authenticated unsafe requests, the account gate, the
// role), throttles by the route's scope, decodes the body, calls the handler
// and writes the envelope.
func (a *api) serve(rt *Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r.Context())
		c := &call{w: w, r: r, api: a, route: rt}
		if st.err != nil && rt.Access != public {
			// Failed credentials count against the strict auth scope of the
			// client's address, so guessing (Basic passwords, keys) is
			// throttled like login.
			failed := *rt
			failed.Scope = "auth"
			if !a.throttle(w, r, &failed, nil) {
				return
			}
		}
		if err := a.admit(c, st, a.csrf); err != nil {
			a.writeError(w, r, err)
			return
		}
		if !a.throttle(w, r, rt, c.who) {
			return
		}
		if tr := a.startTracking(c); tr != nil {
			rec := &recorder{ResponseWriter: w}
			c.w, w = rec, rec
			r = r.WithContext(tracking.WithTracker(r.Context(), tr))
			c.r = r
			defer a.finishTracking(c, tr, rec)
		}
		if rt.Body != nil {
			dst := reflect.New(reflect.TypeOf(rt.Body).Elem()).Interface()
			if err := decodeJSON(r, w, dst, a.cfg.MaxBodyBytes); err != nil {
				a.writeError(w, r, err)
				return
			}
			c.body = dst
		}
		data, err := rt.Handle(c)
		if unsafeMethod(r.Method) && err == nil {
			a.forgetAccount(c.tenant.AccountID)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		switch {
		case rt.Raw:
		case rt.status() == http.StatusNoContent:
			w.WriteHeader(http.StatusNoContent)
		case rt.List:
			res, ok := data.(listResult)
			if !ok {
				a.writeError(w, r, errs.E(errs.Internal, "list route returned %T", data))
				return
			}
			a.writeList(w, r, res.Page, res.PageSize, res)
		default:
			msg := ""
			if m, ok := data.(messaged); ok {
				data, msg = m.data, m.message
			}
			writeData(w, r, rt.status(), data, msg)
		}
	})
}

// messaged lets a handler add the envelope's message.
type messaged struct {
	data    any
	message string
}

// admit decides whether the caller may use the route at all.
func (a *api) admit(c *call, st authState, csrf *http.CrossOriginProtection) error {
	rt := c.route
	if st.err != nil && rt.Access != public {
		if st.failedVia == "session" {
			a.clearSessionCookie(c.w, c.r)
		}
		return st.err
	}
	who := st.who
	if who == nil {
		if rt.Access == public {
			return nil
		}
		return errs.E(errs.Unauthenticated, "authentication credentials were not provided")
	}
	if rt.Access == userOnly && who.key != nil {
		return errs.E(errs.Forbidden, "this endpoint needs a signed-in user, not an API key")
	}
	// Browsers attach cookies and cached Basic credentials by themselves, so
	// both need the cross-origin check; tokens and keys are sent on purpose.
	if (who.via == "session" || who.via == "basic") && unsafeMethod(c.r.Method) {
		if err := csrf.Check(c.r); err != nil {
			return errs.E(errs.Forbidden, "CSRF check failed: cross-origin request with browser credentials")
		}
	}
	if !rt.SkipGate {
		if err := who.account.Usable(); err != nil {
			if who.via == "session" {
				// The original logged session users out here.
				if derr := a.tenancy.DeleteSession(c.r.Context(), who.sessionToken); derr != nil {
					a.log.ErrorContext(c.r.Context(), "end session", slog.Any("error", derr))
				}
				a.clearSessionCookie(c.w, c.r)
			}
			return err
		}
	}
	c.who = who
	c.tenant = who.tenant()
	if rt.MinRole != "" && !c.tenant.Role.AtLeast(rt.MinRole) {
		return errs.E(errs.Forbidden, "your role (%s) may not do this; it needs %s or above", c.tenant.Role, rt.MinRole)
	}
	if rt.Module != "" {
		return a.moduleGate(c)
	}
	return nil
}

// moduleGate refuses routes of a module the account switched off. The
// original only hid disabled modules in the SPA, so their endpoints stayed
// reachable by URL; here the switch is enforced on every call.
func (a *api) moduleGate(c *call) error {
	if a.system == nil {
		// Without the system service nobody can read the switch; failing
		// closed keeps a wiring mistake from opening a disabled module.
		return errs.E(errs.Internal, "module %s: no system service to read the module switch", c.route.Module)
	}
	on, err := a.moduleEnabled(c.r.Context(), c.tenant, c.route.Module)
	if err != nil {
		return fmt.Errorf("httpapi: module gate %s: %w", c.route.Module, err)
	}
	if !on {
		return errs.E(errs.Forbidden, "module disabled: %s is turned off for this account (an admin can enable it at /api/v1/system/modules/)", c.route.Module)
	}
	return nil
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// throttle applies the route's scope, keyed by user, API key or client IP,
// and writes the X-Throttle-* headers; false means a 429 was written.
func (a *api) throttle(w http.ResponseWriter, r *http.Request, rt *Route, who *principal) bool {
	rate := a.rates[rt.Scope]
	var key string
	switch {
	case who != nil && who.key != nil:
		key = "key:" + strconv.FormatInt(who.key.Key.ID, 10)
	case who != nil:
		key = "user:" + strconv.FormatInt(who.user.ID, 10)
	default:
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		key = "ip:" + host
	}
	res, err := a.limiter.Allow(r.Context(), rt.Scope+":"+key, rate)
	if err != nil {
		// The limiter already fell back to memory; reaching here means both
		// failed, and refusing every request would take the API down.
		a.log.ErrorContext(r.Context(), "throttle unavailable", slog.Any("error", err))
		return true
	}
	h := w.Header()
	h.Set("X-Throttle-Limit", strconv.Itoa(res.Limit))
	h.Set("X-Throttle-Remaining", strconv.Itoa(res.Remaining))
	h.Set("X-Throttle-Reset", strconv.Itoa(int(res.ResetAfter.Seconds()+0.999)))
	if res.Allowed {
		return true
	}
	retry := int(res.RetryAfter.Seconds() + 0.999)
	if retry < 1 {
		retry = 1
	}
	h.Set("Retry-After", strconv.Itoa(retry))
	a.writeError(w, r, errs.E(errs.RateLimited, "request was throttled; expected available in %d second(s)", retry))
	return false
}
