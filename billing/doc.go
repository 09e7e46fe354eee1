// Package billing will hold credits as a ledger (plan and bonus pools
// changed only by an atomic conditional update beside an append-only ledger
// row keyed by an idempotency key), the per-operation and per-model cost
// tables, credit packages, invoices, payments and the Stripe/PayPal
// webhooks. Plans and subscriptions themselves live in tenancy.
package billing
