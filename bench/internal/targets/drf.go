package targets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/igny8/igny8-go/bench/internal/seed"
)

// Python and Gunicorn are Debian's, by path: a python3 earlier on PATH
// (pyenv) has none of the Debian packages.
const (
	Python   = "/usr/bin/python3"
	Gunicorn = "/usr/bin/gunicorn"
)

// DRFPackages are the Debian packages the DRF project needs.
func DRFPackages() []string {
	return []string{"python3-django", "python3-djangorestframework", "python3-djangorestframework-simplejwt",
		"python3-django-filters", "gunicorn", "python3-psycopg2"}
}

// MissingPackages lists the DRF packages dpkg does not report installed.
func MissingPackages(ctx context.Context) []string {
	var missing []string
	for _, pkg := range DRFPackages() {
		out, err := exec.CommandContext(ctx, "dpkg-query", "-W", "-f=${Status}", pkg).Output()
		if err != nil || !strings.Contains(string(out), "install ok installed") {
			missing = append(missing, pkg)
		}
	}
	return missing
}

// InstallPackages installs pkgs with apt-get (root, non-interactive).
func InstallPackages(ctx context.Context, pkgs []string, log io.Writer) error {
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, args := range [][]string{{"update"}, append([]string{"install", "-y", "--no-install-recommends"}, pkgs...)} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("targets: apt-get %s: %w", args[0], err)
		}
	}
	return nil
}

// DRFEnv is the environment of manage.py and gunicorn: the bench
// database's coordinates and the JWT signing key.
func DRFEnv(databaseURL, secret string) ([]string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("targets: database url: %w", err)
	}
	password, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return Env(
		"BENCH_DB_NAME="+strings.TrimPrefix(u.Path, "/"),
		"BENCH_DB_HOST="+u.Hostname(),
		"BENCH_DB_PORT="+port,
		"BENCH_DB_USER="+u.User.Username(),
		"BENCH_DB_PASSWORD="+password,
		"BENCH_SECRET_KEY="+secret,
		"DJANGO_SETTINGS_MODULE=benchdrf.settings",
		// Keep bytecode out of the source tree.
		"PYTHONDONTWRITEBYTECODE=1",
	), nil
}

// PrepareDRF creates the schema of Django's tables, migrates them and
// returns each tenant's access token, in manifest order.
func PrepareDRF(ctx context.Context, dir, databaseURL string, env []string, m seed.Manifest) ([]string, error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("targets: connect: %w", err)
	}
	_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS drf`)
	_ = conn.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("targets: create schema drf: %w", err)
	}
	if _, err := managePy(ctx, dir, env, "migrate", "--noinput"); err != nil {
		return nil, err
	}
	args := []string{"bench_tokens"}
	for _, t := range m.Tenants {
		args = append(args, strconv.FormatInt(t.AccountID, 10)+":"+t.Email)
	}
	out, err := managePy(ctx, dir, env, args...)
	if err != nil {
		return nil, err
	}
	var byEmail map[string]string
	if err := json.Unmarshal(out, &byEmail); err != nil {
		return nil, fmt.Errorf("targets: bench_tokens output %q: %w", truncate(out, 200), err)
	}
	tokens := make([]string, len(m.Tenants))
	for i, t := range m.Tenants {
		if tokens[i] = byEmail[t.Email]; tokens[i] == "" {
			return nil, fmt.Errorf("targets: no DRF token for %s", t.Email)
		}
	}
	return tokens, nil
}

func managePy(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, Python, append([]string{"manage.py"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("targets: manage.py %s: %w\n%s", args[0], err, truncate(stderr.Bytes(), 2000))
	}
	return out, nil
}

// Workers is gunicorn's usual 2 × cores + 1 sync workers.
func Workers() int { return 2*runtime.NumCPU() + 1 }

// StartDRF runs the project under gunicorn with sync workers, an access
// log (igny8-go writes one line per request too) and waits until the list
// answers (401 without a token means Django is up).
func StartDRF(ctx context.Context, dir, addr string, env []string, accessLog, logPath string) (*Process, error) {
	args := []string{"--workers", strconv.Itoa(Workers()), "--worker-class", "sync", "--bind", addr,
		"--access-logfile", accessLog, "--log-level", "warning", "benchdrf.wsgi:application"}
	start := time.Now()
	p, err := Start("drf", Gunicorn, args, env, dir, logPath)
	if err != nil {
		return nil, err
	}
	accept := func(status int) bool { return status == 401 || is2xx(status) }
	if _, err := WaitReady(ctx, p, "http://"+addr+ListPath, accept, start, time.Minute); err != nil {
		_ = p.Stop(10 * time.Second)
		return nil, err
	}
	return p, nil
}
