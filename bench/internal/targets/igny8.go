package targets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/httpapi"
)

// StatusPath is igny8-go's health endpoint (public, checks the database).
const StatusPath = "/api/v1/system/status/"

// ModuleRoot is the directory of the module's go.mod.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("targets: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("targets: not inside the igny8-go module")
	}
	return filepath.Dir(gomod), nil
}

// Build compiles the module's package pkg (e.g. ./cmd/igny8-server) into
// dir and returns the binary's path.
func Build(ctx context.Context, root, pkg, dir string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("targets: go build %s: %w\n%s", pkg, err, out)
	}
	return bin, nil
}

// UnthrottledRates is IGNY8_THROTTLE_RATES with every scope raised so far
// that a benchmark is never answered 429; the limiter still does its full
// work (one Redis round-trip per request when Redis is configured).
func UnthrottledRates() string {
	var pairs []string
	for scope := range httpapi.DefaultThrottleRates() {
		pairs = append(pairs, scope+"=1000000/min")
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// Igny8Options configure one igny8-server.
type Igny8Options struct {
	Bin, Addr string
	// DatabaseURL empty means the embedded profile: SQLite in DataDir.
	DatabaseURL, DataDir string
	SecretKey, RedisURL  string
	// Env changes the environment built from the fields above, in order:
	// NAME=value sets NAME (replacing the value the fields gave it), a bare
	// NAME removes it. A layer variant is igny8 plus one such change.
	Env []string
}

// Igny8Env is the server's environment: the full stack as deployed
// (JWT, throttling — on Redis when given —, request ids, JSON access log,
// envelope) with limits raised and background work off, as an API-only
// replica runs (gunicorn does not run Celery either).
func Igny8Env(o Igny8Options) []string {
	env := []string{
		"IGNY8_ADDR=" + o.Addr,
		"IGNY8_DATA_DIR=" + o.DataDir,
		"IGNY8_PUBLIC_URL=http://" + o.Addr,
		"IGNY8_THROTTLE_RATES=" + UnthrottledRates(),
		"IGNY8_RUN_WORKER=false",
	}
	if o.DatabaseURL != "" {
		env = append(env, "IGNY8_DATABASE_URL="+o.DatabaseURL)
	}
	if o.SecretKey != "" {
		env = append(env, "IGNY8_SECRET_KEY="+o.SecretKey)
	}
	if o.RedisURL != "" {
		env = append(env, "IGNY8_REDIS_URL="+o.RedisURL)
	}
	return Env(override(env, o.Env)...)
}

// override applies changes to env (see Igny8Options.Env). Replacing in
// place, rather than appending a second NAME=, keeps one entry per name,
// so what the server gets is what a reader of the list sees.
func override(env, changes []string) []string {
	out := slices.Clone(env)
	for _, change := range changes {
		name, _, set := strings.Cut(change, "=")
		out = slices.DeleteFunc(out, func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
		if set {
			out = append(out, change)
		}
	}
	return out
}

// StartIgny8 starts igny8-server and waits for its status endpoint.
func StartIgny8(ctx context.Context, name string, o Igny8Options, logPath string) (*Process, error) {
	start := time.Now()
	p, err := Start(name, o.Bin, nil, Igny8Env(o), "", logPath)
	if err != nil {
		return nil, err
	}
	if _, err := WaitReady(ctx, p, "http://"+o.Addr+StatusPath, is2xx, start, 2*time.Minute); err != nil {
		_ = p.Stop(5 * time.Second)
		return nil, err
	}
	return p, nil
}

// LoginPath is igny8-go's sign-in endpoint (throttle scope "auth").
const LoginPath = "/api/v1/auth/login/"

// loginBody is the JSON a client signs in with.
func loginBody(email, password string) ([]byte, error) {
	body, err := json.Marshal(map[string]string{"email": email, "password": password})
	if err != nil {
		return nil, fmt.Errorf("targets: login body: %w", err)
	}
	return body, nil
}

// LoginRequests are sign-ins of every seeded owner in turn, as Login sends
// them: each one verifies a stored password hash.
func LoginRequests(base string, m seed.Manifest, password string) ([]loadgen.Request, error) {
	if len(m.Tenants) == 0 {
		return nil, fmt.Errorf("targets: no seeded tenants to sign in")
	}
	h := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
	out := make([]loadgen.Request, 0, len(m.Tenants))
	for _, t := range m.Tenants {
		body, err := loginBody(t.Email, password)
		if err != nil {
			return nil, err
		}
		out = append(out, loadgen.Request{Method: http.MethodPost, URL: base + LoginPath, Header: h, Body: body})
	}
	return out, nil
}

// Login signs a seeded user in and returns the access token.
func Login(ctx context.Context, base, email, password string) (string, error) {
	body, err := loginBody(email, password)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+LoginPath, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("targets: login request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("targets: login %s: %w", email, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("targets: login %s: read: %w", email, err)
	}
	var out struct {
		Data struct {
			Access string `json:"access"`
		} `json:"data"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil || out.Data.Access == "" {
		return "", fmt.Errorf("targets: login %s: %d %s", email, resp.StatusCode, truncate(raw, 300))
	}
	return out.Data.Access, nil
}

func is2xx(status int) bool { return status >= 200 && status <= 299 }

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
