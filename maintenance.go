package igny8

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/igny8/igny8-go/tenancy"
)

// maintenanceArgs is the hourly platform maintenance job (a Beat schedule
// of the original): purge expired reset tokens, sessions and refresh tokens.
// It reads no tenant data, so it carries no account.
type maintenanceArgs struct{}

func (maintenanceArgs) Kind() string { return "igny8_maintenance" }

// InsertOpts makes a duplicate tick harmless: one pending run at a time.
func (maintenanceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

type maintenanceWorker struct {
	river.WorkerDefaults[maintenanceArgs]
	tenancy *tenancy.Service
	log     *slog.Logger
}

func (w *maintenanceWorker) Timeout(*river.Job[maintenanceArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *maintenanceWorker) Work(ctx context.Context, _ *river.Job[maintenanceArgs]) error {
	for _, task := range []struct {
		name string
		run  func(context.Context) (int64, error)
	}{
		{"reset tokens", w.tenancy.PurgeResetTokens},
		{"sessions and refresh tokens", w.tenancy.PurgeCredentials},
	} {
		n, err := task.run(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			w.log.InfoContext(ctx, "maintenance: purged expired "+task.name, slog.Int64("count", n))
		}
	}
	return nil
}

// maintenanceSchedule runs maintenance at start and hourly, on one elected
// leader however many workers run.
func maintenanceSchedule() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return maintenanceArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "igny8_maintenance"})
}
