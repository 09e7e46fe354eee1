package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/logging"
)

// Env documents every variable LoadConfig reads; README's table mirrors it.
var Env = []struct{ Name, Default, Doc string }{
	{"IGNY8_DATABASE_URL", "sqlite://$IGNY8_DATA_DIR/igny8.db", "postgres://user:pass@host/db, sqlite://path, file:path or :memory:"},
	{"IGNY8_DATA_DIR", "data", "directory of the embedded SQLite database (created when missing)"},
	{"IGNY8_ADDR", ":8080", "listen address of igny8-server"},
	{"IGNY8_MIGRATE", "auto on SQLite, verify on PostgreSQL", "auto applies pending migrations at start; verify refuses to start while any are pending"},
	{"IGNY8_DB_MAX_CONNS", "20 (PostgreSQL), 8 (SQLite)", "connection pool size"},
	{"IGNY8_PASSWORD_HASH_CONCURRENCY", "number of CPUs", "concurrent argon2id hashes"},
	{"IGNY8_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"IGNY8_RUN_WORKER", "true", "false keeps igny8-server from working background jobs (run igny8-worker instead)"},
	{"IGNY8_OPENAI_BASE_URL", "(none: AI not configured)", "OpenAI-compatible API root, e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama)"},
	{"IGNY8_OPENAI_API_KEY", "(none)", "API key of the AI provider"},
	{"IGNY8_OPENAI_MODEL", "(none)", "default text model"},
	{"IGNY8_OPENAI_IMAGE_MODEL", "(none)", "default image model"},
	{"IGNY8_LOG_DIR", "(none)", "directory of the rotating channel logs publish_sync, wordpress_api, webhooks (10 MB x 10)"},
	{"IGNY8_SECRET_KEY", "generated into $IGNY8_DATA_DIR/secret.key on SQLite; required on PostgreSQL", "JWT signing key, at least 32 characters"},
	{"IGNY8_REDIS_URL", "(none: in-process throttling)", "redis://host:6379/0 shares throttle counters across replicas"},
	{"IGNY8_PUBLIC_URL", "http://localhost:8080", "base URL of links in emails and of list next/previous links"},
	{"IGNY8_CORS_ORIGINS", "(none)", "comma-separated origins allowed to call the API with credentials"},
	{"IGNY8_TRUSTED_ORIGINS", "(none)", "comma-separated origins whose cookie-authenticated unsafe requests pass the CSRF check"},
	{"IGNY8_SECURE_COOKIES", "false", "mark the session cookie Secure (always under TLS)"},
	{"IGNY8_BASIC_AUTH", "false", "accept HTTP Basic credentials"},
	{"IGNY8_USE_UNIFIED_EXCEPTION_HANDLER", "true", "false answers errors with DRF's raw bodies instead of the envelope"},
	{"IGNY8_PAGE_SIZE", "25", "default list page size"},
	{"IGNY8_MAX_PAGE_SIZE", "100", "largest page_size a client may ask for"},
	{"IGNY8_THROTTLE_RATES", "(the original's)", "overrides, e.g. auth=20/min,planner=120/min"},
	{"IGNY8_AUTH_CACHE_TTL", "2s", "how long a token's user/account and module switches are reused; -1s turns the cache off"},
	{"IGNY8_STATIC_DIR", "(none)", "serve a built SPA from this directory for non-API paths"},
	{"IGNY8_MAIL_DIR", "(none: mail is only logged)", "write outgoing mail (password resets) as .eml files here"},
}

// LoadConfig reads IGNY8_* variables through getenv into a Config, starting
// from igny8.DefaultConfig. It also returns the log level and the names of
// unknown IGNY8_* variables (likely typos) found in environ.
func LoadConfig(getenv func(string) string, environ []string) (igny8.Config, slog.Level, []string, error) {
	cfg := igny8.DefaultConfig()
	var v errs.Validation
	if s := getenv("IGNY8_DATABASE_URL"); s != "" {
		cfg.DatabaseURL = s
	}
	if s := getenv("IGNY8_DATA_DIR"); s != "" {
		cfg.DataDir = s
	}
	if s := getenv("IGNY8_ADDR"); s != "" {
		cfg.Addr = s
	}
	if s := getenv("IGNY8_MIGRATE"); s != "" {
		cfg.Migrations = igny8.MigrationMode(strings.ToLower(s))
	}
	cfg.DisableWorker = !boolVar(&v, getenv, "IGNY8_RUN_WORKER", true)
	cfg.SecretKey = getenv("IGNY8_SECRET_KEY")
	cfg.OpenAI.BaseURL = getenv("IGNY8_OPENAI_BASE_URL")
	cfg.OpenAI.APIKey = getenv("IGNY8_OPENAI_API_KEY")
	cfg.OpenAI.Model = getenv("IGNY8_OPENAI_MODEL")
	cfg.OpenAI.ImageModel = getenv("IGNY8_OPENAI_IMAGE_MODEL")
	cfg.RedisURL = getenv("IGNY8_REDIS_URL")
	cfg.LogDir = getenv("IGNY8_LOG_DIR")
	cfg.MailDir = getenv("IGNY8_MAIL_DIR")
	cfg.HTTP.PublicURL = getenv("IGNY8_PUBLIC_URL")
	cfg.HTTP.StaticDir = getenv("IGNY8_STATIC_DIR")
	cfg.HTTP.CORSOrigins = listVar(getenv("IGNY8_CORS_ORIGINS"))
	cfg.HTTP.TrustedOrigins = listVar(getenv("IGNY8_TRUSTED_ORIGINS"))
	cfg.HTTP.SecureCookies = boolVar(&v, getenv, "IGNY8_SECURE_COOKIES", false)
	cfg.HTTP.BasicAuth = boolVar(&v, getenv, "IGNY8_BASIC_AUTH", false)
	cfg.HTTP.RawErrors = !boolVar(&v, getenv, "IGNY8_USE_UNIFIED_EXCEPTION_HANDLER", true)
	cfg.HTTP.PageSize = intVar(&v, getenv, "IGNY8_PAGE_SIZE")
	cfg.HTTP.MaxPageSize = intVar(&v, getenv, "IGNY8_MAX_PAGE_SIZE")
	if s := getenv("IGNY8_AUTH_CACHE_TTL"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			v.Add("IGNY8_AUTH_CACHE_TTL", fmt.Sprintf("%q is not a duration (e.g. 2s, 500ms, -1s)", s))
		}
		cfg.HTTP.AuthCacheTTL = d
	}
	if s := getenv("IGNY8_THROTTLE_RATES"); s != "" {
		cfg.HTTP.ThrottleRates = map[string]string{}
		for _, pair := range listVar(s) {
			scope, rate, ok := strings.Cut(pair, "=")
			if !ok || strings.TrimSpace(scope) == "" {
				v.Add("IGNY8_THROTTLE_RATES", fmt.Sprintf("%q is not scope=rate", pair))
				continue
			}
			cfg.HTTP.ThrottleRates[strings.TrimSpace(scope)] = strings.TrimSpace(rate)
		}
	}
	cfg.DBMaxOpenConns = intVar(&v, getenv, "IGNY8_DB_MAX_CONNS")
	cfg.PasswordHashConcurrency = intVar(&v, getenv, "IGNY8_PASSWORD_HASH_CONCURRENCY")
	level, err := logging.ParseLevel(getenv("IGNY8_LOG_LEVEL"))
	if err != nil {
		v.Add("IGNY8_LOG_LEVEL", err.Error())
	}
	cfg.Version = version()
	if err := v.Err(); err != nil {
		return cfg, level, nil, err
	}
	return cfg, level, unknownVars(environ), cfg.Validate()
}

func intVar(v *errs.Validation, getenv func(string) string, name string) int {
	s := getenv(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		v.Add(name, "must be a non-negative integer")
	}
	return n
}

func boolVar(v *errs.Validation, getenv func(string) string, name string, def bool) bool {
	s := strings.TrimSpace(getenv(name))
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		v.Add(name, "must be true or false")
		return def
	}
	return b
}

func listVar(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func unknownVars(environ []string) []string {
	known := map[string]bool{}
	for _, e := range Env {
		known[e.Name] = true
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "IGNY8_") && !known[name] && !strings.HasPrefix(name, "IGNY8_TEST_") {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return unknown
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// Setup loads the configuration from the process environment, builds the
// JSON logger writing to logTo (plus the rotating channel files when
// IGNY8_LOG_DIR is set) and logs the effective configuration with secrets
// masked. The returned close function flushes and closes the log files.
func Setup(binary string, logTo io.Writer) (igny8.Config, *slog.Logger, func(), error) {
	cfg, level, unknown, err := LoadConfig(os.Getenv, os.Environ())
	if err != nil {
		log := logging.New(logTo, level).With(slog.String("binary", binary))
		return cfg, log, func() {}, fmt.Errorf("configuration: %w", err)
	}
	set, err := logging.Open(logging.Options{Dir: cfg.LogDir, Level: level, Stdout: logTo})
	if err != nil {
		log := logging.New(logTo, level).With(slog.String("binary", binary))
		return cfg, log, func() {}, fmt.Errorf("logs: %w", err)
	}
	log := set.Base().With(slog.String("binary", binary))
	cfg.Logger = log
	cfg.ChannelLogger = func(channel string) *slog.Logger {
		return set.Channel(logging.Channel(channel)).With(slog.String("binary", binary))
	}
	log.Info("starting", slog.Any("config", cfg))
	for _, name := range unknown {
		log.Warn("unknown environment variable ignored", slog.String("name", name))
	}
	return cfg, log, func() { _ = set.Close() }, nil
}

// SignalContext is cancelled on SIGINT or SIGTERM.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Exit prints err and exits non-zero; nil exits zero.
func Exit(log *slog.Logger, err error) {
	if err == nil {
		os.Exit(0)
	}
	if log != nil {
		log.Error("exiting", slog.Any("error", err))
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
