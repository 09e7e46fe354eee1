package targets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Process is one server started by the benchmark.
type Process struct {
	Name    string
	LogPath string
	cmd     *exec.Cmd
	log     *os.File
	exited  chan struct{}
	waitErr error
}

// Start runs bin with args and env (the whole environment: see Env),
// output to logPath. The child gets its own process group, so a Ctrl-C in
// the terminal reaches only the benchmark, which stops its servers in
// order; and SIGTERM if the benchmark dies first.
func Start(name, bin string, args, env []string, dir, logPath string) (*Process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("targets: log of %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, dir, f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("targets: start %s: %w", name, err)
	}
	p := &Process{Name: name, LogPath: logPath, cmd: cmd, log: f, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		_ = f.Close()
		close(p.exited)
	}()
	return p, nil
}

// PID is the server's process id (gunicorn's master for DRF).
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Exited is closed once the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Stop asks the server to stop (SIGTERM to its pid) and, if it has not
// within grace, kills its process group: the group this benchmark created
// for it, holding only the server and its own children.
func (p *Process) Stop(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("targets: stop %s: %w", p.Name, err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
	}
	if err := syscall.Kill(-p.PID(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("targets: kill %s: %w", p.Name, err)
	}
	<-p.exited
	return fmt.Errorf("targets: %s did not stop within %s and was killed", p.Name, grace)
}

// Tail is the end of the server's log, for error messages.
func (p *Process) Tail(maxBytes int) string {
	b, err := os.ReadFile(p.LogPath)
	if err != nil {
		return ""
	}
	if len(b) > maxBytes {
		b = b[len(b)-maxBytes:]
	}
	return strings.TrimSpace(string(b))
}

// WaitReady polls url until accept(status) or timeout, failing early if
// the process exits. It returns the time from start to the accepted answer.
func WaitReady(ctx context.Context, p *Process, url string, accept func(int) bool, start time.Time, timeout time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, fmt.Errorf("targets: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if accept(resp.StatusCode) {
				return time.Since(start), nil
			}
		}
		select {
		case <-p.exited:
			return 0, fmt.Errorf("targets: %s exited before it was ready (%v); log:\n%s", p.Name, p.waitErr, p.Tail(2000))
		case <-ctx.Done():
			return 0, fmt.Errorf("targets: %s not ready at %s after %s; log:\n%s", p.Name, url, timeout, p.Tail(2000))
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// FreePort asks the kernel for a free loopback port.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("targets: free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Env is the benchmark's environment without the variables that would
// change a server's configuration behind our back (IGNY8_*, BENCH_*,
// Python's), plus extra.
func Env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "IGNY8_") || strings.HasPrefix(name, "BENCH_") || strings.HasPrefix(name, "PYTHON") ||
			name == "DJANGO_SETTINGS_MODULE" || name == "GOMAXPROCS" || name == "GOGC" || name == "GOMEMLIMIT" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}
