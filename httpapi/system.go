package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/igny8/igny8-go/errs"
)

type statusData struct {
	Status        string    `json:"status"`
	Version       string    `json:"version"`
	Database      string    `json:"database"`
	DatabaseOK    bool      `json:"database_ok"`
	UptimeSeconds int64     `json:"uptime_seconds"`
	Time          time.Time `json:"time"`
}

// systemStatus answers GET /api/v1/system/status/: public, cheap, and 503
// when the database does not answer, so load balancers can use it.
func systemStatus(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := d.Status(r.Context())
		if st.DatabaseErr != nil {
			d.Logger.WarnContext(r.Context(), "status: database unavailable",
				slog.String("request_id", RequestID(r.Context())), slog.Any("error", st.DatabaseErr))
			writeError(w, r, d.Logger, errs.E(errs.Unavailable, "database unavailable"))
			return
		}
		writeData(w, r, http.StatusOK, statusData{
			Status: "ok", Version: st.Version, Database: st.Database, DatabaseOK: true,
			UptimeSeconds: int64(st.Uptime / time.Second), Time: time.Now().UTC(),
		}, "")
	})
}
