package logging_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/internal/logging"
)

// lines decodes every JSON line of b, failing the test on a line that is
// not JSON: every output of the package must stay machine-readable.
func lines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "line %q", sc.Text())
		out = append(out, m)
	}
	require.NoError(t, sc.Err())
	return out
}

// one decodes b, which must hold exactly one record.
func one(t *testing.T, b []byte) map[string]any {
	t.Helper()
	ls := lines(t, b)
	require.Len(t, ls, 1, "output: %s", b)
	return ls[0]
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{"": slog.LevelInfo, "DEBUG": slog.LevelDebug, " warning ": slog.LevelWarn, "error": slog.LevelError} {
		got, err := logging.ParseLevel(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := logging.ParseLevel("loud")
	assert.Error(t, err)
}

func TestIsSecretKey(t *testing.T) {
	for _, k := range []string{"password", "DB_Password", "access_token", "refresh_token", "X-Api-Key", "apikey", "Authorization", "cookie", "client_secret", "access", "Refresh"} {
		assert.True(t, logging.IsSecretKey(k), k)
	}
	// "access" and "refresh" are secret only as the whole key.
	for _, k := range []string{"email", "access_level", "refresh_interval", "accessible", "site_id"} {
		assert.False(t, logging.IsSecretKey(k), k)
	}
}

func TestContextAttrsAppearAndOverride(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, slog.LevelInfo)

	req := logging.WithAttrs(context.Background(), slog.String("request_id", "r1"), slog.Int("account_id", 7))
	job := logging.WithAttrs(req, slog.String("job_id", "j1"), slog.String("request_id", "r2"))

	log.InfoContext(job, "job")
	m := one(t, buf.Bytes())
	assert.Equal(t, "r2", m["request_id"], "a later WithAttrs overrides the same key")
	assert.Equal(t, float64(7), m["account_id"], "earlier attributes are kept")
	assert.Equal(t, "j1", m["job_id"])
	assert.Equal(t, 1, strings.Count(buf.String(), "request_id"), "an overridden key is written once")

	// The parent context is unchanged.
	buf.Reset()
	log.InfoContext(req, "req")
	m = one(t, buf.Bytes())
	assert.Equal(t, "r1", m["request_id"])
	assert.NotContains(t, m, "job_id")

	// Within one call the last value wins too.
	buf.Reset()
	log.InfoContext(logging.WithAttrs(context.Background(), slog.String("k", "a"), slog.String("k", "b")), "dup")
	assert.Equal(t, "b", one(t, buf.Bytes())["k"])

	// Without a context nothing is added.
	buf.Reset()
	log.Info("plain")
	assert.NotContains(t, one(t, buf.Bytes()), "request_id")

	// Attrs returns a copy.
	got := logging.Attrs(req)
	require.Len(t, got, 2)
	got[0] = slog.String("request_id", "mutated")
	assert.Equal(t, "r1", logging.Attrs(req)[0].Value.String())
	assert.Empty(t, logging.Attrs(context.Background()))
}

// Context attributes stay at the top level of the record even when the
// logger has opened groups, so request_id is one field everywhere.
func TestContextAttrsStayTopLevelUnderGroups(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, slog.LevelInfo).With("binary", "server").WithGroup("wp").With("site", 3).WithGroup("post")
	ctx := logging.WithAttrs(context.Background(), slog.String("request_id", "r1"))

	log.InfoContext(ctx, "synced", "id", 9)
	m := one(t, buf.Bytes())
	assert.Equal(t, "r1", m["request_id"])
	assert.Equal(t, "server", m["binary"])
	assert.Equal(t, map[string]any{"site": float64(3), "post": map[string]any{"id": float64(9)}}, m["wp"])

	buf.Reset()
	log.Info("synced", "id", 9) // the fast path without context attributes
	assert.Equal(t, map[string]any{"site": float64(3), "post": map[string]any{"id": float64(9)}}, one(t, buf.Bytes())["wp"])
}

func TestNewContextHandlerDoesNotWrapTwice(t *testing.T) {
	h := logging.NewContextHandler(slog.NewJSONHandler(&bytes.Buffer{}, nil))
	assert.Same(t, h, logging.NewContextHandler(h))
}

func TestChannelWritesStdoutAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs", "nested") // Open creates it
	var stdout bytes.Buffer
	set, err := logging.Open(logging.Options{Dir: dir, Stdout: &stdout, Level: slog.LevelInfo})
	require.NoError(t, err)

	ctx := logging.WithAttrs(context.Background(), slog.String("request_id", "r1"))
	set.Channel(logging.PublishSync).InfoContext(ctx, "published", "post_id", 5)
	set.Channel(logging.PublishSync).Debug("below the level")
	set.Base().InfoContext(ctx, "base only")
	require.NoError(t, set.Close())

	out := lines(t, stdout.Bytes())
	require.Len(t, out, 2)
	assert.Equal(t, "published", out[0]["msg"])
	assert.Equal(t, "publish_sync", out[0]["channel"])
	assert.Equal(t, "r1", out[0]["request_id"])
	assert.Equal(t, "base only", out[1]["msg"])
	assert.NotContains(t, out[1], "channel")

	file, err := os.ReadFile(filepath.Join(dir, "publish_sync.log"))
	require.NoError(t, err)
	m := one(t, file)
	assert.Equal(t, "published", m["msg"])
	assert.Equal(t, "publish_sync", m["channel"])
	assert.Equal(t, "r1", m["request_id"])
	assert.Equal(t, float64(5), m["post_id"])

	// Every channel file exists from Open on, and the other ones are empty.
	for _, c := range []logging.Channel{logging.WordPressAPI, logging.Webhooks} {
		b, err := os.ReadFile(filepath.Join(dir, string(c)+".log"))
		require.NoError(t, err, c)
		assert.Empty(t, b, c)
	}
}

func TestChannelFilesRotate(t *testing.T) {
	dir := t.TempDir()
	set, err := logging.Open(logging.Options{Dir: dir, MaxSizeMB: 1, MaxBackups: 3, Stdout: &bytes.Buffer{}})
	require.NoError(t, err)
	log := set.Channel(logging.PublishSync)
	payload := strings.Repeat("x", 1000)
	for range 1500 { // ≈ 1.6 MB, over the 1 MB limit
		log.Info("sync", "payload", payload)
	}
	require.NoError(t, set.Close())

	// lumberjack compresses the rotated file in the background; wait until
	// it is done so the assertion sees the final state and t.TempDir's
	// cleanup does not race the compressor.
	var names []string
	require.Eventually(t, func() bool {
		names = channelFiles(t, dir, logging.PublishSync)
		var gz, rawBackup bool
		for _, n := range names {
			gz = gz || strings.HasSuffix(n, ".log.gz")
			rawBackup = rawBackup || (n != "publish_sync.log" && strings.HasSuffix(n, ".log"))
		}
		return gz && !rawBackup
	}, 10*time.Second, 20*time.Millisecond, "files: %v", names)
	assert.GreaterOrEqual(t, len(names), 2, "files: %v", names)
	assert.Contains(t, names, "publish_sync.log")

	info, err := os.Stat(filepath.Join(dir, "publish_sync.log"))
	require.NoError(t, err)
	assert.LessOrEqual(t, info.Size(), int64(1<<20), "the live file stays under the limit")
	assert.Len(t, channelFiles(t, dir, logging.Webhooks), 1, "other channels do not rotate")
}

func channelFiles(t *testing.T, dir string, c logging.Channel) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if e.Name() == string(c)+".log" || strings.HasPrefix(e.Name(), string(c)+"-") {
			names = append(names, e.Name())
		}
	}
	return names
}

type credentials struct{ user, pass string }

// LogValue makes credentials a group, as a config struct logged with
// slog.Any would be.
func (c credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", c.user), slog.String("password", c.pass))
}

func TestSecretsRedactedEverywhere(t *testing.T) {
	const secrets = "p4ss|t0k|k3y|s3cr|acc3ss|r3fr|b34rer|c00k|h1dden|gr0up"
	logAll := func(log *slog.Logger) {
		ctx := logging.WithAttrs(context.Background(), slog.String("api_key", "k3y"), slog.String("request_id", "r1"))
		log.With("password", "p4ss").WithGroup("wp").InfoContext(ctx, "x",
			slog.String("token", "t0k"),
			slog.Group("auth",
				slog.String("client_secret", "s3cr"),
				slog.Group("jwt", slog.String("access", "acc3ss"), slog.String("refresh", "r3fr")),
			),
			slog.String("header", "Bearer b34rer"),
			slog.Any("session", map[string]string{"note": "maps are encoded whole"}),
			slog.String("Cookie", "c00k"),
			slog.Group("password", slog.String("old", "h1dden"), slog.String("new", "gr0up")),
			slog.Any("db", credentials{user: "igny8", pass: "p4ss"}),
			slog.String("email", "a@b.c"),
		)
	}
	check := func(t *testing.T, out []byte) {
		t.Helper()
		for _, s := range strings.Split(secrets, "|") {
			assert.NotContains(t, string(out), s)
		}
		m := one(t, out)
		assert.Equal(t, "r1", m["request_id"])
		assert.Equal(t, "[REDACTED]", m["api_key"])
		assert.Equal(t, "[REDACTED]", m["password"])
		wp := m["wp"].(map[string]any)
		assert.Equal(t, "a@b.c", wp["email"], "ordinary fields stay readable")
		assert.Equal(t, map[string]any{"user": "igny8", "password": "[REDACTED]"}, wp["db"])
		assert.Equal(t, map[string]any{"old": "[REDACTED]", "new": "[REDACTED]"}, wp["password"])
		assert.Equal(t, "[REDACTED]", wp["auth"].(map[string]any)["jwt"].(map[string]any)["access"])
		assert.Equal(t, "[REDACTED]", wp["header"])
	}

	t.Run("New", func(t *testing.T) {
		var buf bytes.Buffer
		logAll(logging.New(&buf, slog.LevelInfo))
		check(t, buf.Bytes())
	})
	t.Run("Channel", func(t *testing.T) {
		dir := t.TempDir()
		var stdout bytes.Buffer
		set, err := logging.Open(logging.Options{Dir: dir, Stdout: &stdout})
		require.NoError(t, err)
		logAll(set.Channel(logging.Webhooks))
		require.NoError(t, set.Close())
		check(t, stdout.Bytes())
		file, err := os.ReadFile(filepath.Join(dir, "webhooks.log"))
		require.NoError(t, err)
		check(t, file)
	})
	t.Run("Base", func(t *testing.T) {
		var stdout bytes.Buffer
		set, err := logging.Open(logging.Options{Stdout: &stdout})
		require.NoError(t, err)
		logAll(set.Base())
		check(t, stdout.Bytes())
	})
}

func TestCloseStopsFileWrites(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	set, err := logging.Open(logging.Options{Dir: dir, Stdout: &stdout})
	require.NoError(t, err)
	set.Channel(logging.WordPressAPI).Info("before")
	require.NoError(t, set.Close())
	require.NoError(t, set.Close(), "Close twice is harmless")

	set.Channel(logging.WordPressAPI).Info("after")
	file, err := os.ReadFile(filepath.Join(dir, "wordpress_api.log"))
	require.NoError(t, err)
	assert.Equal(t, "before", one(t, file)["msg"], "a closed file is not reopened")
	out := lines(t, stdout.Bytes())
	require.Len(t, out, 2, "stdout still gets records after Close")
	assert.Equal(t, "after", out[1]["msg"])
}

func TestOpenWithoutDir(t *testing.T) {
	var stdout bytes.Buffer
	set, err := logging.Open(logging.Options{Stdout: &stdout, Level: slog.LevelWarn})
	require.NoError(t, err)
	set.Channel(logging.Webhooks).Warn("w")
	set.Channel(logging.Webhooks).Info("below the level")
	set.Channel("other").Warn("unknown channel")
	require.NoError(t, set.Close())

	out := lines(t, stdout.Bytes())
	require.Len(t, out, 2)
	assert.Equal(t, "webhooks", out[0]["channel"])
	assert.Equal(t, "other", out[1]["channel"])
}

func TestOpenFailsOnUnusableDir(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o600))
	_, err := logging.Open(logging.Options{Dir: notADir, Stdout: &bytes.Buffer{}})
	assert.Error(t, err)
}

// Base and every channel share one stdout writer; under -race this shows
// they serialise their writes and no line is torn.
func TestConcurrentLogging(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	set, err := logging.Open(logging.Options{Dir: dir, Stdout: &stdout})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			ctx := logging.WithAttrs(context.Background(), slog.Int("worker", i))
			for range 50 {
				set.Base().InfoContext(ctx, "b")
				set.Channel(logging.PublishSync).InfoContext(ctx, "p")
				set.Channel(logging.Webhooks).WithGroup("g").InfoContext(ctx, "w", "k", 1)
			}
		})
	}
	wg.Wait()
	require.NoError(t, set.Close())
	assert.Len(t, lines(t, stdout.Bytes()), 8*50*3)
	file, err := os.ReadFile(filepath.Join(dir, "publish_sync.log"))
	require.NoError(t, err)
	assert.Len(t, lines(t, file), 8*50)
}

func TestAccessRecord(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, slog.LevelInfo)
	ctx := logging.WithAttrs(context.Background(), slog.String("request_id", "r1"), slog.Int("user_id", 4))

	logging.AccessRecord(ctx, log, "GET", "/api/v1/system/status/", 200, 1500*time.Microsecond, 42, "10.0.0.1:5555")
	m := one(t, buf.Bytes())
	assert.Equal(t, "INFO", m["level"])
	assert.Equal(t, "request", m["msg"])
	assert.Equal(t, "GET", m["method"])
	assert.Equal(t, "/api/v1/system/status/", m["path"])
	assert.Equal(t, float64(200), m["status"])
	assert.InDelta(t, 1.5, m["duration_ms"], 1e-9)
	assert.Equal(t, float64(42), m["bytes"])
	assert.Equal(t, "10.0.0.1:5555", m["remote_addr"])
	assert.Equal(t, "r1", m["request_id"])
	assert.Equal(t, float64(4), m["user_id"])

	// A query string never reaches the log, even if a caller passes one.
	buf.Reset()
	logging.AccessRecord(ctx, log, "POST", "/api/v1/auth/reset/?token=s3cret", 400, time.Millisecond, 0, "")
	m = one(t, buf.Bytes())
	assert.Equal(t, "/api/v1/auth/reset/", m["path"])
	assert.NotContains(t, buf.String(), "s3cret")
}
