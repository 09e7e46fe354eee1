package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func TestStaticSPA(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "assets"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>igny8 spa shell</html>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "assets", "app-1234.js"), []byte(strings.Repeat("console.log('x');", 200)), 0o644))
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) { c.HTTP.StaticDir = dir }))
	base := env.Server().URL

	get := func(path string, gz bool) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	res, body := get("/planner/keywords", false)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), "spa shell", "client routes get the app shell")
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))

	res, body = get("/assets/app-1234.js", true)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Contains(t, res.Header.Get("Cache-Control"), "immutable")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	require.NoError(t, err)
	plain, _ := io.ReadAll(zr)
	assert.Contains(t, string(plain), "console.log")

	// The API is untouched by the SPA handler.
	res, _ = get("/api/v1/system/status/", false)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
}

func TestCORS(t *testing.T) {
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.HTTP.CORSOrigins = []string{"https://app.igny8.example"}
	}))
	req, _ := http.NewRequest(http.MethodOptions, env.Server().URL+"/api/v1/auth/sites/", nil)
	req.Header.Set("Origin", "https://app.igny8.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, "https://app.igny8.example", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))

	c := env.Client()
	c.Header.Set("Origin", "https://app.igny8.example")
	got := c.Get("/api/v1/system/status/")
	assert.Contains(t, got.Header.Get("Access-Control-Expose-Headers"), "X-Request-Id")
	c.Header.Set("Origin", "https://evil.example")
	got = c.Get("/api/v1/system/status/")
	assert.Empty(t, got.Header.Get("Access-Control-Allow-Origin"))
}

// syncBuf is a log sink shared by the server goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestLogsCarryRequestAndNeverSecrets(t *testing.T) {
	var logs syncBuf
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	}))
	a := env.NewAccount()
	site, _ := env.NewSite(a)
	key, err := env.App.Tenancy().CreateAPIKey(env.Ctx(), a.Tenant, site.ID, "wp")
	require.NoError(t, err)
	c := env.Login(a.Owner.Email, igny8test.Password)
	res := c.Get("/api/v1/auth/sites/")
	require.Equal(t, http.StatusOK, res.Status)
	k := env.Client()
	k.APIKey = key.Key
	require.Equal(t, http.StatusOK, k.Get("/api/v1/auth/me/").Status)
	_ = env.App.Tenancy()

	out := logs.String()
	rid := res.Header.Get("X-Request-ID")
	var line string
	for l := range strings.SplitSeq(out, "\n") {
		if strings.Contains(l, rid) {
			line = l
		}
	}
	require.NotEmpty(t, line, "an access line carries the request id")
	assert.Contains(t, line, `"path":"/api/v1/auth/sites/"`)
	assert.Contains(t, line, `"user_id":`)
	assert.Contains(t, line, `"account_id":`)
	for _, secret := range []string{igny8test.Password, key.Key, c.Token} {
		assert.NotContains(t, out, secret)
	}
	_ = tenancy.RoleOwner
}
