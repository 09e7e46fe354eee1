package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/logging"
	"github.com/igny8/igny8-go/tenancy"
)

// sessionCookie is the browser session cookie opened at login.
const sessionCookie = "igny8_session"

// principal is who a request authenticated as.
type principal struct {
	via     string // "api_key", "jwt", "session", "basic"
	user    *tenancy.User
	account *tenancy.Account
	key     *tenancy.APIKeyPrincipal
	// sessionToken is set for session-authenticated requests, so the gate
	// can end a session whose account became unusable.
	sessionToken string
}

func (p *principal) tenant() tenancy.Tenant {
	if p.key != nil {
		return p.key.Tenant
	}
	return tenancy.UserTenant(p.user)
}

type principalKey struct{}

// authState is what authentication left in the request context: a
// principal, or the error of credentials that were presented but bad.
type authState struct {
	who *principal
	err error
	// failedVia names the authenticator whose credentials were bad.
	failedVia string
}

func stateOf(ctx context.Context) authState {
	st, _ := ctx.Value(principalKey{}).(authState)
	return st
}

// authenticate tries the authenticators in the seed's order: API key → JWT
// → session → basic. The first kind of credentials present decides; bad
// credentials are remembered (and answered 401 by routes that need a
// principal), never silently downgraded to anonymous.
func (a *api) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := a.resolve(r)
		ctx := context.WithValue(r.Context(), principalKey{}, st)
		if st.who != nil {
			t := st.who.tenant()
			attrs := []slog.Attr{slog.Int64("account_id", t.AccountID)}
			if t.UserID != 0 {
				attrs = append(attrs, slog.Int64("user_id", t.UserID))
			}
			ctx = logging.WithAttrs(ctx, attrs...)
			noteCaller(ctx, attrs...)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (a *api) resolve(r *http.Request) authState {
	ctx := r.Context()
	authz := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, cred, _ := strings.Cut(authz, " ")
	cred = strings.TrimSpace(cred)
	headerKey := strings.TrimSpace(r.Header.Get("X-IGNY8-API-KEY"))

	// 1. API key: X-IGNY8-API-KEY, "ApiKey <key>", or "Bearer <key>" when
	// the bearer value has the key's shape rather than a JWT's.
	key := headerKey
	if key == "" && (strings.EqualFold(scheme, "ApiKey") || (strings.EqualFold(scheme, "Bearer") && tenancy.LooksLikeAPIKey(cred))) {
		key = cred
	}
	if key != "" {
		p, err := a.tenancy.AuthenticateAPIKey(ctx, key)
		if err != nil {
			return authState{err: err, failedVia: "api_key"}
		}
		return authState{who: &principal{via: "api_key", key: p, account: p.Account}}
	}
	// 2. JWT access token.
	if strings.EqualFold(scheme, "Bearer") && cred != "" {
		claims, err := a.tokens.claims(cred, a.tenancy.VerifyAccessToken)
		if err != nil {
			return authState{err: err, failedVia: "jwt"}
		}
		user, account, err := a.tokenPrincipal(ctx, claims.UserID, claims.AccountID)
		if err != nil {
			return authState{err: err, failedVia: "jwt"}
		}
		return authState{who: &principal{via: "jwt", user: user, account: account}}
	}
	// 3. Session cookie (browser).
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		user, account, err := a.tenancy.SessionPrincipal(ctx, c.Value)
		if err != nil {
			return authState{err: err, failedVia: "session"}
		}
		return authState{who: &principal{via: "session", user: user, account: account, sessionToken: c.Value}}
	}
	// 4. Basic, only when enabled.
	if a.cfg.BasicAuth && strings.EqualFold(scheme, "Basic") {
		email, password, ok := r.BasicAuth()
		if !ok {
			return authState{err: errs.E(errs.Unauthenticated, "malformed basic credentials"), failedVia: "basic"}
		}
		user, account, err := a.tenancy.Authenticate(ctx, email, password)
		if err != nil {
			return authState{err: err, failedVia: "basic"}
		}
		return authState{who: &principal{via: "basic", user: user, account: account}}
	}
	if authz != "" && !strings.EqualFold(scheme, "Basic") {
		return authState{err: errs.E(errs.Unauthenticated, "unsupported Authorization scheme")}
	}
	return authState{}
}

// setSessionCookie opens the browser session cookie: HttpOnly so scripts
// cannot read it, SameSite=Lax against cross-site sends, Secure under TLS.
func (a *api) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.cfg.SecureCookies || r.TLS != nil,
	})
}

func (a *api) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.cfg.SecureCookies || r.TLS != nil,
	})
}
