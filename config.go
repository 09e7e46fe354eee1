package igny8

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/httpapi"
	"github.com/igny8/igny8-go/internal/logging"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// MigrationMode says what New does about pending migrations.
type MigrationMode string

const (
	// MigrateByDialect (the zero value) applies migrations on SQLite, the
	// single-process embedded mode, and only verifies them on PostgreSQL,
	// where `igny8-migrate up` runs once per deploy.
	MigrateByDialect MigrationMode = ""
	// MigrateAuto applies pending migrations at start.
	MigrateAuto MigrationMode = "auto"
	// MigrateVerify refuses to start while migrations are pending.
	MigrateVerify MigrationMode = "verify"
)

// Config is everything an App needs. Start from DefaultConfig and change
// fields; only the binaries in cmd/ read the environment into it.
type Config struct {
	// DatabaseURL is postgres://…, sqlite://path, file:path or :memory:.
	// Empty means the embedded default: a SQLite file in DataDir.
	DatabaseURL string
	// DataDir holds the embedded SQLite database (created when missing).
	DataDir string
	// Addr is where the reference server listens.
	Addr string
	// Migrations decides whether New applies or only verifies migrations.
	Migrations MigrationMode
	// DisableWorker keeps this process from working background jobs (it
	// still enqueues them): IGNY8_RUN_WORKER=false, for API-only replicas.
	DisableWorker bool
	// DBMaxOpenConns caps the connection pool (0 = store default).
	DBMaxOpenConns int
	// Password is the argon2id cost of new password hashes (zero = OWASP
	// minimum, 19 MiB / t=2 / p=1). Lower only in tests.
	Password tenancy.PasswordParams
	// PasswordHashConcurrency bounds concurrent hashing (0 = one per CPU).
	PasswordHashConcurrency int
	// SecretKey signs JWTs (at least 32 bytes). Required on PostgreSQL,
	// where several servers must agree; on SQLite an empty key is generated
	// once and kept in DataDir/secret.key.
	SecretKey string
	// RedisURL (redis://…) shares throttling across server replicas; empty
	// means in-process limits.
	RedisURL string
	// RedisKeyPrefix namespaces igny8's Redis keys (default "igny8:").
	RedisKeyPrefix string
	// LogDir holds the rotating channel logs (publish_sync, wordpress_api,
	// webhooks); empty means stdout only.
	LogDir string
	// MailDir, when set, writes outgoing mail (password resets) as files
	// there instead of only logging that mail was not sent.
	MailDir string
	// OpenAI configures the OpenAI-compatible AI provider (OpenAI, vLLM,
	// Ollama, LM Studio). With neither a base URL nor a key set, AI actions
	// answer "AI provider not configured" — never fake output.
	OpenAI ai.OpenAIConfig
	// HTTP tunes the API: page sizes, CORS, cookies, throttle rates, ….
	HTTP httpapi.Config
	// Version is reported by the status endpoint.
	Version string
	// Logger receives the App's logs (default: slog.Default()).
	Logger *slog.Logger
	// ChannelLogger returns the logger of a channel of the original
	// (publish_sync, wordpress_api, webhooks); default: Logger with a
	// channel attribute.
	ChannelLogger func(channel string) *slog.Logger
}

// DefaultConfig is the zero-configuration embedded mode: SQLite in ./data,
// migrations applied at start, serving on :8080.
func DefaultConfig() Config {
	return Config{DataDir: "data", Addr: ":8080", Version: "dev"}
}

// withDefaults fills the fields left empty.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.DataDir == "" {
		c.DataDir = d.DataDir
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "igny8.db")
	}
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.Version == "" {
		c.Version = d.Version
	}
	if c.RedisKeyPrefix == "" {
		c.RedisKeyPrefix = "igny8:"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	// Request and job attributes (request_id, account_id, …) travel in the
	// context; whatever logger the embedder gives, records must carry them.
	c.Logger = slog.New(logging.NewContextHandler(c.Logger.Handler()))
	if c.ChannelLogger == nil {
		base := c.Logger
		c.ChannelLogger = func(channel string) *slog.Logger { return base.With(slog.String("channel", channel)) }
	}
	return c
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var v errs.Validation
	if _, err := store.ParseDSN(c.DatabaseURL); err != nil {
		v.Add("database_url", err.Error())
	}
	switch c.Migrations {
	case MigrateByDialect, MigrateAuto, MigrateVerify:
	default:
		v.Add("migrations", fmt.Sprintf("must be auto or verify, not %q", c.Migrations))
	}
	v.Check(c.DBMaxOpenConns >= 0, "db_max_open_conns", "must not be negative")
	v.Check(c.PasswordHashConcurrency >= 0, "password_hash_concurrency", "must not be negative")
	if c.Password != (tenancy.PasswordParams{}) {
		v.Check(c.Password.MemoryKiB >= 8 && c.Password.Iterations >= 1 && c.Password.Threads >= 1,
			"password", "argon2id parameters must be at least m=8 KiB, t=1, p=1")
	}
	v.Check(!strings.ContainsAny(c.Addr, " \t"), "addr", "must be host:port")
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		v.Add("secret_key", "must be at least 32 characters")
	}
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			v.Add("redis_url", err.Error())
		}
	}
	return v.Err()
}

// LogValue prints the effective configuration with secrets masked.
func (c Config) LogValue() slog.Value {
	c = c.withDefaults()
	mode := string(c.Migrations)
	if mode == "" {
		mode = "by-dialect"
	}
	return slog.GroupValue(
		slog.String("database_url", store.RedactDSN(c.DatabaseURL)),
		slog.String("data_dir", c.DataDir),
		slog.String("addr", c.Addr),
		slog.String("migrations", mode),
		slog.Int("db_max_open_conns", c.DBMaxOpenConns),
		slog.Int("hash_concurrency", c.PasswordHashConcurrency),
		slog.String("version", c.Version),
		slog.Bool("run_worker", !c.DisableWorker),
		slog.String("openai_base_url", c.OpenAI.BaseURL),
		slog.Bool("openai_api_key_set", c.OpenAI.APIKey != ""),
		slog.String("openai_model", c.OpenAI.Model),
		slog.String("openai_image_model", c.OpenAI.ImageModel),
		slog.Bool("secret_key_set", c.SecretKey != ""),
		slog.String("redis_url", store.RedactDSN(c.RedisURL)),
		slog.String("log_dir", c.LogDir),
		slog.Any("cors_origins", c.HTTP.CORSOrigins),
		slog.String("public_url", c.HTTP.PublicURL),
		slog.Bool("basic_auth", c.HTTP.BasicAuth),
		slog.Bool("unified_errors", !c.HTTP.RawErrors),
	)
}
