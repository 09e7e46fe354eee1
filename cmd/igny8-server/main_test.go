package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/cmd/internal/cli"
	"github.com/igny8/igny8-go/tenancy"
)

// syncBuffer is a log sink safe for the server goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs the server with an empty environment (only the port is
// changed so tests do not fight over :8080) and returns its address and a
// stop function that waits for a graceful exit.
func startServer(t *testing.T, logs *syncBuffer) (string, func()) {
	t.Helper()
	return startServerEnv(t, logs, nil)
}

// startServerEnv is startServer with some IGNY8_* variables set.
func startServerEnv(t *testing.T, logs *syncBuffer, env map[string]string) (string, func()) {
	t.Helper()
	cfg, _, unknown, err := cli.LoadConfig(func(k string) string { return env[k] }, nil)
	require.NoError(t, err)
	require.Empty(t, unknown)
	cfg.Addr = "127.0.0.1:0"
	cfg.Password = tenancy.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	addrCh := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, cfg.Logger, func(addr string) { addrCh <- addr }) }()
	select {
	case addr := <-addrCh:
		return addr, func() {
			cancel()
			require.NoError(t, <-done)
		}
	case err := <-done:
		cancel()
		t.Fatalf("server exited: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("server did not start\n%s", logs.String())
	}
	return "", nil
}

func getStatus(t *testing.T, addr string) map[string]any {
	t.Helper()
	res, err := http.Get("http://" + addr + "/api/v1/system/status/")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var body map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
	return body
}

func TestEmbeddedDefaultStartsAndKeepsData(t *testing.T) {
	t.Chdir(t.TempDir())

	var first syncBuffer
	addr, stop := startServer(t, &first)
	body := getStatus(t, addr)
	assert.Equal(t, true, body["success"])
	assert.Equal(t, "sqlite", body["data"].(map[string]any)["database"])
	stop()
	assert.Contains(t, first.String(), "migrations applied")
	_, err := os.Stat(filepath.Join("data", "igny8.db"))
	require.NoError(t, err, "the embedded database lives in ./data")

	// Write through the library between runs, as an embedding program would.
	cfg := igny8.DefaultConfig()
	cfg.Password = tenancy.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}
	app, err := igny8.New(context.Background(), cfg)
	require.NoError(t, err)
	_, _, err = app.Tenancy().CreateAccount(context.Background(), tenancy.NewAccount{
		AccountName: "Persisted", Email: "persist@example.com", Password: "long enough password",
	})
	require.NoError(t, err)
	require.NoError(t, app.Close())

	var second syncBuffer
	addr, stop = startServer(t, &second)
	assert.Equal(t, true, getStatus(t, addr)["success"])
	stop()
	assert.NotContains(t, second.String(), "migrations applied", "the second start reuses the migrated database")
	assert.True(t, strings.Contains(second.String(), "shutting down"))

	app, err = igny8.New(context.Background(), cfg)
	require.NoError(t, err)
	defer app.Close()
	_, _, err = app.Tenancy().Authenticate(context.Background(), "persist@example.com", "long enough password")
	require.NoError(t, err, "data written before the restart is still there")
}
