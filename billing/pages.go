package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// TransactionListSpec is the ledger list: filters type, pool, operation,
// reference, created_at_after / created_at_before (inclusive); ordering by
// created_at, amount or id; newest first by default.
func TransactionListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.description", "?TableAlias.reference", "?TableAlias.operation"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "created_at": "?TableAlias.created_at", "amount": "?TableAlias.amount",
		},
		DefaultOrdering: []string{"-created_at", "-id"},
		Filters: []store.Filter{
			{Param: "type", Column: "?TableAlias.type", Choices: []string{
				string(TypeCharge), string(TypeRefund), string(TypeGrant),
				string(TypePurchase), string(TypeAdjustment), string(TypePlanRenewal),
			}},
			{Param: "pool", Column: "?TableAlias.pool", Choices: []string{string(PoolPlan), string(PoolBonus)}},
			{Param: "operation", Column: "?TableAlias.operation"},
			{Param: "reference", Column: "?TableAlias.reference"},
			{Param: "created_at_after", Column: "?TableAlias.created_at", Op: store.Gte, Kind: store.Time},
			{Param: "created_at_before", Column: "?TableAlias.created_at", Op: store.Lte, Kind: store.Time},
		},
	}
}

// Transactions is one page of t's ledger.
func (s *Service) Transactions(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Transaction], error) {
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model((*Transaction)(nil)), t)
	if err != nil {
		return store.Page[Transaction]{}, err
	}
	p, err := store.ListPage[Transaction](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("billing: list transactions: %w", err)
	}
	return p, nil
}

// UsageListSpec is the usage-log list: filters operation, model,
// related_type, related_id, job_id, created_at_after / created_at_before;
// ordering by created_at, credits, cost_cents or id; newest first by
// default.
func UsageListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.operation", "?TableAlias.model"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "created_at": "?TableAlias.created_at",
			"credits": "?TableAlias.credits", "cost_cents": "?TableAlias.cost_cents",
		},
		DefaultOrdering: []string{"-created_at", "-id"},
		Filters: []store.Filter{
			{Param: "operation", Column: "?TableAlias.operation"},
			{Param: "model", Column: "?TableAlias.model"},
			{Param: "related_type", Column: "?TableAlias.related_type"},
			{Param: "related_id", Column: "?TableAlias.related_id", Kind: store.Int},
			{Param: "job_id", Column: "?TableAlias.job_id"},
			{Param: "created_at_after", Column: "?TableAlias.created_at", Op: store.Gte, Kind: store.Time},
			{Param: "created_at_before", Column: "?TableAlias.created_at", Op: store.Lte, Kind: store.Time},
		},
	}
}

// UsagePage is one page of t's usage log.
func (s *Service) UsagePage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[UsageLog], error) {
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model((*UsageLog)(nil)), t)
	if err != nil {
		return store.Page[UsageLog]{}, err
	}
	p, err := store.ListPage[UsageLog](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("billing: list usage: %w", err)
	}
	return p, nil
}

// UsageSummaryRow is the usage of one operation over a period.
type UsageSummaryRow struct {
	Operation        string `bun:"operation" json:"operation"`
	Count            int64  `bun:"count" json:"count"`
	Credits          int64  `bun:"credits" json:"credits"`
	PromptTokens     int64  `bun:"prompt_tokens" json:"prompt_tokens"`
	CompletionTokens int64  `bun:"completion_tokens" json:"completion_tokens"`
	TotalTokens      int64  `bun:"total_tokens" json:"total_tokens"`
	CostCents        int64  `bun:"cost_cents" json:"cost_cents"`
}

// UsageSummary totals t's usage log per operation for from ≤ created_at <
// to, by operation name. A zero from or to leaves that side open.
func (s *Service) UsageSummary(ctx context.Context, t tenancy.Tenant, from, to time.Time) ([]UsageSummaryRow, error) {
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return nil, errs.Field("to", "must be after from")
	}
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model((*UsageLog)(nil)), t)
	if err != nil {
		return nil, err
	}
	q = q.ColumnExpr("?TableAlias.operation AS operation").
		ColumnExpr("count(*) AS count").
		ColumnExpr("CAST(coalesce(sum(?TableAlias.credits), 0) AS bigint) AS credits").
		ColumnExpr("CAST(coalesce(sum(?TableAlias.prompt_tokens), 0) AS bigint) AS prompt_tokens").
		ColumnExpr("CAST(coalesce(sum(?TableAlias.completion_tokens), 0) AS bigint) AS completion_tokens").
		ColumnExpr("CAST(coalesce(sum(?TableAlias.prompt_tokens + ?TableAlias.completion_tokens), 0) AS bigint) AS total_tokens").
		ColumnExpr("CAST(coalesce(sum(?TableAlias.cost_cents), 0) AS bigint) AS cost_cents").
		GroupExpr("?TableAlias.operation").
		OrderExpr("?TableAlias.operation")
	if !from.IsZero() {
		q = q.Where("?TableAlias.created_at >= ?", from.UTC())
	}
	if !to.IsZero() {
		q = q.Where("?TableAlias.created_at < ?", to.UTC())
	}
	rows := []UsageSummaryRow{}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("billing: usage summary: %w", err)
	}
	return rows, nil
}
