// Package httpapi adapts the igny8 services to the /api/v1 wire contract of
// the original platform: gorilla/mux routes with trailing slashes, the unified
// envelope ({"success":true,"data":…,"request_id":…} and
// {"success":false,"error":…,"errors":{…},"request_id":…}), X-Request-ID on
// every response, and one table mapping errs codes to HTTP statuses.
//
// No domain imports this package; the root package builds it from the
// services.
package httpapi
