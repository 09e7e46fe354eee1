package billing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

// Usage is what one operation used (or, for an estimate, is expected to
// use). Which fields count depends on the operation's unit: Units for
// item/word/image, the tokens for token; a call costs the same whatever it
// used. Model is recorded in the usage log; prices do not depend on it yet.
type Usage struct {
	Units            int64  `json:"units"`
	PromptTokens     int64  `json:"prompt_tokens"`
	CompletionTokens int64  `json:"completion_tokens"`
	Model            string `json:"model"`
}

// validate checks the counts are usable; fields are named as in JSON.
func (u Usage) validate(v *errs.Validation) {
	v.Check(u.Units >= 0, "units", "must not be negative")
	v.Check(u.PromptTokens >= 0, "prompt_tokens", "must not be negative")
	v.Check(u.CompletionTokens >= 0, "completion_tokens", "must not be negative")
	checkText(v, "model", u.Model, maxShortLen)
}

// Credits prices u with this cost row: per call, per unit (rounded up) or
// per tokens_per_credit tokens (rounded up), and never below MinCredits.
func (c *CreditCost) Credits(u Usage) (int64, error) {
	var v errs.Validation
	u.validate(&v)
	if err := v.Err(); err != nil {
		return 0, err
	}
	var credits int64
	switch c.Unit {
	case UnitCall:
		credits = ceilDiv(c.CreditsPerUnitMilli, 1000)
	case UnitItem, UnitWord, UnitImage:
		if c.CreditsPerUnitMilli > 0 && u.Units > math.MaxInt64/c.CreditsPerUnitMilli {
			return 0, errs.Field("units", "is too large")
		}
		credits = ceilDiv(u.Units*c.CreditsPerUnitMilli, 1000)
	case UnitToken:
		if c.TokensPerCredit <= 0 {
			return 0, fmt.Errorf("billing: cost of %q: unit token needs tokens_per_credit > 0", c.Operation)
		}
		if u.PromptTokens > math.MaxInt64-u.CompletionTokens {
			return 0, errs.Field("prompt_tokens", "is too large")
		}
		credits = ceilDiv(u.PromptTokens+u.CompletionTokens, c.TokensPerCredit)
	default:
		return 0, fmt.Errorf("billing: cost of %q: unknown unit %q", c.Operation, c.Unit)
	}
	return max(credits, c.MinCredits), nil
}

// ceilDiv is ⌈a/b⌉ for a ≥ 0, b > 0, without overflow.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
}

// Cost is the number of credits an operation that used u costs (the
// amount Charge takes). An unknown or inactive operation is errs.Invalid
// naming "operation".
func (s *Service) Cost(ctx context.Context, operation string, u Usage) (int64, error) {
	c, err := costOf(ctx, s.db, operation)
	if err != nil {
		return 0, err
	}
	return c.Credits(u)
}

// Estimate is the credits an operation is expected to cost, from the usage
// the caller expects (units, or token estimates; with no tokens a token
// operation costs its minimum). It applies the same engine as Cost; the
// name marks the figure as a pre-flight estimate (PreCheck), not the amount
// charged afterwards from real usage.
func (s *Service) Estimate(ctx context.Context, operation string, expected Usage) (int64, error) {
	return s.Cost(ctx, operation, expected)
}

// PreCheck reports errs.InsufficientCredits (with the required and
// available amounts in Fields) when t's total balance is lower than the
// estimate of operation: what views and the AI engine check before they
// start work (§5.3). It reserves nothing; Charge checks again atomically.
func (s *Service) PreCheck(ctx context.Context, t tenancy.Tenant, operation string, expected Usage) error {
	if err := t.Err(); err != nil {
		return err
	}
	need, err := s.Estimate(ctx, operation, expected)
	if err != nil {
		return err
	}
	b, err := s.Balance(ctx, t)
	if err != nil {
		return err
	}
	if b.Total < need {
		return insufficient(need, b.Total)
	}
	return nil
}

// CreditCosts lists the active cost rows, by operation.
func (s *Service) CreditCosts(ctx context.Context) ([]CreditCost, error) {
	costs := []CreditCost{}
	err := s.db.NewSelect().Model(&costs).
		Where("?TableAlias.is_active = ?", true).
		OrderExpr("?TableAlias.operation").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("billing: list credit costs: %w", err)
	}
	return costs, nil
}

// costOf loads the active cost row of operation.
func costOf(ctx context.Context, idb bun.IDB, operation string) (*CreditCost, error) {
	var v errs.Validation
	if strings.TrimSpace(operation) == "" {
		v.Add("operation", "is required")
	} else {
		checkText(&v, "operation", operation, maxShortLen)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c CreditCost
	err := idb.NewSelect().Model(&c).
		Where("?TableAlias.operation = ?", operation).
		Where("?TableAlias.is_active = ?", true).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Field("operation", fmt.Sprintf("unknown or inactive operation %q", operation))
	}
	if err != nil {
		return nil, fmt.Errorf("billing: load cost of %q: %w", operation, err)
	}
	return &c, nil
}
