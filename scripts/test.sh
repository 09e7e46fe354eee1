#!/usr/bin/env bash
# Runs the whole test suite: makes sure the PostgreSQL and Redis instances the
# integration tests talk to are up, then runs `go vet` and `go test -race`.
#
# Usage: scripts/test.sh [extra go test args...]   e.g. scripts/test.sh -run TestFoo -v
#
# Works on a fresh Debian/Ubuntu machine: missing services are installed with
# apt-get (via sudo when not root); services that are installed but stopped are
# started. Nothing is stopped afterwards, so repeated runs are fast.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

# The tests read these; callers may point them elsewhere.
export IGNY8_TEST_DATABASE_URL="${IGNY8_TEST_DATABASE_URL:-postgres://postgres@${PG_HOST}:${PG_PORT}/test?sslmode=disable}"
export IGNY8_TEST_REDIS_URL="${IGNY8_TEST_REDIS_URL:-redis://${REDIS_HOST}:${REDIS_PORT}/0}"

log() { printf '[test.sh] %s\n' "$*"; }
die() { printf '[test.sh] error: %s\n' "$*" >&2; exit 1; }

# Package installs and service starts need root; use sudo when we are not.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# Refresh the package index at most once per run.
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* manually"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# wait_for DESCRIPTION COMMAND...: retry COMMAND for ~30 s.
wait_for() {
  local what=$1; shift
  local i
  for i in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what not ready after 30 s"
}

pg_ready() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
}

redis_ready() {
  command -v redis-cli >/dev/null 2>&1 &&
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

ensure_postgres() {
  local action="already running"
  if ! pg_ready; then
    local fresh=0
    if [ ! -d /etc/postgresql ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then
      apt_install postgresql
      fresh=1
    fi
    local ver
    ver=$(ls /etc/postgresql 2>/dev/null | head -1 || true)
    [ -n "$ver" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"

    if [ "$fresh" -eq 1 ]; then
      # The tests connect as postgres without a password, so a throwaway
      # install gets trust auth for local socket and loopback connections.
      local hba="/etc/postgresql/$ver/main/pg_hba.conf"
      as_root sed -E -i '/^[[:space:]]*(local|host)[[:space:]]/ s/[^[:space:]]+[[:space:]]*$/trust/' "$hba"
      grep -qE '^[[:space:]]*host[[:space:]].*::1/128' "$hba" ||
        echo 'host all all ::1/128 trust' | as_root tee -a "$hba" >/dev/null
      action="installed PostgreSQL $ver (trust auth)"
    else
      action="started stopped cluster $ver/main"
    fi

    # apt's postinst may already have started the cluster (then reload the
    # edited pg_hba.conf); in containers without systemd it usually has not.
    if as_root pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
      as_root pg_ctlcluster "$ver" main reload
    else
      as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    fi
    wait_for "PostgreSQL on $PG_HOST:$PG_PORT" pg_ready
  fi

  # Tests expect an existing database named "test".
  local exists
  exists=$(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'")
  if [ "$exists" != "1" ]; then
    createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres test
    action="$action, created database test"
  fi
  log "postgres: $action ($PG_HOST:$PG_PORT)"
}

ensure_redis() {
  local action="already running"
  if ! redis_ready; then
    action="started"
    if ! command -v redis-server >/dev/null 2>&1; then
      apt_install redis-server
      action="installed and started"
    fi
    # Debian's postinst may already have started it (when systemd is present).
    if ! redis_ready; then
      # Ephemeral, loopback-only instance: tests need no persistence.
      as_root mkdir -p /var/lib/redis /var/log/redis
      as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
        --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    fi
    wait_for "Redis on $REDIS_HOST:$REDIS_PORT" redis_ready
  fi
  log "redis: $action ($REDIS_HOST:$REDIS_PORT)"
}

# Go lives in /usr/local/go on our machines but is not always on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_postgres
ensure_redis

go vet ./...
exec go test -race -count=1 ./... "$@"
