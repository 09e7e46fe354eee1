// Package listsql holds, in one place, the SQL of the benchmarked list: one
// page of a tenant's keywords in one site+sector, searched, ordered by
// -volume, with the total count in a second statement. The ceiling server
// runs exactly these statements: the page statement is, character for
// character and parameter for parameter, what igny8-go sends
// (store.PageSQL), so the two can be compared line by line with what
// igny8-go logs.
package listsql
