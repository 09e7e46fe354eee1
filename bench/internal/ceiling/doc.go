// Package ceiling is the practical ceiling of the keyword list: a bare
// net/http handler on a pgxpool that runs listsql's statement (the page
// and its total, as store.ListPage does) and writes igny8's
// list envelope by encoding []planner.Keyword with encoding/json. It has no
// authentication, throttling, logging or router: the account id comes in
// the query string. Whatever igny8-go spends beyond this is the cost of its
// stack.
package ceiling
