package httpapi

import (
	"strings"
	"time"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

func (a *api) creditBalance(c *call) (any, error) {
	return a.billing.Balance(c.r.Context(), c.tenant)
}

func (a *api) creditTransactions(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.billing.Transactions(c.r.Context(), c.tenant, lq))
}

func (a *api) creditUsage(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.billing.UsagePage(c.r.Context(), c.tenant, lq))
}

// queryTime reads an optional RFC 3339 or YYYY-MM-DD query parameter.
func (c *call) queryTime(name string) (time.Time, error) {
	v := strings.TrimSpace(c.r.URL.Query().Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.Field(name, "must be a date (YYYY-MM-DD) or an RFC 3339 time")
}

func (a *api) creditUsageSummary(c *call) (any, error) {
	from, err := c.queryTime("from")
	if err != nil {
		return nil, err
	}
	to, err := c.queryTime("to")
	if err != nil {
		return nil, err
	}
	return a.billing.UsageSummary(c.r.Context(), c.tenant, from, to)
}

func (a *api) creditCosts(c *call) (any, error) {
	return a.billing.CreditCosts(c.r.Context())
}

type adjustCreditsRequest struct {
	AccountID      int64        `json:"account_id"`
	Amount         int64        `json:"amount"`
	Pool           billing.Pool `json:"pool"`
	Reason         string       `json:"reason"`
	IdempotencyKey string       `json:"idempotency_key"`
}

// adjustCredits lets platform operators correct any account's balance; the
// change is ledgered with the operator and the reason. It is an explicit
// cross-account operation, never reachable by a tenant's own admins.
func (a *api) adjustCredits(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	in := c.body.(*adjustCreditsRequest)
	var v errs.Validation
	v.Check(in.AccountID > 0, "account_id", "is required")
	v.Check(strings.TrimSpace(in.Reason) != "", "reason", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	target := tenancy.Tenant{AccountID: in.AccountID, Role: tenancy.RoleSystemBot}
	operator := c.who.user.ID
	return a.billing.Grant(c.r.Context(), target, billing.GrantRequest{
		Amount: in.Amount, Pool: in.Pool, Type: billing.TypeAdjustment, Reason: in.Reason,
		IdempotencyKey: in.IdempotencyKey, CreatedByID: &operator,
	})
}
