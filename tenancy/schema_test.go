package tenancy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
)

// globalUniqueAllowed lists unique indexes on tenant tables that do not
// lead with account_id, each deliberately: login is by email across
// accounts, and a token hash reveals nothing about another account.
var globalUniqueAllowed = map[string]bool{
	"igny8_users(email)":                      true,
	"igny8_password_reset_tokens(token_hash)": true,
	"igny8_accounts(slug)":                    true, // the tenant table itself
	"igny8_api_keys(prefix)":                  true, // public lookup part; the secret is hashed
	"igny8_refresh_tokens(jti)":               true, // random token id
	"igny8_sessions(token_hash)":              true,
}

// TestTenantUniqueIndexesLeadWithAccount is the covert-channel check: a
// global unique index on a tenant table tells one tenant what another has.
func TestTenantUniqueIndexesLeadWithAccount(t *testing.T) {
	env := igny8test.New(t)
	var rows []struct {
		Table   string `bun:"table_name"`
		Columns string `bun:"columns"`
		First   string `bun:"first_column"`
	}
	err := env.App.DB().NewRaw(`
		SELECT c.relname AS table_name,
		       string_agg(a.attname, ',' ORDER BY k.ord) AS columns,
		       (array_agg(a.attname ORDER BY k.ord))[1] AS first_column
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
		WHERE i.indisunique AND NOT i.indisprimary
		  AND EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attname IN ('account_id') AND NOT x.attisdropped)
		GROUP BY c.relname, i.indexrelid`).Scan(env.Ctx(), &rows)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		key := r.Table + "(" + r.Columns + ")"
		if globalUniqueAllowed[key] {
			continue
		}
		assert.Equal(t, "account_id", r.First, "unique index %s on a tenant table must lead with account_id", key)
	}

	// Every tenant table has its immutability trigger.
	var missing []string
	err = env.App.DB().NewRaw(`
		SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'account_id'
		WHERE c.relkind = 'r'
		  AND NOT EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal)`).Scan(env.Ctx(), &missing)
	require.NoError(t, err)
	assert.Empty(t, missing, "tenant tables without an immutable-columns trigger")
}
