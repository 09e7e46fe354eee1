package httpapi

import (
	"log/slog"
	"time"

	"github.com/igny8/igny8-go/errs"
)

type statusData struct {
	Status        string    `json:"status"`
	Version       string    `json:"version"`
	Database      string    `json:"database"`
	DatabaseOK    bool      `json:"database_ok"`
	Redis         string    `json:"redis"`
	UptimeSeconds int64     `json:"uptime_seconds"`
	Time          time.Time `json:"time"`
}

// systemStatus is public and cheap, and answers 503 when the database does
// not answer, so load balancers can use it. Redis being down degrades
// (throttling falls back to memory) but does not fail the check.
func (a *api) systemStatus(c *call) (any, error) {
	st := a.status(c.r.Context())
	if st.DatabaseErr != nil {
		a.log.WarnContext(c.r.Context(), "status: database unavailable", slog.Any("error", st.DatabaseErr))
		return nil, errs.E(errs.Unavailable, "database unavailable")
	}
	redis := "not configured"
	if st.RedisConfigured {
		redis = "ok"
		if st.RedisErr != nil {
			redis = "unavailable"
			a.log.WarnContext(c.r.Context(), "status: redis unavailable", slog.Any("error", st.RedisErr))
		}
	}
	return statusData{
		Status: "ok", Version: st.Version, Database: st.Database, DatabaseOK: true, Redis: redis,
		UptimeSeconds: int64(st.Uptime / time.Second), Time: time.Now().UTC(),
	}, nil
}

func (a *api) listTasks(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.tasks.Page(c.r.Context(), c.tenant, lq))
}

func (a *api) getTask(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.tasks.Get(c.r.Context(), c.tenant, id)
}
