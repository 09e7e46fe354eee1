package store_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

// scannedItem is listItem with hand-listed destinations; ViaScanDest marks
// the rows that went through them.
type scannedItem struct {
	listItem    `bun:",extend"`
	ViaScanDest bool `bun:"-"`
}

func (it *scannedItem) ScanDest(dest []any) []any {
	it.ViaScanDest = true
	return append(dest, &it.ID, &it.Owner, &it.Name, &it.Note, &it.Status, &it.Volume, &it.Active, &it.Score, &it.CreatedAt)
}

// On PostgreSQL a ColumnScanner's pages are scanned through ScanDest and
// hold what bun's scanner reads (NULLs included); on SQLite bun scans them.
// A page size far beyond the rows is no reason to allocate for it.
func TestListPageScansThroughScanDest(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		db, _ := listEnv(t, env)
		require.NoError(t, store.VerifyScanDest[scannedItem](env.App.DB()))
		score := int64(7)
		seed(t, db, &listItem{Name: "a", Note: "x", Volume: 3, Score: &score, Active: true}, &listItem{Name: "b", Volume: 2})

		lq, err := store.ParseList(query("ordering", "name"), listItemSpec, listLimits)
		require.NoError(t, err)
		fast, err := store.ListPage[scannedItem](ctx, db.NewSelect().Model((*scannedItem)(nil)), lq)
		require.NoError(t, err)
		slow, err := store.ListPage[listItem](ctx, db.NewSelect().Model((*listItem)(nil)), lq)
		require.NoError(t, err)
		require.Equal(t, 2, fast.Count)
		require.Len(t, fast.Results, 2)
		for i, it := range fast.Results {
			require.Equal(t, env.Dialect == store.Postgres, it.ViaScanDest)
			require.Equal(t, slow.Results[i], it.listItem)
		}
		require.Nil(t, fast.Results[1].Score)

		huge, err := store.ListPage[scannedItem](ctx, db.NewSelect().Model((*scannedItem)(nil)), store.ListQuery{Page: 1, PageSize: math.MaxInt32})
		require.NoError(t, err)
		require.Len(t, huge.Results, 2)
	})
}
