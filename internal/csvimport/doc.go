// Package csvimport is the streaming loop behind every CSV import of igny8
// (the industry and seed-keyword catalogue, planner keywords): the domain
// supplies a Format, a parser for one row and an apply function for a batch;
// the package does the rest the same way for all of them.
//
// Uploads are operator spreadsheets of unknown size, so nothing here holds
// the file: encoding/csv reads one record at a time (into a reused slice)
// and rows are applied in batches of Options.BatchSize, one transaction per
// batch. Memory is bounded by one batch whatever the file's size, and no
// transaction stays open for the whole file. Options.MaxRows bounds the time
// a runaway upload can take.
//
// The price of per-batch transactions is that a failure part-way (a
// malformed line, a database error, a cancelled context) leaves the earlier
// batches committed. The Report therefore only ever describes committed
// work: a batch's counts and rejections are merged after its transaction
// commits, never before, and the error says up to which line the file was
// imported, so the operator knows what to import again. Domains make
// re-importing harmless by upserting on a natural key.
//
// Bad rows are not errors: the shared checks (width, UTF-8, NUL) and the
// domain's parser reject them with their line and a reason, and the import
// goes on. Only a problem with the file as a whole (the header, a broken
// quote, too many rows) stops it, as an errs.Invalid error on the field
// "file" so API callers see it like any validation error.
package csvimport
