// Package billing holds credits as a ledger: the plan and bonus pools on the
// account change only by an atomic conditional update beside an append-only
// ledger row keyed by an idempotency key, in the same transaction. It also
// holds the per-operation cost table (data, not code), the per-call usage
// log, and later credit packages, invoices, payments and the Stripe/PayPal
// webhooks. Plans and subscriptions themselves live in tenancy.
//
// The rules:
//
//   - Every tenant method takes the tenancy.Tenant explicitly and queries the
//     ledger and usage log through tenancy.ScopeAccount; the account row is
//     addressed by id = t.AccountID (it is the tenant).
//   - Spending is Charge (or ChargeInTx inside a job's own transaction): the
//     cost engine prices the usage, the plan pool is debited first and the
//     bonus pool only for the rest, each by
//     UPDATE … SET credits = credits - n WHERE id = ? AND credits >= n,
//     never by read-modify-write; one ledger row per pool touched and one
//     usage-log row are written; a short balance is errs.InsufficientCredits
//     and writes nothing.
//   - Exactly once: the idempotency key (e.g. the job id) is unique per
//     account in the usage log and, per pool, in the ledger. A repeated key
//     returns the first result with Duplicate set and charges nothing, also
//     when the repeats run concurrently.
//   - The ledger and the usage log are append-only (database triggers on
//     both dialects reject UPDATE, and DELETE except the cascade of a purged
//     account). Corrections are new rows (Grant with type adjustment/refund).
//   - Opening balances: registration (tenancy.CreateAccount) seeds the plan
//     pool without a ledger row. Reconcile therefore takes, per pool, the
//     balance before the first ledger row (balance_after − amount) as the
//     opening balance and checks that every later row continues the previous
//     one and that the last balance_after equals the account's column; see
//     Reconcile.
package billing
