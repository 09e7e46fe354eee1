package planner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// requireRead checks t may read planner data: any usable Tenant (viewers,
// API keys, the system bot); which rows it sees is ScopeSite's business.
func requireRead(t tenancy.Tenant) error { return t.Err() }

// requireWrite checks t may change planner data: editors and above, the
// system bot, and site API keys (the WordPress plugin) write; viewers only
// read.
func requireWrite(t tenancy.Tenant) error {
	if err := t.Err(); err != nil {
		return err
	}
	if !t.Role.CanWrite() && t.Role != tenancy.RoleSystemBot {
		return errs.E(errs.Forbidden, "your role (%s) may not change planner data; it needs editor or above", t.Role)
	}
	return nil
}

// scoped starts a select on model restricted to the sites t may see: the
// one way planner rows are read.
func scoped(idb bun.IDB, model any, t tenancy.Tenant) (*bun.SelectQuery, error) {
	return tenancy.ScopeSite(idb.NewSelect().Model(model), t)
}

// maxBulkIDs bounds one bulk action, so one request cannot lock a whole
// account's rows for long.
const maxBulkIDs = 1000

// checkIDs validates the ids of a bulk action (field "ids").
func checkIDs(ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, errs.Field("ids", "is required and must not be empty")
	}
	if len(ids) > maxBulkIDs {
		return nil, errs.Field("ids", fmt.Sprintf("must list at most %d ids", maxBulkIDs))
	}
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id <= 0 {
			return nil, errs.Field("ids", "must be positive ids")
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// BulkResult is what a bulk action did: how many rows it changed and which
// of the requested ids it could not find (deleted, or not the caller's —
// the two are indistinguishable by design).
type BulkResult struct {
	Affected int     `json:"affected"`
	NotFound []int64 `json:"not_found"`
}

// visibleIDs returns which of ids name live rows of model that t may see,
// locking them for the rest of tx (so a bulk action changes exactly what it
// reports), and the ids it did not find.
func visibleIDs(ctx context.Context, tx bun.Tx, model any, t tenancy.Tenant, ids []int64) (found, missing []int64, err error) {
	q, err := scoped(tx, model, t)
	if err != nil {
		return nil, nil, err
	}
	// Rows are locked in id order, so two bulk calls over overlapping ids
	// cannot deadlock.
	if err := store.ForUpdate(q.Column("id").Where("?TableAlias.id IN (?)", bun.In(ids)).OrderExpr("?TableAlias.id")).Scan(ctx, &found); err != nil {
		return nil, nil, fmt.Errorf("planner: find rows: %w", err)
	}
	have := make(map[int64]bool, len(found))
	for _, id := range found {
		have[id] = true
	}
	missing = []int64{}
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return found, missing, nil
}

// text checks a free-text field: valid UTF-8 without NUL (the databases
// would fail the whole statement instead of answering 400) and not longer
// than maxLen characters. It returns the trimmed text.
func text(v *errs.Validation, field, s string, maxLen int, required bool) string {
	s = strings.TrimSpace(s)
	if required && s == "" {
		v.Add(field, "is required")
		return s
	}
	v.Text(field, s, maxLen)
	return s
}

// Normalize folds text for matching and uniqueness: lower case, spaces
// collapsed (as tenancy.NormalizeKeyword does for the seed library).
func Normalize(s string) string { return tenancy.NormalizeKeyword(s) }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// getOne loads the live row of id that t may see, locked for the rest of
// the transaction when lock is set; what names it in the not-found error.
func getOne[T any](ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, lock bool, what string) (*T, error) {
	var row T
	q, err := scoped(idb, &row, t)
	if err != nil {
		return nil, err
	}
	q = q.Where("?TableAlias.id = ?", id)
	if lock {
		q = store.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if isNoRows(err) {
			return nil, errs.NotFoundf("%s %d not found", what, id)
		}
		return nil, fmt.Errorf("planner: load %s: %w", what, err)
	}
	return &row, nil
}

// bulk is the frame of a bulk action: it checks t may write and the ids,
// then, in one transaction, locks the live rows of model among ids that t
// may see, reports the others as not found, and lets act change the found
// ones (act returns how many it changed). A call whose ids are all
// someone else's changes nothing and says so.
func (s *Service) bulk(ctx context.Context, t tenancy.Tenant, model any, ids []int64, what string,
	act func(ctx context.Context, tx bun.Tx, found []int64) (int, error)) (*BulkResult, error) {
	return s.bulkLocked(ctx, t, model, ids, what, nil, act)
}

// bulkLocked is bulk with lockFirst run before the rows of model are
// locked: actions that change rows of other tables take those locks first,
// in the order every other path takes them (keywords and ideas before
// their clusters), so they cannot deadlock with them.
func (s *Service) bulkLocked(ctx context.Context, t tenancy.Tenant, model any, ids []int64, what string,
	lockFirst func(ctx context.Context, tx bun.Tx, ids []int64) error,
	act func(ctx context.Context, tx bun.Tx, found []int64) (int, error)) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	ids, err := checkIDs(ids)
	if err != nil {
		return nil, err
	}
	res := &BulkResult{}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if lockFirst != nil {
			if err := lockFirst(ctx, tx, ids); err != nil {
				return err
			}
		}
		found, missing, err := visibleIDs(ctx, tx, model, t, ids)
		if err != nil {
			return err
		}
		res.NotFound = missing
		if len(found) == 0 {
			return nil
		}
		res.Affected, err = act(ctx, tx, found)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("planner: %s: %w", what, err)
	}
	return res, nil
}

// deleteOne is a single DELETE through a bulk delete: not found when
// nothing was deleted.
func deleteOne(ctx context.Context, t tenancy.Tenant, id int64, what string,
	bulkDelete func(context.Context, tenancy.Tenant, []int64) (*BulkResult, error)) error {
	res, err := bulkDelete(ctx, t, []int64{id})
	if err != nil {
		return err
	}
	if res.Affected == 0 {
		return errs.NotFoundf("%s %d not found", what, id)
	}
	return nil
}

// saveRow writes back a row read through scoped, scoped again, so that no
// mistake upstream can write another account's row; the columns that place
// a row are never written. With columns, only those are.
func saveRow(ctx context.Context, tx bun.Tx, t tenancy.Tenant, row any, columns ...string) error {
	q := tx.NewUpdate().Model(row).WherePK()
	if len(columns) > 0 {
		q = q.Column(columns...)
	} else {
		q = q.ExcludeColumn("id", "account_id", "site_id", "sector_id", "created_at")
	}
	q, err := tenancy.ScopeAccount(q, t)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return store.MapError(err)
}

// saveKeywordStates writes the cluster, status and disabled flag of rows
// (read through scoped) in one statement, from a VALUES list.
func saveKeywordStates(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword) error {
	q, err := tenancy.ScopeAccount(tx.NewUpdate().With("_data", tx.NewValues(&rows)).Model((*Keyword)(nil)).TableExpr("_data"), t)
	if err != nil {
		return err
	}
	_, err = q.Set("cluster_id = _data.cluster_id").Set("status = _data.status").
		Set("disabled = _data.disabled").Set("updated_at = _data.updated_at").
		Where("?TableAlias.id = _data.id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("planner: update keywords: %w", store.MapError(err))
	}
	return nil
}

// affected is how many rows a statement changed.
func affected(r sql.Result) int {
	n, _ := r.RowsAffected()
	return int(n)
}
