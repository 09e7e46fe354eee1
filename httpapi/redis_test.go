package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
)

// Two servers on one Redis share the throttle: 20 logins per minute per
// client across both, as replicas behind a load balancer must.
func TestThrottleSharedThroughRedis(t *testing.T) {
	prefix := "igny8test:shared:" + t.Name() + ":"
	first := igny8test.New(t, igny8test.WithRedis(t, prefix))
	second := igny8test.New(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.RedisURL = igny8test.RedisURL()
		c.RedisKeyPrefix = prefix
	}))
	login := map[string]string{"email": "nobody@example.com", "password": "wrong password"}
	for i := range 20 {
		env := first
		if i%2 == 1 {
			env = second
		}
		res := env.Client().Post("/api/v1/auth/login/", login)
		require.Equal(t, http.StatusUnauthorized, res.Status, "attempt %d: %s", i+1, res.Body)
	}
	res := second.Client().Post("/api/v1/auth/login/", login)
	require.Equal(t, http.StatusTooManyRequests, res.Status)
	assert.NotEmpty(t, res.Header.Get("Retry-After"))

	// The counters live in Redis under the prefix.
	opts, err := redis.ParseURL(igny8test.RedisURL())
	require.NoError(t, err)
	client := redis.NewClient(opts)
	defer client.Close()
	keys, err := client.Keys(context.Background(), "*"+prefix+"*").Result()
	require.NoError(t, err)
	assert.NotEmpty(t, keys)

	status := first.Client().Get("/api/v1/system/status/")
	require.Equal(t, http.StatusOK, status.Status)
	assert.Equal(t, "ok", status.Envelope["data"].(map[string]any)["redis"])
}

// With Redis down, throttling falls back to the in-process limiter: still
// limited, never unlimited, and the API keeps answering.
func TestThrottleFallsBackWhenRedisIsDown(t *testing.T) {
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.RedisURL = "redis://127.0.0.1:1/0" // nothing listens there
	}))
	login := map[string]string{"email": "nobody@example.com", "password": "wrong password"}
	c := env.Client()
	for range 20 {
		require.Equal(t, http.StatusUnauthorized, c.Post("/api/v1/auth/login/", login).Status)
	}
	require.Equal(t, http.StatusTooManyRequests, c.Post("/api/v1/auth/login/", login).Status)
	status := c.Get("/api/v1/system/status/")
	require.Equal(t, http.StatusOK, status.Status, "the database is fine, so the API is healthy")
	assert.Equal(t, "unavailable", status.Envelope["data"].(map[string]any)["redis"])
}

func TestBasicAuthOnlyWhenEnabled(t *testing.T) {
	off := igny8test.NewSQLite(t)
	a := off.NewAccount()
	c := off.Client()
	c.Header.Set("Authorization", basic(a.Owner.Email, igny8test.Password))
	require.Equal(t, http.StatusUnauthorized, c.Get("/api/v1/auth/me/").Status)

	on := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) { c.HTTP.BasicAuth = true }))
	b := on.NewAccount()
	c = on.Client()
	c.Header.Set("Authorization", basic(b.Owner.Email, igny8test.Password))
	res := c.Get("/api/v1/auth/me/")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "basic", res.Envelope["data"].(map[string]any)["authenticated_by"])
	c.Header.Set("Authorization", basic(b.Owner.Email, "wrong password"))
	require.Equal(t, http.StatusUnauthorized, c.Get("/api/v1/auth/me/").Status)
}

func basic(user, pass string) string {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.SetBasicAuth(user, pass)
	return req.Header.Get("Authorization")
}
