package billing

import (
	"time"

	"github.com/uptrace/bun"
)

// TransactionType is why a ledger row changed a balance.
type TransactionType string

const (
	// TypeCharge is spending by an operation (amount < 0), written by Charge.
	TypeCharge TransactionType = "charge"
	// TypeRefund gives back credits of an earlier charge (amount > 0).
	TypeRefund TransactionType = "refund"
	// TypeGrant is a free gift of credits (amount > 0).
	TypeGrant TransactionType = "grant"
	// TypePurchase is a bought credit package; it always lands in the bonus
	// pool (domain reference §5.3).
	TypePurchase TransactionType = "purchase"
	// TypeAdjustment is an operator's correction, either sign; it never takes
	// a pool below zero.
	TypeAdjustment TransactionType = "adjustment"
	// TypePlanRenewal resets the plan pool to the plan's allowance (set, not
	// add; §5.3); its amount is the difference and may be 0 or negative.
	TypePlanRenewal TransactionType = "plan_renewal"
)

// Valid reports whether t is one of the ledger's types.
func (t TransactionType) Valid() bool {
	switch t {
	case TypeCharge, TypeRefund, TypeGrant, TypePurchase, TypeAdjustment, TypePlanRenewal:
		return true
	}
	return false
}

// Pool is one of an account's two credit balances.
type Pool string

const (
	// PoolPlan is the plan's monthly allowance (igny8_accounts.credits),
	// spent first and reset at renewal.
	PoolPlan Pool = "plan"
	// PoolBonus holds purchased and granted credits
	// (igny8_accounts.bonus_credits); spent when the plan pool is empty,
	// never expires.
	PoolBonus Pool = "bonus"
)

// Valid reports whether p is a pool.
func (p Pool) Valid() bool { return p == PoolPlan || p == PoolBonus }

// column is the igny8_accounts column holding the pool's balance.
func (p Pool) column() string {
	if p == PoolBonus {
		return "bonus_credits"
	}
	return "credits"
}

// Unit is what an operation's price is counted in.
type Unit string

const (
	UnitCall  Unit = "call"  // a fixed price per call
	UnitItem  Unit = "item"  // per item (keyword, idea, article …)
	UnitWord  Unit = "word"  // per word of output
	UnitImage Unit = "image" // per generated image
	UnitToken Unit = "token" // per tokens_per_credit tokens (prompt + completion)
)

// Balance is an account's credits.
type Balance struct {
	PlanCredits  int64 `json:"plan_credits"`
	BonusCredits int64 `json:"bonus_credits"`
	Total        int64 `json:"total"`
}

func newBalance(plan, bonus int64) Balance {
	return Balance{PlanCredits: plan, BonusCredits: bonus, Total: plan + bonus}
}

// of returns the balance of one pool.
func (b Balance) of(p Pool) int64 {
	if p == PoolBonus {
		return b.BonusCredits
	}
	return b.PlanCredits
}

// Transaction is one row of the append-only credits ledger. It does not
// embed tenancy.AccountScoped: ledger rows are never updated, so they have
// no updated_at.
type Transaction struct {
	bun.BaseModel `bun:"table:igny8_credit_transactions,alias:credit_transaction"`

	ID        int64           `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64           `bun:"account_id,notnull" json:"account_id"`
	Type      TransactionType `bun:"type,notnull" json:"type"`
	Pool      Pool            `bun:"pool,notnull" json:"pool"`
	// Amount is signed: negative spends.
	Amount int64 `bun:"amount,notnull" json:"amount"`
	// BalanceAfter is the balance of Pool right after this row.
	BalanceAfter   int64     `bun:"balance_after,notnull" json:"balance_after"`
	Operation      string    `bun:"operation,notnull" json:"operation"`
	Reference      string    `bun:"reference,notnull" json:"reference"`
	IdempotencyKey string    `bun:"idempotency_key,notnull" json:"idempotency_key"`
	Description    string    `bun:"description,notnull" json:"description"`
	CreatedByID    *int64    `bun:"created_by_id" json:"created_by_id"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
}

// UsageLog is one charged operation: what it used, what the provider cost
// and how many credits it took. Append-only, unique per idempotency key.
type UsageLog struct {
	bun.BaseModel `bun:"table:igny8_credit_usage_logs,alias:credit_usage"`

	ID               int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID        int64     `bun:"account_id,notnull" json:"account_id"`
	Operation        string    `bun:"operation,notnull" json:"operation"`
	Model            string    `bun:"model,notnull" json:"model"`
	Units            int64     `bun:"units,notnull" json:"units"`
	PromptTokens     int64     `bun:"prompt_tokens,notnull" json:"prompt_tokens"`
	CompletionTokens int64     `bun:"completion_tokens,notnull" json:"completion_tokens"`
	CostCents        int64     `bun:"cost_cents,notnull" json:"cost_cents"`
	Credits          int64     `bun:"credits,notnull" json:"credits"`
	DurationMS       int64     `bun:"duration_ms,notnull" json:"duration_ms"`
	RelatedType      string    `bun:"related_type,notnull" json:"related_type"`
	RelatedID        *int64    `bun:"related_id" json:"related_id"`
	JobID            string    `bun:"job_id,notnull" json:"job_id"`
	IdempotencyKey   string    `bun:"idempotency_key,notnull" json:"idempotency_key"`
	CreatedAt        time.Time `bun:"created_at,notnull" json:"created_at"`
}

// CreditCost is the price of one operation (global configuration).
type CreditCost struct {
	bun.BaseModel `bun:"table:igny8_credit_costs,alias:credit_cost"`

	Operation   string `bun:"operation,pk" json:"operation"`
	DisplayName string `bun:"display_name,notnull" json:"display_name"`
	Unit        Unit   `bun:"unit,notnull" json:"unit"`
	// CreditsPerUnitMilli is the price per unit (or per call) in
	// thousandths of a credit, so 0.5 credit per word is 500.
	CreditsPerUnitMilli int64 `bun:"credits_per_unit_milli,notnull" json:"credits_per_unit_milli"`
	// TokensPerCredit prices unit=token operations.
	TokensPerCredit int64     `bun:"tokens_per_credit,notnull" json:"tokens_per_credit"`
	MinCredits      int64     `bun:"min_credits,notnull" json:"min_credits"`
	IsActive        bool      `bun:"is_active,notnull" json:"is_active"`
	UpdatedAt       time.Time `bun:"updated_at,notnull" json:"updated_at"`
}
