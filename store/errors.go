package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/igny8/igny8-go/errs"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// SQLite extended result codes (sqlite3.h) that igny8 maps.
const (
	sqliteBusy             = 5
	sqliteLocked           = 6
	sqliteConstraintCheck  = 275
	sqliteConstraintFK     = 787
	sqliteConstraintNotNul = 1299
	sqliteConstraintPK     = 1555
	sqliteConstraintTrig   = 1811
	sqliteConstraintUnique = 2067
)

// MapError turns database errors into errs errors and passes everything else
// through: unique and primary-key violations become Conflict, foreign-key,
// check, not-null and immutable-column violations become Invalid, lock
// contention becomes Unavailable, sql.ErrNoRows becomes NotFound. The field
// is read from the violation (PostgreSQL's DETAIL/constraint, SQLite's
// message) so the error names what the caller sent.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errs.As(err) != nil {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(err, errs.NotFound, "not found")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return mapPostgres(err, pgErr)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return mapSQLite(err, liteErr)
	}
	return err
}

// ViolatesConstraint reports whether err, anywhere in its chain, is
// PostgreSQL's violation of the named constraint or unique index. It reads
// the constraint's name, which PostgreSQL always sends, not the message
// (translated with the server's lc_messages) nor its DETAIL (left out
// under row-level security): the way to branch on one particular
// violation. SQLite errors never match.
func ViolatesConstraint(err error, name string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.ConstraintName == name
}

func mapPostgres(err error, pgErr *pgconn.PgError) error {
	switch pgErr.Code {
	case "23505": // unique_violation
		field := fieldFromColumns(keyColumns(pgErr.Detail))
		return conflict(err, field)
	case "23503": // foreign_key_violation
		field := fieldFromColumns(keyColumns(pgErr.Detail))
		return invalidField(err, field, "refers to an object that does not exist in this account")
	case "23514": // check_violation
		field := strings.TrimSuffix(strings.TrimPrefix(pgErr.ConstraintName, pgErr.TableName+"_"), "_check")
		return invalidField(err, field, "is not an allowed value")
	case "23502": // not_null_violation
		return invalidField(err, pgErr.ColumnName, "is required")
	case "23000": // integrity_constraint_violation: raised by igny8's immutable-column trigger
		return invalidField(err, immutableColumn(pgErr.Message), "cannot be changed")
	case "22003": // numeric_value_out_of_range: PostgreSQL does not say which column
		return errs.Wrap(err, errs.Invalid, "a number is out of range")
	case "40001", "40P01", "55P03": // serialization failure, deadlock, lock not available
		return errs.Wrap(err, errs.Unavailable, "the database is busy, try again")
	}
	return err
}

func mapSQLite(err error, liteErr *sqlite.Error) error {
	msg := liteErr.Error()
	switch liteErr.Code() {
	case sqliteConstraintUnique, sqliteConstraintPK:
		// "UNIQUE constraint failed: igny8_sites.account_id, igny8_sites.slug"
		return conflict(err, fieldFromColumns(afterColon(msg)))
	case sqliteConstraintFK:
		// SQLite does not say which key failed.
		return invalidField(err, "", "refers to an object that does not exist in this account")
	case sqliteConstraintCheck:
		// "CHECK constraint failed: <constraint name>"; igny8 names checks <column>_check.
		name := strings.TrimSpace(afterColon(msg))
		return invalidField(err, strings.TrimSuffix(name, "_check"), "is not an allowed value")
	case sqliteConstraintNotNul:
		return invalidField(err, fieldFromColumns(afterColon(msg)), "is required")
	case sqliteConstraintTrig:
		return invalidField(err, immutableColumn(msg), "cannot be changed")
	}
	// BUSY_RECOVERY, BUSY_SNAPSHOT, LOCKED_SHAREDCACHE, … share the primary
	// code in the low byte.
	if primary := liteErr.Code() & 0xff; primary == sqliteBusy || primary == sqliteLocked {
		return errs.Wrap(err, errs.Unavailable, "the database is busy, try again")
	}
	return err
}

func conflict(err error, field string) error {
	if field == "" {
		return errs.Wrap(err, errs.Conflict, "a record with the same values already exists")
	}
	msg := field + " is already in use"
	return &errs.Error{Code: errs.Conflict, Message: msg, Fields: map[string][]string{field: {msg}}, Err: err}
}

func invalidField(err error, field, problem string) error {
	if field == "" {
		return errs.Wrap(err, errs.Invalid, "the request "+problem)
	}
	msg := field + " " + problem
	return &errs.Error{Code: errs.Invalid, Message: msg, Fields: map[string][]string{field: {msg}}, Err: err}
}

var keyDetail = regexp.MustCompile(`^Key \(([^)]*)\)=`)

// keyColumns extracts "a, b" from PostgreSQL's `Key (a, b)=(1, 2) already exists.`
func keyColumns(detail string) string {
	m := keyDetail.FindStringSubmatch(detail)
	if m == nil {
		return ""
	}
	return m[1]
}

func afterColon(msg string) string {
	// modernc prefixes the result text: "constraint failed: UNIQUE constraint failed: t.a, t.b (2067)".
	i := strings.LastIndex(msg, "failed:")
	if i < 0 {
		return ""
	}
	rest := msg[i+len("failed:"):]
	// modernc appends " (2067)" style codes to some messages.
	if i := strings.LastIndex(rest, " ("); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// fieldFromColumns picks the field a user can act on from a constraint's
// column list: tenant columns lead every index, so the last column that is
// not account_id is the one the caller supplied.
func fieldFromColumns(cols string) string {
	field := ""
	for col := range strings.SplitSeq(cols, ",") {
		col = strings.TrimSpace(col)
		if _, after, ok := strings.Cut(col, "."); ok {
			col = after
		}
		if col == "" || col == "account_id" {
			continue
		}
		field = col
	}
	if field == "" && strings.Contains(cols, "account_id") {
		return "account_id"
	}
	return field
}

var immutableMsg = regexp.MustCompile(`column (\w+) is immutable`)

func immutableColumn(msg string) string {
	if m := immutableMsg.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}
