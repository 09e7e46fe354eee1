package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/mail"
	"github.com/igny8/igny8-go/tenancy"
)

type registerRequest struct {
	AccountName string `json:"account_name"`
	Email       string `json:"email"`
	Password    string `json:"password"`
	Username    string `json:"username,omitempty"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	PlanSlug    string `json:"plan_slug,omitempty"`
	Timezone    string `json:"timezone,omitempty"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// authResponse is login's and register's answer: the user, the account and
// the token pair flat beside them, as the original's SPA stores them.
type authResponse struct {
	User    *tenancy.User    `json:"user"`
	Account *tenancy.Account `json:"account"`
	tenancy.TokenPair
}

type refreshRequest struct {
	Refresh string `json:"refresh"`
}

type logoutRequest struct {
	Refresh string `json:"refresh,omitempty"`
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

type passwordResetRequest struct {
	Email string `json:"email"`
}

type passwordResetConfirmRequest struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

type meResponse struct {
	User    *tenancy.User    `json:"user,omitempty"`
	Account *tenancy.Account `json:"account"`
	Site    *tenancy.Site    `json:"site,omitempty"`
	Via     string           `json:"authenticated_by"`
}

func (a *api) register(c *call) (any, error) {
	in := c.body.(*registerRequest)
	if in.PlanSlug != "" {
		// Sign-up is free; paid plans are bought through billing.
		if err := a.requireFreePlan(c, in.PlanSlug); err != nil {
			return nil, err
		}
	}
	account, owner, err := a.tenancy.CreateAccount(c.r.Context(), tenancy.NewAccount{
		AccountName: in.AccountName, Email: in.Email, Password: in.Password, Username: in.Username,
		FirstName: in.FirstName, LastName: in.LastName, PlanSlug: in.PlanSlug, Timezone: in.Timezone,
	})
	if err != nil {
		return nil, err
	}
	return a.signIn(c, owner, account)
}

func (a *api) login(c *call) (any, error) {
	in := c.body.(*loginRequest)
	var v errs.Validation
	v.Check(strings.TrimSpace(in.Email) != "", "email", "is required")
	v.Check(in.Password != "", "password", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	user, account, err := a.tenancy.Authenticate(c.r.Context(), in.Email, in.Password)
	if err != nil {
		return nil, err
	}
	if err := account.Usable(); err != nil {
		return nil, err
	}
	return a.signIn(c, user, account)
}

func (a *api) requireFreePlan(c *call, slug string) error {
	plans, err := a.tenancy.ListPlans(c.r.Context())
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.Slug == slug {
			if p.PriceCents > 0 {
				return errs.Field("plan_slug", "paid plans are chosen after sign-up, through billing")
			}
			return nil
		}
	}
	return errs.Field("plan_slug", fmt.Sprintf("no plan %q", slug))
}

// signIn issues the token pair and opens the browser session.
func (a *api) signIn(c *call, user *tenancy.User, account *tenancy.Account) (any, error) {
	ctx := c.r.Context()
	pair, err := a.tenancy.IssueTokens(ctx, user)
	if err != nil {
		return nil, err
	}
	token, expires, err := a.tenancy.CreateSession(ctx, user)
	if err != nil {
		return nil, err
	}
	a.setSessionCookie(c.w, c.r, token, expires)
	return authResponse{User: user, Account: account, TokenPair: *pair}, nil
}

func (a *api) refresh(c *call) (any, error) {
	in := c.body.(*refreshRequest)
	if in.Refresh == "" {
		return nil, errs.Field("refresh", "is required")
	}
	pair, _, err := a.tenancy.RefreshTokens(c.r.Context(), in.Refresh)
	if err != nil {
		return nil, err
	}
	return pair, nil
}

func (a *api) logout(c *call) (any, error) {
	in := c.body.(*logoutRequest)
	ctx := c.r.Context()
	if in.Refresh != "" {
		if err := a.tenancy.RevokeRefreshToken(ctx, in.Refresh); err != nil && !errs.Is(err, errs.Unauthenticated) {
			return nil, err
		}
	}
	if ck, err := c.r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := a.tenancy.DeleteSession(ctx, ck.Value); err != nil {
			return nil, err
		}
	}
	a.clearSessionCookie(c.w, c.r)
	return messaged{data: nil, message: "logged out"}, nil
}

func (a *api) me(c *call) (any, error) {
	out := meResponse{User: c.who.user, Account: c.who.account, Via: c.who.via}
	if c.who.key != nil {
		out.Site = c.who.key.Site
	}
	return out, nil
}

func (a *api) passwordChange(c *call) (any, error) {
	in := c.body.(*passwordChangeRequest)
	if err := a.tenancy.ChangePassword(c.r.Context(), c.tenant, in.CurrentPassword, in.NewPassword); err != nil {
		return nil, err
	}
	// Changing the password ended every session, this one included; open a
	// new one so the browser stays signed in (the launch checklist's rule).
	if c.who.via == "session" {
		token, expires, err := a.tenancy.CreateSession(c.r.Context(), c.who.user)
		if err != nil {
			return nil, err
		}
		a.setSessionCookie(c.w, c.r, token, expires)
	}
	return messaged{message: "password changed; every sign-in was ended (this browser session was renewed; token clients must sign in again)"}, nil
}

// resetRequestedMessage is the one answer to a reset request, whether the
// email exists or not, so it cannot be used to probe for accounts.
const resetRequestedMessage = "if an account with this email exists, a reset link has been sent"

func (a *api) passwordReset(c *call) (any, error) {
	in := c.body.(*passwordResetRequest)
	if strings.TrimSpace(in.Email) == "" {
		return nil, errs.Field("email", "is required")
	}
	ctx := c.r.Context()
	reset, err := a.tenancy.RequestPasswordReset(ctx, in.Email)
	switch {
	case errs.Is(err, errs.NotFound), errs.Is(err, errs.RateLimited):
		// Same answer as success; a flood is capped silently.
	case err != nil:
		return nil, err
	default:
		// Sent in the background: a mail server's latency must not tell
		// the caller that the email exists.
		mailCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		go func() {
			defer cancel()
			if err := a.sendReset(mailCtx, reset); err != nil {
				a.log.ErrorContext(mailCtx, "send password reset", slog.Any("error", err))
			}
		}()
	}
	return messaged{message: resetRequestedMessage}, nil
}

func (a *api) sendReset(ctx context.Context, reset *tenancy.PasswordReset) error {
	link, err := url.Parse(strings.TrimRight(a.cfg.PublicURL, "/") + "/reset-password")
	if err != nil {
		return fmt.Errorf("reset link: %w", err)
	}
	link.RawQuery = url.Values{"token": {reset.Token}}.Encode()
	return a.mailer.Send(ctx, mail.Message{
		To:      reset.User.Email,
		Subject: "Reset your IGNY8 password",
		Body: fmt.Sprintf("Someone asked to reset the password of your IGNY8 account.\n\n"+
			"Open this link within %d minutes to choose a new password:\n%s\n\n"+
			"If it was not you, ignore this email; your password stays as it is.",
			int(time.Until(reset.ExpiresAt).Round(time.Minute).Minutes()), link),
	})
}

func (a *api) passwordResetConfirm(c *call) (any, error) {
	in := c.body.(*passwordResetConfirmRequest)
	if err := a.tenancy.ConfirmPasswordReset(c.r.Context(), in.Token, in.NewPassword); err != nil {
		return nil, err
	}
	return messaged{message: "password has been reset; sign in with the new password"}, nil
}
