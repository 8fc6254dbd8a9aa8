#!/usr/bin/env bash
# Makes sure a PostgreSQL cluster answers on 127.0.0.1:$PORT and that the role the benchmark
# uses exists. The role is a superuser of this local, loopback-only cluster: seed_demo's COPY
# path writes a million deals with the foreign-key triggers off only for a superuser, and checks
# the references afterwards. Installs PostgreSQL (and wrk) from the Debian packages when they
# are missing. Usage: ensure_postgres.sh ROLE PASSWORD [PORT]
set -euo pipefail
ROLE=${1:?role}
PASSWORD=${2:?password}
PORT=${3:-5432}
export DEBIAN_FRONTEND=noninteractive

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "bench: $* is missing and this is not root; install it first." >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
}

command -v wrk >/dev/null 2>&1 || apt_install wrk
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt_install postgresql
fi
command -v pgbench >/dev/null 2>&1 || apt_install postgresql-contrib

if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$PG_VERSION main"; then
    pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 1
  done
fi
pg_isready -h 127.0.0.1 -p "$PORT" >/dev/null

if ! PGPASSWORD="$PASSWORD" psql -qtA -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -c "SELECT 1" >/dev/null 2>&1; then
  su postgres -c "psql -q -p $PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE "$ROLE" LOGIN SUPERUSER PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE "$ROLE" LOGIN PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL
fi
