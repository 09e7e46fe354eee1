package igny8_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
)

func TestRunWorkerStopsOnCancel(t *testing.T) {
	env := igny8test.NewSQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- env.App.RunWorker(ctx) }()
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("worker did not stop after cancel")
	}
}
