// Command ceiling serves the practical ceiling of the keyword list (package
// bench/internal/ceiling): bare net/http + pgxpool, no auth, the account id
// in the query string.
//
//	ceiling -addr 127.0.0.1:8090 -database-url postgres://postgres@127.0.0.1:5432/igny8_bench?sslmode=disable
//	curl '127.0.0.1:8090/keywords/?account_id=1&site_id=1&sector_id=1&search=best&ordering=-volume&page_size=25'
//
// It stops on SIGINT/SIGTERM.
package main
