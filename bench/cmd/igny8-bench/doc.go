// Command igny8-bench measures igny8-go's keyword list side by side with
// the practical ceiling (bare net/http + pgxpool, same SQL) and with the
// original's stack (Django REST Framework under gunicorn), on the same
// PostgreSQL and the same seeded data, and igny8-go's embedded SQLite
// profile on a copy of that data.
//
//	igny8-bench run    seed (or reuse) the data, build and start every target, load them
//	                   in alternating rounds, measure sign-ins beside the list, measure
//	                   start-up, print a Markdown report (-layers adds igny8's layer variants)
//	igny8-bench seed   only seed (or check) the bench database and SQLite data dir
//	igny8-bench load   load servers that are already running (-igny8, -ceiling, -drf URLs)
//
// `make bench` runs `igny8-bench run` with the defaults. Progress goes to
// stderr; the report goes to stdout (and to -out when given). See
// bench/README.md.
package main
