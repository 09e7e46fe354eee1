package store

import (
	"database/sql"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"
)

// ColumnScanner is a model that names, for each column of its table, where a
// row's value goes: ScanDest appends to dest one destination per field of
// its bun table, in the order bun selects them with ?TableColumns
// (declaration order, embedded structs inlined), so one slice serves every
// row of a page. ListPage scans the pages of such models on PostgreSQL
// without bun's reflective row scanning (its per-row reflection and slice
// growth were most of a list request's allocations). VerifyScanDest holds
// an implementation to its table; a test of each implementing model must
// call it.
//
// A destination is what database/sql's Rows.Scan takes: a pointer to the
// field (a named string type is best given as (*string)(&f), which skips
// database/sql's reflective conversion; nullable columns as pointer
// pointers; a json.RawMessage as (*[]byte)(&f)), or NullZeroTime for a
// nullzero time, which a plain *time.Time refuses when the column is NULL.
type ColumnScanner interface {
	ScanDest(dest []any) []any
}

// NullZeroTime scans a nullable timestamp into a time.Time that is zero when
// the column is NULL (bun's nullzero).
func NullZeroTime(t *time.Time) any { return nullZeroTime{t} }

type nullZeroTime struct{ t *time.Time }

func (n nullZeroTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.t = time.Time{}
	case time.Time:
		*n.t = v
	default:
		return fmt.Errorf("store: cannot scan %T into a time", src)
	}
	return nil
}

// VerifyScanDest checks that T's ScanDest names every column of T's table,
// each once, in bun's order, and points into the model it was called on:
// the guard that keeps a hand-written list of destinations true when a
// field is added or moved.
func VerifyScanDest[T any](db *bun.DB) error {
	model := new(T)
	scanner, ok := any(model).(ColumnScanner)
	if !ok {
		return fmt.Errorf("store: %T does not implement ColumnScanner", model)
	}
	fields := db.Table(reflect.TypeFor[T]()).Fields
	dest := scanner.ScanDest(nil)
	if len(dest) != len(fields) {
		return fmt.Errorf("store: %T.ScanDest has %d destinations for %d columns", model, len(dest), len(fields))
	}
	strct := reflect.ValueOf(model).Elem()
	for i, f := range fields {
		want := f.Value(strct).Addr().UnsafePointer()
		got, err := destPointer(dest[i])
		if err != nil {
			return fmt.Errorf("store: %T.ScanDest[%d] (column %s): %w", model, i, f.Name, err)
		}
		if got != want {
			return fmt.Errorf("store: %T.ScanDest[%d] does not point at the field of column %s", model, i, f.Name)
		}
	}
	return nil
}

// destPointer is the address a destination writes to.
func destPointer(d any) (any, error) {
	if n, ok := d.(nullZeroTime); ok {
		d = n.t
	}
	v := reflect.ValueOf(d)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, fmt.Errorf("destination %T is not a pointer", d)
	}
	return v.UnsafePointer(), nil
}

// scanPage reads rows, a query of T's columns followed by the window
// total, through T's ScanDest, and closes them.
func scanPage[T any](rows *sql.Rows, size int) (items []T, total int64, err error) {
	defer rows.Close()
	// The page size bounds the rows, but a caller may ask for a huge page
	// of a small set: grow from a modest start rather than trust it.
	items = make([]T, 0, min(size, 100))
	var dest []any
	for rows.Next() {
		items = append(items, *new(T))
		dest = append(any(&items[len(items)-1]).(ColumnScanner).ScanDest(dest[:0]), &total)
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
	}
	return items, total, rows.Err()
}
